package cluster

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestListPair(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"yarn,curi", "hadoop", true},            // a list and one name
		{"a,b,c", "ceph-node2,ceph-node3", true}, // names of two lengths
		{"<*>,<*>,<*>)", "<*>,<*>)", true},       // variables, same closing
		{"yarn,<*>", "a,b,c.", false},            // closing punctuation differs
		{"yarn,curi", "yarn,root", false},        // same length: not this class
		{"hadoop", "yarn", false},                // two single names: no list
		{"root=default,host=x", "a,b,c", false},  // fields, not items
		{"a,,b", "a,b", false},                   // an empty item is another shape
		{"[1440,900]", "[1,2,3]", false},         // an opening bracket: a group
		{"a,b", "'x'", false},                    // quoted: not a list item
		{"done", "a,b", true},                    // any name pairs with a longer list
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, listPair(tt.a, tt.b), "%q %q", tt.a, tt.b)
		assert.Equal(t, tt.want, listPair(tt.b, tt.a), "%q %q (swapped)", tt.b, tt.a)
	}
}

// A list of names whose length varies is one value: it pairs at two values
// and does not raise the variants another position needs.
func TestMinerNameList(t *testing.T) {
	m := NewMiner()
	a := m.Add("Changing view acls to: yarn,curi")
	b := m.Add("Changing view acls to: hadoop")
	c := m.Add("Changing modify acls to: hadoop")
	assert.Equal(t, a.ID, b.ID)
	assert.Equal(t, "Changing view acls to: <*>", b.Template)
	assert.NotEqual(t, a.ID, c.ID, "view and modify are two events")

	m = NewMiner()
	var last Pattern
	for _, l := range []string{
		"mon.a is new leader, mons a,b,c in quorum (ranks 0,1,2)",
		"mon.ceph-node2 is new leader, mons ceph-node2,ceph-node3 in quorum (ranks 1,2)",
		"mon.b is new leader, mons a,b,c,d,e in quorum (ranks 0,1,2,3,4)",
	} {
		last = m.Add(l)
	}
	assert.Equal(t, "<*> is new leader, mons <*> in quorum (ranks <*>)", last.Template)
	assert.Len(t, m.Patterns(), 1)
}

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_Labels checks the labelling conventions of the corrected Loghub
// templates that the miner applies to a normalized message.
func TestMiner_Labels(t *testing.T) {
	tests := []struct {
		name, msg, want string
	}{
		{"boolean in parentheses", "enterQuietMode(true) done", "enterQuietMode(<*>) done"},
		{"boolean after a colon, any case", "nodeBlacklistingEnabled:TRUE", "nodeBlacklistingEnabled:<*>"},
		{"boolean value of key=value", "maps.isEmpty=false ok", "maps.isEmpty=<*> ok"},
		{"null", "OutputCommitter set in config null", "OutputCommitter set in config <*>"},
		{"null in parentheses", "Error returned from agent: (null)", "Error returned from agent: (<*>)"},
		{"default user names", "session opened for user root by admin", "session opened for user <*> by <*>"},
		{"word glued to a variable", "headroom=<memory:1024, vCores:8>", "headroom=<memory:<*>, vCores:<*>"},
		{"star glued to a variable", "IRQs 3 *5 7", "IRQs <*> <*> <*>"},
		{"dotted variables join", "codec 1.(null). Failed", "codec <*>.(<*>). Failed"},
		{"slash keeps its variables apart", "Intel(R) PRO/1000 Network", "Intel(R) PRO/<*> Network"},
		{"values inside a word stay", "truevalue nullable rooted Administrator", "truevalue nullable rooted Administrator"},
		{"constant token unchanged", "Transitioned from NEW to UNASSIGNED", "Transitioned from NEW to UNASSIGNED"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			got := m.Add(test.msg)
			assert.Equal(t, test.want, got.Template, "template of %q", test.msg)
			p, ok := m.Match(test.msg)
			assert.True(t, ok, "Match(%q) after Add", test.msg)
			assert.Equal(t, got.ID, p.ID, "Match(%q) finds the pattern Add made", test.msg)
		})
	}
}

// TestMiner_LabelsMerge checks that messages differing only in a boolean,
// null or default user name fall into one pattern.
func TestMiner_LabelsMerge(t *testing.T) {
	m := cluster.NewMiner()
	a := m.Add("enterQuietMode(true) for en0")
	b := m.Add("enterQuietMode(false) for en0")
	c := m.Add("enterQuietMode(null) for en0")
	assert.Equal(t, a.ID, b.ID)
	assert.Equal(t, a.ID, c.ID)
	assert.Equal(t, uint64(3), c.Count)
	assert.Equal(t, "enterQuietMode(<*>) for en0", c.Template)
}

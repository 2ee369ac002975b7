package cluster_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_Tails checks the tail patterns: messages that share a prefix
// and end in free text of variable length merge into prefix + <*> once
// three such tails were seen, when the prefix ends in an event word and
// the tails share the closing punctuation, or when every tail is one
// delimited group; and they stay apart otherwise.
func TestMiner_Tails(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "event word then a sentence",
			msgs: []string{"Started Session 12 of User alice.", "Started Daily apt download activities.", "Started Cleanup of Temporary Directories.", "Started Docker Application Container Engine."},
			want: []string{"Started <*>.", "Started <*>.", "Started <*>.", "Started <*>."},
		},
		{
			name: "one bracketed group",
			msgs: []string{"Resolved [org.example.MissingParameter: id is not present]", "Resolved [org.example.BadMethod: DELETE]", "Resolved [org.example.ParseError: JSON parse error at 3]"},
			want: []string{"Resolved [<*>]", "Resolved [<*>]", "Resolved [<*>]"},
		},
		{
			name: "event word earlier in the prefix",
			msgs: []string{"Reached target Multi-User System.", "Reached target Network is Online.", "Reached target Timers."},
			want: []string{"Reached target <*>.", "Reached target <*>.", "Reached target <*>."},
		},
		{
			name: "structure after the verb is not free text",
			msgs: []string{"status changed from [GREEN] to [RED].", "status changed from [GREEN] to [YELLOW] again.", "status changed from [RED] to [GREEN] at last."},
			want: []string{"status changed from [GREEN] to [RED].", "status changed from [GREEN] to [YELLOW] again.", "status changed from [RED] to [GREEN] at last."},
		},
		{
			name: "two tails are not enough",
			msgs: []string{"Started Daily apt download activities.", "Started Cleanup of Temporary Directories now."},
			want: []string{"Started Daily apt download activities.", "Started Cleanup of Temporary Directories now."},
		},
		{
			name: "no shared closing punctuation",
			msgs: []string{"Using ACPI for IRQ routing", "Using HPET based timekeeping.", "Using software bounce buffering for IO"},
			want: []string{"Using ACPI for IRQ routing", "Using HPET based timekeeping.", "Using software bounce buffering for IO"},
		},
		{
			name: "no event word before the tail",
			msgs: []string{"data TLB error interrupt.", "data storage interrupt.", "data address space low."},
			want: []string{"data TLB error interrupt.", "data storage interrupt.", "data address space low."},
		},
		{
			name: "a tail that starts with an event word is another event",
			msgs: []string{"Job alpha started at once.", "Job alpha stopped by the user.", "Job alpha failed."},
			want: []string{"Job alpha started at once.", "Job alpha stopped by the user.", "Job alpha failed."},
		},
		{
			name: "tails that end in the same token differ in the middle",
			msgs: []string{"Reported (one) [preauth]", "Reported (two three) [preauth]", "Reported (four five six) [preauth]"},
			want: []string{"Reported (one) [preauth]", "Reported (two three) [preauth]", "Reported (four five six) [preauth]"},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			for _, msg := range test.msgs {
				m.Add(msg)
			}
			for i, msg := range test.msgs {
				p, ok := m.Match(msg)
				require.True(t, ok, "Match(%q)", msg)
				assert.Equal(t, test.want[i], p.Template, "Match(%q)", msg)
			}
		})
	}
}

// TestMiner_TailsLater checks that a tail pattern takes later messages of
// any length, also through Match without Add, and survives a snapshot.
func TestMiner_TailsLater(t *testing.T) {
	m := cluster.NewMiner()
	for _, msg := range []string{"Finished Rotate log files.", "Finished Daily apt upgrade and clean activities.", "Finished Daily man-db regeneration."} {
		m.Add(msg)
	}
	require.Equal(t, 1, m.Len(), "the three tails are one pattern")
	p := m.Add("Finished Clean php session files and more.")
	assert.Equal(t, "Finished <*>.", p.Template)
	assert.Equal(t, uint64(4), p.Count)
	q, ok := m.Match("Finished Phase two.")
	require.True(t, ok)
	assert.Equal(t, p.ID, q.ID)
	_, ok = m.Match("Finished Phase two")
	assert.False(t, ok, "a tail without the closing period is not covered")

	b, err := json.Marshal(m)
	require.NoError(t, err)
	r := cluster.NewMiner()
	require.NoError(t, json.Unmarshal(b, r))
	got := r.Add("Finished Other work entirely.")
	assert.Equal(t, p.ID, got.ID, "the restored pattern is still a tail pattern")
	assert.Equal(t, "Finished <*>.", got.Template)
}

package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_RecurringConstants checks that words which came back with
// identical text are not merged into a variable by the rules that need
// the least evidence: a first token (the subject or verb of a message)
// merged at three values, and a sentence's object after an event word
// merged as a free-text tail. Values that do not recur, and a recurring
// value past the first token, still merge.
func TestMiner_RecurringConstants(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "first-token commands that each recur stay apart",
			msgs: []string{
				"boot (command 2021) Error: Timeout", "boot (command 3117) Error: Timeout",
				"halt (command 2511) Error: Timeout", "halt (command 3290) Error: Timeout",
				"wait (command 1900) Error: Timeout",
			},
			want: []string{
				"boot (command <*>) Error: Timeout", "boot (command <*>) Error: Timeout",
				"halt (command <*>) Error: Timeout", "halt (command <*>) Error: Timeout",
				"wait (command <*>) Error: Timeout",
			},
		},
		{
			name: "first-token values seen once merge at three",
			msgs: []string{"alpha (command 1) Error: Timeout", "beta (command 2) Error: Timeout", "gamma (command 3) Error: Timeout"},
			want: []string{"<*> (command <*>) Error: Timeout", "<*> (command <*>) Error: Timeout", "<*> (command <*>) Error: Timeout"},
		},
		{
			name: "recurring user names past the first token merge",
			msgs: []string{
				"session opened for user cyrus by (uid=0)", "session opened for user cyrus by (uid=0)",
				"session opened for user news by (uid=0)", "session opened for user news by (uid=0)",
				"session opened for user test by (uid=509)",
			},
			want: []string{
				"session opened for user <*> by (uid=<*>)", "session opened for user <*> by (uid=<*>)",
				"session opened for user <*> by (uid=<*>)", "session opened for user <*> by (uid=<*>)",
				"session opened for user <*> by (uid=<*>)",
			},
		},
		{
			name: "a recurring sentence object is an event",
			msgs: []string{
				"Starting TrustedInstaller initialization.",
				"Starting the TrustedInstaller main loop.", "Starting the TrustedInstaller main loop.",
				"Starting TrustedInstaller finalization.",
			},
			want: []string{
				"Starting TrustedInstaller initialization.",
				"Starting the TrustedInstaller main loop.", "Starting the TrustedInstaller main loop.",
				"Starting TrustedInstaller finalization.",
			},
		},
		{
			name: "a sentence object merged before it recurred splits back when one recurs",
			msgs: []string{
				"Starting TrustedInstaller initialization.",
				"Starting the TrustedInstaller main loop.",
				"Starting TrustedInstaller finalization.",
				"Starting the TrustedInstaller main loop.",
			},
			want: []string{
				"Starting TrustedInstaller initialization.",
				"Starting the TrustedInstaller main loop.",
				"Starting TrustedInstaller finalization.",
				"Starting the TrustedInstaller main loop.",
			},
		},
		{
			name: "first-token values merged before they recurred split back once all recur",
			msgs: []string{
				"boot (command 1) Error: Timeout", "halt (command 2) Error: Timeout", "wait (command 3) Error: Timeout",
				"boot (command 4) Error: Timeout", "halt (command 5) Error: Timeout", "wait (command 6) Error: Timeout",
				"boot (command 7) Error: Timeout",
			},
			want: []string{
				"boot (command <*>) Error: Timeout", "halt (command <*>) Error: Timeout", "wait (command <*>) Error: Timeout",
				"boot (command <*>) Error: Timeout", "halt (command <*>) Error: Timeout", "wait (command <*>) Error: Timeout",
				"boot (command <*>) Error: Timeout",
			},
		},
		{
			name: "first-token values stay merged while one has not recurred",
			msgs: []string{
				"boot (command 1) Error: Timeout", "halt (command 2) Error: Timeout", "wait (command 3) Error: Timeout",
				"boot (command 4) Error: Timeout", "halt (command 5) Error: Timeout",
			},
			want: []string{
				"<*> (command <*>) Error: Timeout", "<*> (command <*>) Error: Timeout", "<*> (command <*>) Error: Timeout",
				"<*> (command <*>) Error: Timeout", "<*> (command <*>) Error: Timeout",
			},
		},
		{
			name: "an object that recurs as a template of values is still free text",
			msgs: []string{
				"Started Session 1 of user root.", "Started Daily apt download activities.",
				"Started Session 2 of user root.", "Started Cleanup of Temporary Directories.",
				"Started Session 3 of user root.",
			},
			want: []string{"Started <*>.", "Started <*>.", "Started <*>.", "Started <*>.", "Started <*>."},
		},
		{
			name: "sentence objects seen once are free text",
			msgs: []string{"Starting TrustedInstaller initialization.", "Starting the TrustedInstaller main loop.", "Starting TrustedInstaller finalization."},
			want: []string{"Starting <*>.", "Starting <*>.", "Starting <*>."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertMinedTemplates(t, tt.msgs, tt.want)
		})
	}
}

// TestMiner_SplitBackCounts checks that a pattern split back into its
// members keeps every message: each member's pattern counts its own
// messages, whether they came on the slow or the fast path, and the
// pattern that formed the variable keeps its ID.
func TestMiner_SplitBackCounts(t *testing.T) {
	m := cluster.NewMiner()
	first := m.Add("Starting TrustedInstaller initialization.")
	m.Add("Starting the TrustedInstaller main loop.")
	merged := m.Add("Starting TrustedInstaller finalization.")
	require.Equal(t, "Starting <*>.", merged.Template)
	assert.Equal(t, first.ID, merged.ID)
	p := m.Add("Starting TrustedInstaller finalization.")
	assert.Equal(t, "Starting TrustedInstaller finalization.", p.Template)
	assert.Equal(t, uint64(2), p.Count)
	got := map[string]uint64{}
	for _, q := range m.Patterns() {
		got[q.Template] = q.Count
	}
	assert.Equal(t, map[string]uint64{
		"Starting TrustedInstaller initialization.": 1,
		"Starting the TrustedInstaller main loop.":  1,
		"Starting TrustedInstaller finalization.":   2,
	}, got)
	q, ok := m.Pattern(first.ID)
	require.True(t, ok)
	assert.Equal(t, "Starting TrustedInstaller initialization.", q.Template)
	// Split back, the events do not form the tail again.
	m.Add("Starting the TrustedInstaller main loop.")
	m.Add("Starting TrustedInstaller cleanup phase.")
	r, ok := m.Match("Starting TrustedInstaller cleanup phase.")
	require.True(t, ok)
	assert.Equal(t, "Starting TrustedInstaller cleanup phase.", r.Template)
}

// TestMiner_SplitBackConcurrent adds the members of provisional patterns
// from several goroutines (run with -race): no message is lost, and the
// recurring constants end apart.
func TestMiner_SplitBackConcurrent(t *testing.T) {
	msgs := []string{
		"Starting TrustedInstaller initialization.",
		"Starting the TrustedInstaller main loop.",
		"Starting TrustedInstaller finalization.",
		"boot (command 1) Error: Timeout",
		"halt (command 2) Error: Timeout",
		"wait (command 3) Error: Timeout",
	}
	const workers, rounds = 4, 50
	m := cluster.NewMiner()
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := range rounds {
				for i := range msgs {
					m.Add(msgs[(i+w+r)%len(msgs)])
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	var total uint64
	for _, p := range m.Patterns() {
		total += p.Count
	}
	assert.Equal(t, uint64(workers*rounds*len(msgs)), total)
	for _, msg := range msgs {
		p, ok := m.Match(msg)
		require.True(t, ok, msg)
		assert.NotContains(t, p.Template[:4], "<*>", msg)
		assert.NotEqual(t, "Starting <*>.", p.Template, msg)
	}
}

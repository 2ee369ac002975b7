package cluster_test

import "testing"

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

package cluster_test

import (
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_variableSpan checks the span merge (miner_span.go): messages
// with the same words that differ only in the number of tokens of a span
// holding a value are one event with one <*> for the span, and the guards
// keep other events apart. Expected templates are written by hand, as the
// corrected Loghub labels write them.
func TestMiner_variableSpan(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string // per line
	}{
		{
			// Proxifier: a 64-bit process is written with a "*64" marker.
			name: "proxifier open",
			lines: []string{
				"chrome.exe - www.google.com:443 open through proxy proxy.example.edu:5070 HTTPS",
				"firefox.exe - mail.example.org:443 open through proxy proxy.example.edu:5070 HTTPS",
				"chrome.exe *64 - clients2.google.com:443 open through proxy proxy.example.edu:5070 HTTPS",
				"outlook.exe - imap.example.org:993 open through proxy proxy.example.edu:5070 HTTPS",
			},
			want: []string{
				"<*> open through proxy <*> HTTPS",
				"<*> open through proxy <*> HTTPS",
				"<*> open through proxy <*> HTTPS",
				"<*> open through proxy <*> HTTPS",
			},
		},
		{
			name: "proxifier close",
			lines: []string{
				"chrome.exe - www.google.com:443 close, 451 bytes sent, 2108 bytes received, lifetime 00:02",
				"svchost.exe *64 - update.example.com:80 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime <1 sec",
				"firefox.exe - mail.example.org:443 close, 0 bytes sent, 0 bytes received, lifetime <1 sec",
			},
			want: []string{
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
			},
		},
		{
			// A consumer group coordinator: a list of partitions of
			// varying length, written with spaces.
			name: "argument list",
			lines: []string{
				"Rebalance assigned partitions 3 7 9 to member 10.0.0.7:4411 in group billing",
				"Rebalance assigned partitions 4 to member 10.0.0.8:4412 in group billing",
				"Rebalance assigned partitions 1 2 to member 10.0.0.9:4413 in group billing",
			},
			want: []string{
				"Rebalance assigned partitions <*> to member <*> in group billing",
				"Rebalance assigned partitions <*> to member <*> in group billing",
				"Rebalance assigned partitions <*> to member <*> in group billing",
			},
		},
		{
			// A bracketed list whose items vary in number keeps its
			// brackets around one <*>.
			name: "bracketed list",
			lines: []string{
				"Flushed cache of shard 7, evicted entries: [k1:10.0.0.1:80, k2:10.0.0.2:80]",
				"Flushed cache of shard 9, evicted entries: [k3:10.0.0.3:80]",
				"Flushed cache of shard 2, evicted entries: [k4:10.0.0.4:80, k5:10.0.0.5:80, k6:10.0.0.6:80]",
			},
			want: []string{
				"Flushed cache of shard <*>, evicted entries: [<*>]",
				"Flushed cache of shard <*>, evicted entries: [<*>]",
				"Flushed cache of shard <*>, evicted entries: [<*>]",
			},
		},
		{
			// The punctuation after the list's closing bracket stays.
			name: "list inside parentheses",
			lines: []string{
				"Refreshed upstream pool (targets: [10.0.0.1:80, 10.0.0.2:80]) for service web",
				"Refreshed upstream pool (targets: [10.0.0.3:80]) for service web",
			},
			want: []string{
				"Refreshed upstream pool (targets: [<*>]) for service web",
				"Refreshed upstream pool (targets: [<*>]) for service web",
			},
		},
		{
			// An object dump (a toString) is one value, its name
			// included.
			name: "object dump",
			lines: []string{
				"Scheduled job on pool workers with plan Plan(id:71, steps:[Step(n:1), Step(n:2)]) for tenant 12",
				"Scheduled job on pool workers with plan Plan(id:72, steps:[Step(n:5)]) for tenant 13",
			},
			want: []string{
				"Scheduled job on pool workers with plan <*> for tenant <*>",
				"Scheduled job on pool workers with plan <*> for tenant <*>",
			},
		},
		{
			// An added word names another event (OpenSSH).
			name: "plain word apart",
			lines: []string{
				"Connection closed by 10.0.0.1 port 2201",
				"Connection closed by invalid user 10.0.0.2 port 2202",
			},
			want: []string{
				"Connection closed by <*> port <*>",
				"Connection closed by invalid user <*> port <*>",
			},
		},
		{
			// A bracketed group is another format of the message
			// (Loghub's Linux keeps these apart).
			name: "bracketed group apart",
			lines: []string{
				"Authentication failed from 10.0.0.1: Permission denied in replay cache code",
				"Authentication failed from 10.0.0.2 (10.0.0.2): Permission denied in replay cache code",
			},
			want: []string{
				"Authentication failed from <*>: Permission denied in replay cache code",
				"Authentication failed from <*> (<*>): Permission denied in replay cache code",
			},
		},
		{
			// An added key is another field (Loghub's Linux and OpenSSH).
			name: "added key apart",
			lines: []string{
				"authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.1",
				"authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.2 user=root",
			},
			want: []string{
				"authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*>",
				"authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>",
			},
		},
		{
			// Spans of names without a value: constants of the event.
			name: "constant span apart",
			lines: []string{
				"Loaded plugin alpha.so from the disk cache",
				"Loaded plugin beta.so gamma.so from the disk cache",
			},
			want: []string{
				"Loaded plugin alpha.so from the disk cache",
				"Loaded plugin beta.so gamma.so from the disk cache",
			},
		},
		{
			// Two words only: a short message's subject stays its own.
			name: "short subject apart",
			lines: []string{
				"rpc.statd startup succeeded",
				"rpc.idmapd 2 startup succeeded",
			},
			want: []string{
				"rpc.statd startup succeeded",
				"rpc.idmapd <*> startup succeeded",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := cluster.NewMiner()
			for _, l := range tt.lines {
				m.Add(l)
			}
			for i, l := range tt.lines {
				p, ok := m.Match(l)
				if !ok {
					t.Fatalf("Match(%q) found no pattern", l)
				}
				if p.Template != tt.want[i] {
					t.Errorf("Match(%q) = %q, want %q", l, p.Template, tt.want[i])
				}
			}
		})
	}
}

// TestMiner_variableSpanSnapshot checks that a span pattern restored from
// a snapshot still takes a message of another token count.
func TestMiner_variableSpanSnapshot(t *testing.T) {
	m := cluster.NewMiner()
	m.Add("chrome.exe - www.google.com:443 open through proxy proxy.example.edu:5070 HTTPS")
	m.Add("chrome.exe *64 - clients2.google.com:443 open through proxy proxy.example.edu:5070 HTTPS")
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	r := cluster.NewMiner()
	if err := r.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	p := r.Add("svchost.exe *64 - update.example.com:80 open through proxy proxy.example.edu:5070 HTTPS")
	if want := "<*> open through proxy <*> HTTPS"; p.Template != want || p.Count != 3 {
		t.Errorf("after restore: %q count %d, want %q count 3", p.Template, p.Count, want)
	}
	if r.Len() != 1 {
		t.Errorf("after restore: %d patterns, want 1", r.Len())
	}
	// Match finds it for a message of a third token count never added.
	q, ok := r.Match("outlook.exe *64 extra.example.org:993 - imap.example.org:993 open through proxy proxy.example.edu:5070 HTTPS")
	if !ok || q.ID != p.ID {
		t.Errorf("Match of an unseen length: %v %q, want pattern %d", ok, q.Template, p.ID)
	}
}

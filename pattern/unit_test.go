package pattern_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestMiner_unitAfterVariable: a unit word after a variable is part of its
// value (internal/unitword), so the forms of one quantity are one pattern,
// as cluster.Miner groups them. Expected templates are written by hand.
func TestMiner_unitAfterVariable(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want string
	}{
		{"Proxifier close lines", []string{
			"proxy.example.org:5070 close, 0 bytes sent, 0 bytes received, lifetime <1 sec",
			"www.example.com:443 close, 451 bytes sent, 2108 bytes received, lifetime 00:02",
			"cdn.example.com:443 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02",
			"video.example.com:443 close, 403 bytes sent, 5340 bytes (5.21 KB) received, lifetime <1 sec",
		}, "<*> close, <*> sent, <*> received, lifetime <*>"},
		{"two time units and none", []string{
			"lease renewed after 250 ms", "lease renewed after 3 s", "lease renewed after 2",
		}, "lease renewed after <*>"},
		{"two size units: the differing token becomes one <*>, as any value here", []string{
			"backup done (12 MB), exiting", "backup done (3 GB), exiting",
		}, "backup done <*> exiting"},
		{"one unit throughout", []string{
			"request took 12 ms", "request took 30 ms",
		}, "request took <*> ms"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			got := ids(m, test.msgs)
			assert.Equal(t, 1, distinct(got), "one pattern: %v", got)
			tmpl, ok := m.Template(got[0])
			require.True(t, ok)
			assert.Equal(t, test.want, tmpl)
		})
	}
}

// Events that stay apart: a unit word that follows no variable is a word
// of the event, and a clause with a quantity ("over <*> seconds") is not
// one value (BGL's labels keep the two ddr events apart). Each keeps its
// signature as its pattern ID.
func TestMiner_unitEventsStayApart(t *testing.T) {
	for _, msgs := range [][]string{
		{"timer resolution set to ms", "timer resolution set to s"},
		{"total of 3 ddr error(s) detected and corrected", "total of 4 ddr error(s) detected and corrected over 20 seconds"},
	} {
		got := ids(pattern.New(), msgs)
		for i, msg := range msgs {
			assert.Equal(t, signature.Of(msg), got[i], msg)
		}
	}
}

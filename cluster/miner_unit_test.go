package cluster_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_unitAfterVariable: a unit word after a variable is part of the
// variable's value (miner_unit.go). Every expected template is written by
// hand from the rule: the unit stays while all members wrote the same one,
// the bare <*> once they differ.
func TestMiner_unitAfterVariable(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string
	}{
		{
			name: "Proxifier close lines: sizes with a unit, compound sizes masked whole, durations with and without one",
			msgs: []string{
				"proxy.example.org:5070 close, 0 bytes sent, 0 bytes received, lifetime <1 sec",
				"www.example.com:443 close, 451 bytes sent, 2108 bytes received, lifetime 00:02",
				"cdn.example.com:443 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02",
				"10.1.2.3:80 close, 861 bytes sent, 1077 bytes received, lifetime 01:13",
				"video.example.com:443 close, 403 bytes sent, 5340 bytes (5.21 KB) received, lifetime <1 sec",
			},
			want: []string{
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
				"<*> close, <*> sent, <*> received, lifetime <*>",
			},
		},
		{
			name: "one unit throughout is kept",
			msgs: []string{"request took 12 ms", "request took 30 ms", "request took 7 ms"},
			want: []string{"request took <*> ms", "request took <*> ms", "request took <*> ms"},
		},
		{
			name: "two units",
			msgs: []string{"query finished in 12 ms", "query finished in 1.5 s"},
			want: []string{"query finished in <*>", "query finished in <*>"},
		},
		{
			name: "a unit and none, the bare one first",
			msgs: []string{"cache flushed 7 to disk", "cache flushed 12 MB to disk"},
			want: []string{"cache flushed <*> to disk", "cache flushed <*> to disk"},
		},
		{
			name: "closing punctuation stays after the variable",
			msgs: []string{"backup done (12 MB), exiting", "backup done (3 GB), exiting", "backup done (3 GB), exiting"},
			want: []string{"backup done (<*>), exiting", "backup done (<*>), exiting", "backup done (<*>), exiting"},
		},
		{
			name: "two quantities, each by its own members",
			msgs: []string{"sent 12 MB in 3 s", "sent 1 GB in 4 s", "sent 5 KB in 40 s"},
			want: []string{"sent <*> in <*> s", "sent <*> in <*> s", "sent <*> in <*> s"},
		},
		{
			name: "a key's value with a unit",
			msgs: []string{"chunk size=12 bytes ok", "chunk size=4 ok"},
			want: []string{"chunk size=<*> ok", "chunk size=<*> ok"},
		},
		{
			name: "a unit word that follows no variable is a word of the event",
			msgs: []string{"timer resolution set to ms", "timer resolution set to s"},
			want: []string{"timer resolution set to ms", "timer resolution set to s"},
		},
		{
			name: "a key's free-text tail after a quantity with a unit",
			msgs: []string{
				"duration: 1.2 ms statement: SELECT * FROM orders WHERE id = 4",
				"duration: 3.5 ms statement: UPDATE stock SET qty = qty - 1",
				"duration: 9.0 ms statement: DELETE FROM carts",
			},
			want: []string{
				"duration: <*> ms statement: <*>",
				"duration: <*> ms statement: <*>",
				"duration: <*> ms statement: <*>",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertMinedTemplates(t, tt.msgs, tt.want)
		})
	}
}

// TestMiner_unitPatternIsOne checks that the forms of one quantity are one
// pattern (one ID and count), in either order of arrival.
func TestMiner_unitPatternIsOne(t *testing.T) {
	forms := []string{"lease renewed after 3 s", "lease renewed after 250 ms", "lease renewed after 2"}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		m := cluster.NewMiner()
		var ids []uint64
		for _, i := range order {
			ids = append(ids, m.Add(forms[i]).ID)
		}
		ps := m.Patterns()
		require.Len(t, ps, 1, "order %v", order)
		assert.Equal(t, "lease renewed after <*>", ps[0].Template)
		assert.Equal(t, uint64(3), ps[0].Count)
		assert.Equal(t, []uint64{ids[0], ids[0], ids[0]}, ids, "order %v", order)
	}
}

// TestMiner_unitSnapshot: a snapshot keeps a pattern's unit, and a restored
// pattern goes on grouping the other forms of its quantity.
func TestMiner_unitSnapshot(t *testing.T) {
	m := cluster.NewMiner()
	m.Add("request took 12 ms")
	id := m.Add("request took 30 ms").ID
	data, err := json.Marshal(m)
	require.NoError(t, err)

	r := cluster.NewMiner()
	require.NoError(t, json.Unmarshal(data, r))
	p, ok := r.Pattern(id)
	require.True(t, ok)
	assert.Equal(t, "request took <*> ms", p.Template)

	p = r.Add("request took 1.5 s")
	assert.Equal(t, id, p.ID)
	assert.Equal(t, "request took <*>", p.Template)
	assert.Equal(t, uint64(3), p.Count)
}

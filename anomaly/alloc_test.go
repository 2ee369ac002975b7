//go:build !race

package anomaly_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestObserve_Allocs pins the steady state of Observe at zero allocations:
// known patterns, within an interval and across interval roll-overs.
func TestObserve_Allocs(t *testing.T) {
	var c collector
	d := newDetector(t, &c)
	ps := []pat{newPat("a", slog.LevelInfo), newPat("b", slog.LevelWarn), newPat("c", slog.LevelError)}
	for sec := range 100 {
		for _, p := range ps {
			feed(d, p, sec, sec+1, 5)
		}
	}
	sec, i := 100, 0
	allocs := testing.AllocsPerRun(10000, func() {
		p := ps[i%len(ps)]
		d.Observe(p.sig, p.msg, p.level, at(sec, float64(i%50)/50))
		i++
		if i%50 == 0 {
			sec++ // roll over every 50 records
		}
	})
	assert.Zero(t, allocs, "Observe allocates in steady state")
	assert.Zero(t, len(c.opened), "steady traffic opened events: %+v", c.opened)
}

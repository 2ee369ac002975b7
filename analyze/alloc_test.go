package analyze

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
)

// TestSteadyStateAllocs pins the per-line work that does not allocate once a
// signature is known: the aggregation, and the byte-level format matcher
// with its time cache.
func TestSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	a, err := newAggregator(maxSignatures, time.Second)
	require.NoError(t, err)
	lp := &lineParser{}
	c := &chunk{}
	line := "2026-03-14T10:00:00.000Z INFO GET /api/items/17 200 in 3ms"
	rec := lp.parseLine(line, c)
	a.add(&rec, nil) // first line of the signature: allocates its entry
	allocs := testing.AllocsPerRun(1000, func() {
		rec.t = rec.t.Add(time.Millisecond)
		a.add(&rec, nil)
	})
	assert.Zero(t, allocs, "aggregating a line of a known signature")

	// Joining: a continuation line after a record.
	a.join = true
	cont := lp.parseLine("\tat com.example.App.handle(App.java:57)", c)
	require.True(t, cont.cont)
	allocs = testing.AllocsPerRun(1000, func() {
		a.add(&rec, nil)
		a.add(&cont, nil)
	})
	assert.Zero(t, allocs, "aggregating a record and its continuation line")
	require.NotZero(t, a.joined)

	// A JSON line: the field scan, its time and its pattern.
	lp = &lineParser{sp: logline.NewParser(logline.Keys{})}
	jl := `{"time":"2026-03-14T10:00:00.000Z","level":"INFO","msg":"GET /api/items/17 200 in 3ms","req":{"id":"a1"},"host":"n1"}`
	rec = lp.parseLine(jl, c)
	require.Equal(t, levelInfo, rec.lvl)
	require.False(t, rec.t.IsZero())
	allocs = testing.AllocsPerRun(1000, func() {
		c.ss.Reset()
		rec = lp.parseLine(jl, c)
	})
	assert.Zero(t, allocs, "parsing a JSON line")

	f := compileFast(loghubFormats["HDFS"])
	require.NotNil(t, f)
	vals := make([]string, len(f.names))
	var tc timeCache
	hdfs := "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"
	_, _, _, ok := f.parse(hdfs, vals, &tc)
	require.True(t, ok)
	allocs = testing.AllocsPerRun(1000, func() {
		_, _, _, ok = f.parse(hdfs, vals, &tc)
	})
	assert.Zero(t, allocs, "matching a line whose time is cached")

	// Every HealthApp line has a new millisecond: the time cache misses.
	f = compileFast(loghubFormats["HealthApp"])
	require.NotNil(t, f)
	vals = make([]string, len(f.names))
	lines := []string{
		"20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
		"20171223-22:15:29:615|Step_LSC|30002312|onExtend:1514038530000 14 0 4",
	}
	i := 0
	allocs = testing.AllocsPerRun(1000, func() {
		_, _, _, ok = f.parse(lines[i%2], vals, &tc)
		i++
	})
	require.True(t, ok)
	assert.False(t, tc.t.IsZero(), "HealthApp time read")
	assert.Zero(t, allocs, "matching a line whose time is not cached")
}

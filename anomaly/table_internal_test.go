package anomaly

import (
	"log/slog"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/signature"
)

// TestShortcuts_sameAsSlowPath feeds one stream to two detectors, one with
// the shortcuts (records counted in the fast word, the surge's share test
// skipped while an earlier sum shows it fails) and one without (slowOnly:
// every record through the slot, every share test summed), and asserts that
// they answer every record alike and publish the same events and counters.
// The stream has what ends a fast-path budget: bursts past the spike
// threshold, new patterns, a pattern going silent and returning, records at
// a higher level than their pattern's, error surges, error rises without a
// share rise, eviction, late and untimed records and Advance.
func TestShortcuts_sameAsSlowPath(t *testing.T) {
	all := []Type{RateSpike, NewPattern, Disappeared, ErrorSurge}
	tests := []struct {
		name    string
		opts    []Option
		want    []Type // event types the stream must produce
		evicted bool   // whether it must evict patterns
	}{
		{"defaults", nil, all, false},
		// The silent pattern is the first to be evicted: no Disappeared.
		{"one scale, small table", []Option{WithInterval(time.Second), WithMaxPatterns(36)}, []Type{RateSpike, NewPattern, ErrorSurge}, true},
		{"short history", []Option{WithMaxPatterns(48), WithThresholds(Thresholds{WarmupIntervals: 5, MinHistoryIntervals: 5})}, all, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var evs [2][]Event
			var ds [2]*Detector
			for k := range ds {
				opts := append([]Option{WithCallback(func(e Event) { evs[k] = append(evs[k], e) })}, test.opts...)
				d, err := New(opts...)
				require.NoError(t, err)
				ds[k] = d
			}
			ds[1].slowOnly = true

			rng := rand.New(rand.NewPCG(11, 7))
			const nPat = 40
			sigs := make([]signature.Sig, nPat)
			msgs := make([]string, nPat)
			for i := range sigs {
				msgs[i] = "shortcut test kind" + strconv.Itoa(i) + " took 7 ms"
				sigs[i] = signature.OfTemplate(msgs[i])
			}
			t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
			records, opened := 0, 0
			for sec := range 1800 {
				for i := range nPat {
					// Patterns 30.. appear after 10 minutes; 5 is silent
					// from minute 15 to 20; 7 bursts for 3 s every 5 min.
					if i >= 30 && sec < 600 || i == 5 && sec >= 900 && sec < 1200 {
						continue
					}
					n := rng.IntN(2*(i%6) + 2)
					if i == 7 && sec%300 < 3 {
						n += 200
					}
					// Every 500 s, errors rise with all traffic (the
					// share stays): the share test fails repeatedly.
					if sec%500 == 250 && (i == 8 || i == 9) {
						n += 400 * (1 + i%2)
					}
					for range n {
						lvl := slog.LevelInfo
						switch {
						case i%10 == 9:
							lvl = slog.LevelError
						case rng.IntN(500) == 0:
							lvl = slog.LevelWarn // above the pattern's level
						case sec%400 < 4 && rng.IntN(3) == 0:
							lvl = slog.LevelError // a surge
						}
						tm := t0.Add(time.Duration(sec)*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond)
						switch rng.IntN(400) {
						case 0:
							tm = time.Time{} // untimed
						case 1:
							tm = tm.Add(-3 * time.Second) // late
						}
						var open [2]bool
						for k, d := range ds {
							open[k] = d.Observe(sigs[i], msgs[i], lvl, tm)
						}
						require.Equal(t, open[1], open[0], "record %d (pattern %d, second %d)", records, i, sec)
						records++
						if open[0] {
							opened++
						}
					}
				}
				if sec%97 == 0 {
					for _, d := range ds {
						d.Advance(t0.Add(time.Duration(sec)*time.Second + 999*time.Millisecond))
					}
				}
			}
			for _, d := range ds {
				require.NoError(t, d.Shutdown(t.Context()))
			}
			assert.Equal(t, evs[1], evs[0], "events")
			s0, s1 := ds[0].Snapshot(), ds[1].Snapshot()
			assert.Equal(t, s1, s0, "snapshot")
			assert.Equal(t, uint64(records), s0.Stats.Records, "records")
			// The stream must exercise what it is meant to.
			types := map[Type]int{}
			for _, e := range evs[0] {
				types[e.Type]++
			}
			for _, ty := range test.want {
				assert.Positive(t, types[ty], "no %v event: the stream does not test it", ty)
			}
			assert.Positive(t, opened, "no record with the valve open")
			if test.evicted {
				assert.Positive(t, s0.Stats.Evicted, "no eviction")
			}
		})
	}
}

// TestFastWord follows the fast word of one steady pattern: after
// a roll-over the budget is the records below the spike floor, the record
// that spends it goes through the slot, and a record above the pattern's
// level takes the slot too (it raises the level the events report).
func TestFastWord(t *testing.T) {
	d, err := New()
	require.NoError(t, err)
	sig := signature.Sig(0x51ed270b27e5e8a3)
	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	observe := func(sec, i int, lvl slog.Level) bool {
		return d.Observe(sig, "steady", lvl, t0.Add(time.Duration(sec)*time.Second+time.Duration(i)*time.Millisecond))
	}
	for sec := range 200 {
		for i := range 4 {
			observe(sec, i, slog.LevelInfo)
		}
	}
	observe(200, 0, slog.LevelInfo) // roll over into second 200
	h := mix(uint64(sig))
	sh := &d.shards[h&d.shardMask]
	p := sh.find(sig, h)
	require.GreaterOrEqual(t, p, 0)
	s, f := &sh.slots[p], &sh.fast[p]
	require.True(t, s.lazy, "steady pattern")
	// The floor at 4/s is MinCount 10 < 5·4 = 20: 20 − 1 records fit,
	// one of which is counted.
	assert.Equal(t, uint32(20-1-1), *f&budgetMask, "budget after the first record")
	assert.Zero(t, *f&openBit, "valve closed")
	assert.Equal(t, uint32(levelBias+int(slog.LevelInfo)), *f>>levelShift, "level code")
	assert.Equal(t, uint32(0), s.count, "the first record is counted in the fast word")

	observe(200, 1, slog.LevelWarn)
	assert.Equal(t, slog.LevelWarn, s.maxLevel, "a WARN record goes through the slot")
	assert.Equal(t, uint32(2), s.count, "the slot folded the fast word's record and counted its own")
	assert.Equal(t, uint32(levelBias+int(slog.LevelWarn)), *f>>levelShift, "level code raised")

	for i := 2; *f&budgetMask != 0; i++ {
		observe(200, i, slog.LevelInfo)
	}
	fold(s, *f, sh.cur.Load())
	assert.Equal(t, uint32(19), s.count, "budget spent at the record below the floor")
	observe(200, 19, slog.LevelInfo)
	assert.False(t, s.lazy, "the record that reached the floor computed the threshold")
}

// TestSlotSize pins the slot at three cache lines: the roll-over streams
// every live slot through the caches once per interval, and a field added
// to the slot costs every pattern's roll-over a fourth line (put state read
// only when a bucket ends or an event is open in slotExt).
func TestSlotSize(t *testing.T) {
	assert.Equal(t, uintptr(192), unsafe.Sizeof(slot{}), "slot size")
	assert.Equal(t, uintptr(16), unsafe.Sizeof(entry{}), "index entry size")
	assert.Equal(t, uintptr(240), unsafe.Sizeof(shard{}), "shard size")
}

// TestBoundsOf asserts that a shard's cached bounds (boundsOf) are the
// bounds computed from scratch (boundaries) along a walk of roll-overs of
// one interval and of gaps, across negative intervals, for configurations
// with and without coarse scales and seasonal profile, and that the cache
// is used where buckets span several intervals (a minute interval ends a
// minute at every step: never).
func TestBoundsOf(t *testing.T) {
	tests := []struct {
		name   string
		opts   []Option
		cached bool // most roll-overs take the quiet bounds
	}{
		{"defaults", nil, true},
		{"no scales", []Option{WithScales()}, true},
		{"10 s interval", []Option{WithInterval(10 * time.Second)}, true},
		{"minute interval", []Option{WithInterval(time.Minute)}, false},
		{"odd scales", []Option{WithInterval(time.Second), WithScales(7*time.Second, 91*time.Second)}, true},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			d, err := New(test.opts...)
			require.NoError(t, err)
			var sh shard
			rng := rand.New(rand.NewPCG(1, 2))
			from, hits, steps := int64(-5000), 0, 0
			for range 20000 {
				g := int64(1)
				if rng.IntN(20) == 0 {
					g += rng.Int64N(300)
				}
				to := from + g
				cached := sh.quietLo <= from && to < sh.quietHi
				var got bounds
				d.boundsOf(&sh, from, to, &got)
				require.Equal(t, d.boundaries(from, to), got, "roll-over %d -> %d", from, to)
				if cached {
					hits++
				}
				steps++
				from = to
			}
			if test.cached {
				assert.Greater(t, hits, steps/2, "the quiet bounds serve most roll-overs")
			} else {
				assert.Zero(t, hits, "every roll-over crosses a boundary")
			}
		})
	}
}

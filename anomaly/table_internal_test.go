package anomaly

import (
	"log/slog"
	"math"
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
// share rise, eviction, late and untimed records and Advance. The cases
// with extra patterns add many patterns with about one record per interval
// (the steady roll-over, rollNext, is most of their roll-overs), some
// sparse, some bursting, going silent or dropping from a rate that a drop
// test watches; the slots' state is compared at every Advance and at the
// end.
func TestShortcuts_sameAsSlowPath(t *testing.T) {
	all := []Type{RateSpike, NewPattern, Disappeared, ErrorSurge}
	tests := []struct {
		name    string
		opts    []Option
		extra   int    // patterns with about one record per interval
		want    []Type // event types the stream must produce
		evicted bool   // whether it must evict patterns
	}{
		{"defaults", nil, 0, all, false},
		// The silent pattern is the first to be evicted: no Disappeared.
		{"one scale, small table", []Option{WithInterval(time.Second), WithMaxPatterns(36)}, 0, []Type{RateSpike, NewPattern, ErrorSurge}, true},
		{"short history", []Option{WithMaxPatterns(48), WithThresholds(Thresholds{WarmupIntervals: 5, MinHistoryIntervals: 5})}, 0, all, false},
		{"many patterns", nil, 200, append(all, RateDrop), false},
		{"many patterns, one scale", []Option{WithInterval(time.Second)}, 200, append(all, RateDrop), false},
		{"many patterns, short history", []Option{WithThresholds(Thresholds{WarmupIntervals: 5, MinHistoryIntervals: 5})}, 200, append(all, RateDrop), false},
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
			const base = 40
			nPat := base + test.extra
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
					if i >= base {
						n = extraCount(i, sec, rng)
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
						if open[1] != open[0] {
							t.Fatalf("record %d (pattern %d, second %d): open %v, slot path %v", records, i, sec, open[0], open[1])
						}
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
					requireSameSlots(t, ds[0], ds[1], sec)
				}
			}
			for _, d := range ds {
				require.NoError(t, d.Shutdown(t.Context()))
			}
			requireSameSlots(t, ds[0], ds[1], -1)
			var steady, edges, edgeEvents, parked, blocks uint64
			for i := range ds[0].shards {
				steady += ds[0].shards[i].steadyRolls
				edges += ds[0].shards[i].steadyEdges
				edgeEvents += ds[0].shards[i].steadyEdgeEvents
				parked += uint64(ds[0].shards[i].parkedRolls)
				blocks += uint64(ds[0].shards[i].blocks)
				assert.Zero(t, ds[1].shards[i].steadyRolls, "the slot path took the steady roll")
				// Parking is a rule of both paths.
				assert.Equal(t, ds[0].shards[i].parkedRolls, ds[1].shards[i].parkedRolls, "shard %d parked roll-overs", i)
				assert.Equal(t, ds[0].shards[i].blocks, ds[1].shards[i].blocks, "shard %d blocks", i)
			}
			if test.extra > 0 {
				// Most roll-overs of the extra patterns are steady or
				// parked (most of them at about one record per interval
				// park), also at the ends of buckets, where a coarse
				// scale opens events.
				assert.Greater(t, steady+parked, uint64(test.extra*1800/2), "steady and parked roll-overs")
				assert.Positive(t, blocks, "no block folded")
				if ds[0].nScales > 0 {
					// Without coarse scales the patterns at one record
					// per interval run the low-rate CUSUM: not parked.
					assert.Greater(t, parked, uint64(test.extra*1800/4), "parked roll-overs")
				}
				assert.Greater(t, edges, uint64(test.extra*1800/60/2), "steady roll-overs at a bucket or minute end")
				if len(test.opts) == 0 {
					assert.Positive(t, edgeEvents, "no scale event opened by a steady roll-over")
				}
			}
			t.Logf("%d records, %d steady roll-overs, %d at a bucket or minute end (%d opened an event), %d parked in %d blocks", records, steady, edges, edgeEvents, parked, blocks)
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

// extraCount is the number of records in second sec of extra pattern i of
// TestShortcuts_sameAsSlowPath: one, except for sparse patterns (0 to 2),
// bursts, silences (a Disappeared event) and patterns at 8 or 30 records
// per interval that stop for a minute (a RateDrop; their mean decays
// through the rate below which no drop can pass).
func extraCount(i, sec int, rng *rand.Rand) int {
	n := 1
	switch {
	case i%17 == 0:
		n = 8
		if i%34 == 0 {
			n = 30 // a drop the interval's own test sees
		}
		if sec >= 1400 && sec < 1460 {
			n = 0
		}
	case i%7 == 0:
		n = rng.IntN(3)
	case i%50 == 1 && sec >= 1000 && sec < 1300:
		n = 0
	}
	if i%13 == 0 && sec%600 < 2 {
		n += 30
	}
	return n
}

// requireSameSlots asserts that two detectors fed the same records, one
// with the shortcuts and one without (slowOnly), hold the same state in
// every slot (the fast words folded in), apart from what only the
// shortcuts keep: the fast word's grant and the steady flag.
func requireSameSlots(t *testing.T, fast, slow *Detector, sec int) {
	t.Helper()
	for i := range fast.shards {
		shf, shs := &fast.shards[i], &slow.shards[i]
		require.Equal(t, shs.n, shf.n, "shard %d patterns (second %d)", i, sec)
		for j := range shf.slots[:shf.n] {
			require.Equal(t, shs.park[j], shf.park[j], "shard %d slot %d block (second %d)", i, j, sec)
			if shf.park[j].grant() != 0 {
				require.Equal(t, shs.fast[j]&budgetMask, shf.fast[j]&budgetMask, "shard %d slot %d parked budget (second %d)", i, j, sec)
			}
			a, b := shf.slots[j], shs.slots[j]
			fold(&a, shf.fast[j], shf.cur.Load())
			fold(&b, shs.fast[j], shs.cur.Load())
			require.Equal(t, *b.x, *a.x, "shard %d slot %d cold state (second %d)", i, j, sec)
			for _, ev := range []*[4]*Event{{a.spike, a.fresh, a.gone, a.drop}, {b.spike, b.fresh, b.gone, b.drop}} {
				for k, e := range ev {
					if e != nil {
						c := *e
						ev[k] = &c
					}
				}
			}
			require.Equal(t, [4]*Event{b.spike, b.fresh, b.gone, b.drop}, [4]*Event{a.spike, a.fresh, a.gone, a.drop}, "shard %d slot %d events (second %d)", i, j, sec)
			a.x, b.x = nil, nil
			a.spike, a.fresh, a.gone, a.drop = nil, nil, nil, nil
			b.spike, b.fresh, b.gone, b.drop = nil, nil, nil, nil
			a.granted, b.granted = 0, 0
			a.steady, b.steady = false, false
			require.Equal(t, b, a, "shard %d slot %d (second %d)", i, j, sec)
		}
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
// only when a bucket ends or an event is open in slotExt), and the steady
// roll-over's fields in the first two.
func TestSlotSize(t *testing.T) {
	assert.Equal(t, uintptr(192), unsafe.Sizeof(slot{}), "slot size")
	// The steady roll-over (rollNext) in the middle of a bucket reads
	// and writes the first two cache lines only: its last field is sfUp, its flags are in the
	// first line, and the cold line starts at sfDn.
	var s slot
	assert.Less(t, unsafe.Offsetof(s.sfUp), uintptr(128), "sfUp in the first two lines")
	assert.Less(t, unsafe.Offsetof(s.openTill), uintptr(128), "openTill in the first two lines")
	assert.Less(t, unsafe.Offsetof(s.steady), uintptr(64), "flags in the first line")
	assert.GreaterOrEqual(t, unsafe.Offsetof(s.sfDn), uintptr(128), "sfDn, first and the events in the third line")
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

// TestInsideRuns checks bucket's shortcut against its run loop: for counts
// drawn at and next to every run threshold and SpikeZ's, above and below,
// and at random, with random seasonal factors and earlier runs, a bucket
// that insideRuns reports inside leaves bucketRuns with every run at 0 and
// none reached, and passes neither single-bucket test; and, at the
// default SpikeZ, the shortcut serves most counts of a Poisson spread.
func TestInsideRuns(t *testing.T) {
	for _, z := range []float64{DefaultSpikeZ, 4, 2.5, 1} {
		t.Run(strconv.FormatFloat(z, 'g', -1, 64), func(t *testing.T) {
			d, err := New(WithThresholds(Thresholds{SpikeZ: z}))
			require.NoError(t, err)
			rng := rand.New(rand.NewPCG(3, 5))
			zs := append(d.zRuns[:], d.th.SpikeZ)
			inside, spread, spreadIn := 0, 0, 0
			for i := range 300000 {
				mean := math.Exp(rng.Float64()*12 - 4) // 0.02 to 3 000 per bucket
				sd := math.Sqrt(mean * (0.5 + 2*rng.Float64()))
				if i%50 == 0 {
					sd = 0
				}
				up, dn := 1.0, 1.0
				if i%3 == 0 {
					up, dn = 0.5+rng.Float64(), 0.5+rng.Float64()
				}
				eUp, sdUp, eDn, sdDn := mean*up, sd*up, mean*dn, sd*dn
				var k float64
				switch zl := zs[rng.IntN(len(zs))]; i % 4 {
				case 0:
					k = eUp + zl*sdUp
				case 1:
					k = eDn - zl*sdDn
				case 2:
					k = mean + sd*rng.NormFloat64()*2
				default:
					k = math.Round(mean + math.Sqrt(mean)*rng.NormFloat64())
					spread++
				}
				switch rng.IntN(3) { // at the threshold or one ulp off
				case 1:
					k = math.Nextafter(k, math.Inf(1))
				case 2:
					k = math.Nextafter(k, math.Inf(-1))
				}
				var runs [3]int8
				for j := range runs {
					runs[j] = int8(rng.IntN(9) - 4)
				}
				in := d.insideRuns(k, eUp, sdUp, eDn, sdDn)
				runUp, runDn := d.bucketRuns(&runs, k, eUp, sdUp, eDn, sdDn)
				if !in {
					continue
				}
				inside++
				if i%4 == 3 {
					spreadIn++
				}
				require.Equal(t, [3]int8{}, runs, "runs of k %v (up %v ± %v, down %v ± %v)", k, eUp, sdUp, eDn, sdDn)
				require.Zero(t, runUp, "run up of k %v", k)
				require.Zero(t, runDn, "run down of k %v", k)
				require.False(t, k >= eUp+d.th.SpikeZ*sdUp, "rise of k %v", k)
				require.False(t, k <= eDn-d.th.SpikeZ*sdDn, "drop of k %v", k)
			}
			assert.Greater(t, inside, 1000, "the shortcut is tested")
			if z == DefaultSpikeZ {
				assert.Greater(t, spreadIn, spread/2, "most counts of a Poisson spread take the shortcut")
			}
			t.Logf("%d of 300000 inside; %d of %d Poisson counts", inside, spreadIn, spread)
		})
	}
}

// TestUnpark checks the closed-form fold of a block (unpark) against the
// per-interval EWMA recursion (ewma): exactly for one interval, and for a
// constant count the mean exactly and, when the count is the mean (a
// steady pattern), the variance too; otherwise within the bound of its
// weighting (each interval weighted by the block's mean weight, within
// 1 − a⁹ of its own, each deviation taken from the mean before the block).
func TestUnpark(t *testing.T) {
	d, err := New()
	require.NoError(t, err)
	w := d.th.Smoothing
	tests := []struct {
		name        string
		mean        float64 // before the block
		counts      []uint32
		tolM, tolV  float64 // relative, on the mean and the variance
		tolPresence float64
	}{
		{"one interval", 1.5, []uint32{3}, 1e-12, 1e-12, 1e-12},
		{"one empty interval", 1.5, []uint32{0}, 1e-12, 1e-12, 1e-12},
		{"steady", 2, []uint32{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 1e-12, 1e-12, 1e-12},
		{"constant above the mean", 1.5, []uint32{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 1e-12, 0.01, 1e-12},
		{"varying", 1.5, []uint32{0, 3, 1, 0, 2, 5, 1, 0, 1, 2}, 0.01, 0.05, 0.01},
		{"a burst at the end", 1.5, []uint32{1, 1, 1, 1, 1, 1, 1, 1, 1, 9}, 0.02, 0.1, 1e-12},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var sh shard
			s := slot{mean: test.mean, vr: 2, presence: 0.8, n: 500, last: 99, total: 1000}
			ref := s
			var p park = 9 // parked with a budget of 9
			sh.parked = 1
			var sum uint64
			nz, last := 0.0, ref.last
			for i, k := range test.counts {
				p = p.add(k)
				x := float64(k)
				ref.mean, ref.vr = ewma(ref.mean, ref.vr, x, w)
				ind := 0.0
				if k > 0 {
					ind, nz, last = 1, nz+1, int64(100+i)
				}
				ref.presence += w * (ind - ref.presence)
				sum += uint64(k)
			}
			cur := int64(100 + len(test.counts))
			d.unpark(&sh, &s, &p, cur)
			assert.Equal(t, park(0), p, "block word cleared")
			assert.Zero(t, sh.parked, "parked count")
			assert.Equal(t, uint32(1), sh.blocks, "blocks")
			assert.InDelta(t, ref.mean, s.mean, test.tolM*ref.mean, "mean")
			assert.InDelta(t, ref.vr, s.vr, test.tolV*ref.vr, "variance")
			assert.InDelta(t, ref.presence, s.presence, test.tolPresence, "presence")
			assert.Equal(t, int64(500+len(test.counts)), s.n, "n")
			assert.Equal(t, uint64(1000)+sum, s.total, "total")
			assert.Equal(t, last, s.last, "last record")
			if nz > 0 {
				assert.Equal(t, s.presence, s.pLast, "presence at the last record")
			}
		})
	}
}

// TestParked_burstAtSameRecord follows a pattern at one record per second:
// in the middle of a 10 s bucket it is parked (its roll-over is the pass
// over the block words), and a burst still opens its rate spike at the
// record whose count in the interval reaches the threshold, MinCount at a
// mean of 1 (above SpikeRatio·m, m + SpikeZ·√m and the Poisson tail
// quantile, 10 at Alpha = 1e-6), not at a count of the block.
func TestParked_burstAtSameRecord(t *testing.T) {
	d, err := New()
	require.NoError(t, err)
	sig := signature.Sig(0x6a09e667f3bcc908)
	h := mix(uint64(sig))
	sh := &d.shards[h&d.shardMask]
	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for sec := range 3605 {
		require.False(t, d.Observe(sig, "steady one per second", slog.LevelInfo, t0.Add(time.Duration(sec)*time.Second)), "second %d", sec)
	}
	p := sh.find(sig, h)
	require.NotEqual(t, uint32(0), sh.park[p].grant(), "a steady pattern at one record per second is parked in the middle of a bucket")
	require.Positive(t, sh.parkedRolls, "parked roll-overs")
	// Second 3605: its first record is counted; a burst follows.
	for k := 1; k <= DefaultMinCount; k++ {
		open := d.Observe(sig, "steady one per second", slog.LevelInfo, t0.Add(3605*time.Second+time.Duration(k)*time.Millisecond))
		if k < DefaultMinCount {
			require.False(t, open, "record %d of the interval, below the threshold", k)
		} else {
			require.True(t, open, "record %d of the interval reaches the threshold", k)
		}
	}
	require.NotNil(t, sh.slots[p].spike, "rate spike open")
	assert.Equal(t, float64(DefaultMinCount), sh.slots[p].spike.Value, "spike value: the interval's count")
}

// TestShardHotFields pins what Observe's inline record path reads of a
// shard (the lock, the interval, the index, its mask, the service count
// and the fast words' slice header) to the first 80 bytes: a shard starts
// a multiple of 16 bytes into a cache line, so they lie in two lines.
func TestShardHotFields(t *testing.T) {
	var sh shard
	for name, end := range map[string]uintptr{
		"mu":   unsafe.Offsetof(sh.mu) + unsafe.Sizeof(sh.mu),
		"cur":  unsafe.Offsetof(sh.cur) + unsafe.Sizeof(sh.cur),
		"idx":  unsafe.Offsetof(sh.idx) + unsafe.Sizeof(sh.idx),
		"mask": unsafe.Offsetof(sh.mask) + unsafe.Sizeof(sh.mask),
		"svcN": unsafe.Offsetof(sh.svcN) + unsafe.Sizeof(sh.svcN),
		"fast": unsafe.Offsetof(sh.fast) + unsafe.Sizeof(sh.fast),
	} {
		assert.LessOrEqual(t, end, uintptr(80), "shard.%s ends past the first 80 bytes", name)
	}
	assert.Zero(t, unsafe.Sizeof(shard{})%16, "shard size a multiple of 16")
}

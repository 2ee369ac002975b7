package sampler

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly/events"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

type adaptEntry struct {
	sl    *slot
	count float64 // records per window (projected)
}

// roll ends window prev and starts window w: it snapshots every slot's
// totals, starts the window's first tick (which computes the adaptive
// rates, from the counts of the ended window for patterns too slow to be
// measured on the last tick) and hands the summary to the delivery
// goroutine. It is called by the one
// record whose CompareAndSwap moved the window; if a roll is still running
// (windows shorter than a roll), this one is skipped.
func (s *Sampler) roll(prev, next *window, c *compiled) {
	if !s.rollMu.TryLock() {
		return
	}
	defer s.rollMu.Unlock()

	t := s.tab
	var sum Summary
	var pats []PatternSummary
	if s.summary != nil {
		pats = make([]PatternSummary, 0, 16)
	}
	visit := func(sl *slot, sig signature.Sig, tracked bool) {
		seen, kept := t.seen(sl), t.keptOf(sl)
		ls, lk := sl.lastSeen.Load(), sl.lastKept.Load()
		sl.lastSeen.Store(seen)
		sl.lastKept.Store(kept)
		ds, dk := seen-ls, kept-lk
		if ls > seen {
			ds = seen
		}
		if lk > kept || dk > ds {
			dk = min(kept, ds)
		}
		t.budget[sl.idx].prevCount.Store(ds)
		if ds == 0 {
			sl.rate.Store(0)
			return
		}
		sum.Seen += ds
		sum.Kept += dk
		if pats != nil && ds > dk && tracked {
			pats = append(pats, PatternSummary{Pattern: sig, Seen: ds, Kept: dk, Dropped: ds - dk})
		}
	}
	pws, nws := uint64(prev.idx)&serialMask, uint64(next.idx)&serialMask
	for bi := range t.buckets {
		b := &t.buckets[bi]
		for i := range ways {
			if b.state[i].Load() != stateLive {
				continue
			}
			sl := &t.slots[bi*ways+i]
			if sw := sl.packed.Load() >> countBits; sw != pws && sw != nws {
				// No record since before the ended window: nothing to
				// count, and only the slot's first cache line is read.
				if sl.rate.Load() != 0 {
					sl.rate.Store(0)
				}
				t.budget[sl.idx].prevCount.Store(0)
				continue
			}
			visit(sl, signature.Sig(b.tags[i].Load()), true)
		}
	}
	visit(t.overflow, 0, false)
	sum.Dropped = sum.Seen - sum.Kept

	s.bud.tickEnd.Store(next.start + tickOf(c))
	s.retick(next, c, next.start)

	if s.summary == nil || prev.idx == 0 {
		return
	}
	slices.SortFunc(pats, func(a, b PatternSummary) int { return cmp.Compare(b.Dropped, a.Dropped) })
	if len(pats) > MaxSummaryPatterns {
		pats = pats[:MaxSummaryPatterns]
	}
	sum.Patterns = pats
	sum.Start = time.Unix(0, prev.start).UTC()
	sum.End = time.Unix(0, prev.start+prev.length).UTC()
	sum.Target = c.target
	sum.Seconds = s.bud.sec.seconds(secondOf(prev.start), secondOf(prev.start+prev.length-1)+1, c.target)
	select {
	case s.sumCh <- sum:
	default:
		s.fail(errDroppedSummary)
	}
}

// adapt computes the adaptive rates from the patterns' projected counts
// per window (λ·W, see retick), towards target kept records per second, that is goal = target·w per
// window of w seconds. It
// is the allocation of Honeycomb's dynsampler (AvgSampleRate), with
// continuous rates:
//
//	ratio     = goal / Σ_i log10(count_i)
//	goal_i    = max(1, log10(count_i) * ratio) + share of the unused budget
//	rate_i    = min(1, goal_i / count_i)
//
// Patterns are visited from the rarest up; a pattern that needs less than
// its goal (rate 1) leaves the rest to the chattier ones. So rare patterns
// are kept in full and the cut falls on the chatty ones, logarithmically.
// A projected count below 1 counts as 1 in the logarithm. Each pattern's
// goal_i/W is stored as its allocation in kept records per second.
// Patterns with no estimate (new since the tick) get their rate when they
// are first used (see Sampler.estimate).
func (s *Sampler) adapt(entries []adaptEntry, target, w float64) {
	if len(entries) == 0 {
		return
	}
	goal := target * w
	slices.SortFunc(entries, func(a, b adaptEntry) int { return cmp.Compare(a.count, b.count) })
	var logSum float64
	for _, e := range entries {
		logSum += math.Log10(max(e.count, 1))
	}
	ratio := 0.0
	if logSum > 0 {
		ratio = goal / logSum
	}
	extra := 0.0
	remaining := len(entries)
	for _, e := range entries {
		count := e.count
		g := max(1, math.Log10(max(count, 1))*ratio)
		share := extra / float64(remaining)
		g += share
		extra -= share
		remaining--
		rate := 1.0
		if count <= g {
			extra += g - count
		} else {
			rate = g / count
		}
		e.sl.rate.Store(math.Float64bits(rate))
		s.tab.budget[e.sl.idx].goal.Store(math.Float64bits(g / w))
	}
}

// deliver passes summaries to the hook until Shutdown.
func (s *Sampler) deliver() {
	defer close(s.finished)
	for {
		select {
		case <-s.done:
			return
		case sum := <-s.sumCh:
			s.callSummary(sum)
		}
	}
}

func (s *Sampler) callSummary(sum Summary) {
	defer func() {
		if p := recover(); p != nil {
			s.fail(panicError("summary hook", p))
		}
	}()
	s.summary(sum)
}

// Stats returns a snapshot of the counters (see [Stats]). It allocates the
// pattern list and takes time proportional to the table size; it is meant
// for periodic reporting, not for every record. This method can be called
// concurrently.
func (s *Sampler) Stats() Stats {
	c := s.pol.Load()
	snap := s.snapshot() // first: a panic in it counts in Errors
	st := Stats{
		Errors:        s.errs.Load(),
		Anomalous:     s.anomalous.Load(),
		Reasons:       s.reasons.snapshot(&s.tab.stripes),
		Anomalies:     snap,
		Disabled:      s.disabled.Load(),
		DryRun:        c.dryRun,
		PolicyVersion: c.pol.Version,
	}
	if l := s.bud.sec.last.Load(); l != 0 {
		st.Seconds = s.bud.sec.seconds(l-secRingSize+1, l+1, c.target)
	}
	t := s.tab
	bySig := make(map[signature.Sig]int)
	for bi := range t.buckets {
		b := &t.buckets[bi]
		for i := range ways {
			if b.state[i].Load() != stateLive {
				continue
			}
			sl := &t.slots[bi*ways+i]
			sig := signature.Sig(b.tags[i].Load())
			seen, kept := t.seen(sl), t.keptOf(sl)
			kept = min(kept, seen)
			st.Seen += seen
			st.Kept += kept
			ps := PatternStats{Pattern: sig, Seen: seen, Kept: kept, Dropped: seen - kept, Anomalous: sl.anomalous.Load(),
				FirstSeen: time.Unix(0, sl.first.Load()).UTC(), LastSeen: time.Unix(0, sl.last.Load()).UTC()}
			if tp := sl.tmpl.Load(); tp != nil {
				ps.Template = *tp
			}
			// The learned template when the pattern layer still knows the
			// ID: it may have learned variables since the slot was claimed.
			if t.miner != nil {
				if tm, ok := t.miner.Template(sig); ok {
					ps.Template = clipTemplate(tm)
				}
			}
			other := uint64(0)
			for i := range sl.levels {
				ps.Levels[i] = sl.levels[i].Load()
				other += ps.Levels[i]
			}
			l0 := min(sl.lvl0.Load(), policy.NumSeverities-1)
			ps.Levels[l0] = seen - min(other, seen) // the first record's level is not counted directly
			if bits := sl.rate.Load(); bits != 0 && c.target > 0 {
				ps.AdaptiveRate = math.Float64frombits(bits)
			}
			if j, ok := bySig[sig]; ok { // a pattern claimed twice by a race
				q := &st.Patterns[j]
				q.Seen += ps.Seen
				q.Kept += ps.Kept
				q.Dropped += ps.Dropped
				q.Anomalous += ps.Anomalous
				for i := range q.Levels {
					q.Levels[i] += ps.Levels[i]
				}
				continue
			}
			bySig[sig] = len(st.Patterns)
			st.Patterns = append(st.Patterns, ps)
		}
	}
	ov, ok := t.seen(t.overflow), t.keptOf(t.overflow)
	ok = min(ok, ov)
	st.Overflow = ov
	st.Seen += ov + t.evictedSeen.Load()
	st.Kept += ok + t.evictedKept.Load()
	st.Kept = min(st.Kept, st.Seen)
	st.Dropped = st.Seen - st.Kept
	slices.SortFunc(st.Patterns, func(a, b PatternStats) int {
		if c := cmp.Compare(b.Seen, a.Seen); c != 0 {
			return c
		}
		return cmp.Compare(a.Pattern, b.Pattern)
	})
	return st
}

// snapshot returns the valve's snapshot if it implements Snapshotter,
// turning a panic into a counted error.
func (s *Sampler) snapshot() (snap *events.Snapshot) {
	sn, ok := s.valve.(Snapshotter)
	if !ok {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			snap = nil
			s.fail(panicError("valve snapshot", p))
		}
	}()
	x := sn.Snapshot()
	return &x
}

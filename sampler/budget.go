package sampler

import (
	"math"
	"math/rand/v2"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// The budget: adaptive rates that hold from the first record.
//
// Each tracked pattern has an estimate λ of its records per second and an
// allocation g of kept records per second (its share of the policy's
// target); its adaptive rate is min(1, g/λ). Three things keep them
// current, none of which takes a lock or allocates on the record's path:
//
//   - Ticks. Windows are cut into ticks of tickNanos (250 ms, or the window
//     when it is shorter). The first record of a new tick re-estimates λ
//     for every pattern with records in the current or previous window and
//     recomputes the allocation (Sampler.adapt) over the projected window
//     counts λ·W, like the window roll but four times a second. Only the
//     patterns the adaptive rule decides share the target: not those with
//     a pattern rate, nor those whose first record's severity has a rate
//     or is exempt (ERROR and CRITICAL, by default), whose records never
//     reach the adaptive rule. λ is the
//     rate over the shortest of three horizons that holds at least
//     estimateMin records (Poisson relative error 1/√100 = 10 %): the tick
//     that ended, the current window so far, the previous and current
//     windows together (each horizon starting no earlier than the
//     pattern's first record). A pattern younger than a tick with fewer
//     records keeps the estimate of its first use. At a window boundary the last horizon is the
//     window that ended, so a pattern too slow for the shorter horizons
//     gets exactly the rate of the per-window allocation.
//   - First use. A pattern with no estimate (new, or idle for a window)
//     gets one when its first record past first-N reaches the adaptive
//     rule: λ from its records so far in the tick (or since its first
//     record, when that is later) over their time span, and the share
//     gTarget/(allocated patterns + patterns new since the tick). So a new
//     pattern is sampled from its first adaptive record, and at start-up
//     the budget holds from the first tick.
//   - Keeps. Every record kept by the adaptive rule or the valve (rare by
//     construction; records kept at rate 1, 1 in 16 of them) re-measures
//     the pattern's rate over the current tick: with at least jumpMin
//     records over at least jumpSpanNanos, a rate more than twice λ
//     replaces λ (a spike, or a first estimate that was too low). So a
//     pattern whose volume jumps 100× within a tick is cut at its first
//     keep after the jump. A keep never lowers λ (raises the rate): early
//     in a tick, records that other goroutines have not yet decided make
//     the tick's rate look low, and over-keeping is what the budget
//     bounds; a λ that is too high (a pattern that slowed down) is
//     corrected by the next tick.
//
// Rates depend only on counts of records seen and their times, never on
// which records were kept, so each record is still kept with its stated
// probability and Σ 1/rate over kept records stays an unbiased count.
//
// Lossiness: λ is an estimate; records of several goroutines arrive out of
// time order, and the span of a handful of records is noisy, so a pattern
// may be over- or under-sampled until its next keep or tick. Record times
// are taken to resolve a millisecond: a span below minSpanNanos counts as
// minSpanNanos in a first estimate (so n records with one timestamp, as
// from a coarse clock, are estimated at n per millisecond, and sampled hard
// until the next tick), and a keep does not re-measure over such a span. A tick skipped because a roll is still running leaves the
// estimates of the tick before.

const (
	// tickNanos is the tick: how often the allocation is recomputed.
	tickNanos = int64(250e6)
	// estimateMin is the number of records an estimate over a horizon
	// needs to be preferred to a longer horizon (10 % relative error).
	estimateMin = 100
	// jumpMin is the number of records of the current tick above which a
	// keep may raise λ when the tick's rate is more than twice λ
	// (with 16 records, a Poisson tick rate exceeds twice the true rate
	// with probability about 1.5 %).
	jumpMin = 16
	// minSpanNanos is the shortest time span an estimate divides by: record
	// times are taken to resolve 1 ms, no finer.
	minSpanNanos = int64(1e6)
	// jumpSpanNanos is the shortest span over which a keep may raise λ.
	// Goroutines decide records some time after their timestamps, so the
	// records counted over a span may include some from after its end:
	// with that lag up to the timestamp resolution (minSpanNanos), a span
	// of 4 ms over-estimates by at most 25 %, far from the factor 2 a
	// jump needs.
	jumpSpanNanos = 4 * minSpanNanos
)

// budgetEntry is one slot's estimate, in the table's budget array (indexed
// like the stripes). It is written at ticks and keeps, and read at keeps,
// never by every record.
type budgetEntry struct {
	goal      atomic.Uint64 // kept records per second allocated (float64 bits); 0: none
	lambda    atomic.Uint64 // estimated records per second (float64 bits); 0: none
	tickSeen  atomic.Uint64 // the slot's seen total at the start of the tick
	prevCount atomic.Uint64 // the slot's records in the previous window
}

// budgetState is the Sampler's tick state.
type budgetState struct {
	tickStart atomic.Int64  // Unix nanoseconds of the current tick's start
	tickEnd   atomic.Int64  // and of its end: the next record at or after it ticks
	defGoal   atomic.Uint64 // goal of a pattern not in the allocation (float64 bits)
	allocated atomic.Int64  // patterns in the last allocation
	sec       secRing
}

// tickOf returns the tick length under c.
func tickOf(c *compiled) int64 { return min(tickNanos, c.windowNanos) }

// tickAt starts the tick that contains nanos, in window cw, when nanos is
// at or after the current tick's end: the record whose CompareAndSwap moves
// the tick re-estimates the rates (unless a roll is running).
func (s *Sampler) tickAt(nanos int64, cw *window, c *compiled) {
	old := s.bud.tickEnd.Load()
	if nanos < old {
		return
	}
	tl := tickOf(c)
	start := cw.start + (nanos-cw.start)/tl*tl
	end := min(start+tl, cw.start+cw.length)
	if !s.bud.tickEnd.CompareAndSwap(old, end) {
		return
	}
	if !s.rollMu.TryLock() {
		return
	}
	defer s.rollMu.Unlock()
	s.retick(cw, c, start)
}

// retick re-estimates λ for the patterns with records in window cw or the
// one before, recomputes the allocation when the policy has a target, and
// starts the tick at nanos. The caller holds rollMu.
func (s *Sampler) retick(cw *window, c *compiled, nanos int64) {
	t := s.tab
	prevTick := s.bud.tickStart.Load()
	entries := s.scratch[:0]
	ws := uint64(cw.idx) & serialMask
	pws := (ws - 1) & serialMask
	visit := func(sl *slot, sig signature.Sig) {
		b := &t.budget[sl.idx]
		seen := t.seen(sl)
		nt := sub(seen, b.tickSeen.Load())
		b.tickSeen.Store(seen)
		nw := sub(seen, sl.lastSeen.Load())
		first := sl.first.Load()
		var n uint64
		var from int64
		switch {
		case nt >= estimateMin:
			n, from = nt, prevTick
		case nw >= estimateMin:
			n, from = nw, cw.start
		default:
			n, from = nw+b.prevCount.Load(), cw.start-cw.length
		}
		lam := 0.0
		switch span := nanos - max(from, first); {
		case n >= estimateMin:
			lam = float64(n) / seconds(span)
		case first > nanos-tickOf(c):
			// Few records of a pattern younger than a tick: keep the
			// estimate of its first use (none yet: it gets one then).
			lam = math.Float64frombits(b.lambda.Load())
		case n > 0:
			lam = float64(n) / seconds(span)
		}
		b.lambda.Store(math.Float64bits(lam))
		if lam > 0 {
			if c.adaptive(sig, int(sl.lvl0.Load())) {
				entries = append(entries, adaptEntry{sl: sl, count: lam * float64(cw.length) / 1e9})
			}
		} else {
			sl.rate.Store(0)
			b.goal.Store(0)
		}
	}
	for bi := range t.buckets {
		bk := &t.buckets[bi]
		for i := range ways {
			if bk.state[i].Load() != stateLive {
				continue
			}
			sl := &t.slots[bi*ways+i]
			if sw := sl.packed.Load() >> countBits; sw != ws && sw != pws {
				continue
			}
			visit(sl, signature.Sig(bk.tags[i].Load()))
		}
	}
	visit(t.overflow, 0)
	if c.target > 0 {
		s.adapt(entries, c.target, seconds(cw.length))
	}
	s.bud.allocated.Store(int64(len(entries)))
	t.claims.Store(0)
	s.scratch = entries[:0]
	s.bud.tickStart.Store(nanos)
}

// sub returns a-b, or a when b > a (a slot reset since b was taken).
func sub(a, b uint64) uint64 {
	if b > a {
		return a
	}
	return a - b
}

// seconds converts a span in nanoseconds to seconds, at least minSpanNanos.
func seconds(nanos int64) float64 { return float64(max(nanos, minSpanNanos)) / 1e9 }

// goalOf returns the allocation of the pattern of entry b, or the share of
// a pattern outside the allocation.
func (s *Sampler) goalOf(c *compiled, b *budgetEntry) float64 {
	if g := b.goal.Load(); g != 0 {
		return math.Float64frombits(g)
	}
	n := s.bud.allocated.Load() + int64(s.tab.claims.Load())
	return c.target / float64(max(n, 1))
}

// estimate returns the adaptive rate of a pattern with no estimate (rate
// 0) and stores it: λ from its records in the current tick, or since its
// first record when that is later, over their span (see the budget
// comment above).
func (s *Sampler) estimate(c *compiled, sl *slot, nanos int64) float64 {
	b := &s.tab.budget[sl.idx]
	lam, _, _ := s.measure(sl, b, nanos)
	b.lambda.Store(math.Float64bits(lam))
	r := min(1, s.goalOf(c, b)/lam)
	if !(r > 0) {
		r = math.SmallestNonzeroFloat64 // 0 means "no estimate"
	}
	sl.rate.Store(math.Float64bits(r))
	return r
}

// measure returns the pattern's records per second over the current tick
// (or since its first record, when that is later), and the number of
// records it is measured on.
func (s *Sampler) measure(sl *slot, b *budgetEntry, nanos int64) (lam float64, n uint64, span int64) {
	n = sub(s.tab.seen(sl), b.tickSeen.Load())
	from := s.bud.tickStart.Load()
	if first := sl.first.Load(); first > from {
		// Since the first record: n records span n-1 gaps.
		from = first
		n = max(n, 2) - 1
	}
	span = nanos - from
	return float64(max(n, 1)) / seconds(span), n, span
}

// kept is called for a kept record whose reason counts against the budget
// (first-N, anomaly, adaptive): it counts the record in its second and, for
// the adaptive rule and the valve, re-measures the pattern's rate (see the
// budget comment above). h is the record's stripe.
func (s *Sampler) kept(c *compiled, sl *slot, d *Decision, nanos int64, h uint64) {
	s.bud.sec.add(h, nanos, d.Reason)
	if d.Reason == ReasonFirstN || (d.Rate >= 1 && rand.Uint32()&15 != 0) {
		return
	}
	b := &s.tab.budget[sl.idx]
	lam, n, span := s.measure(sl, b, nanos)
	if n < jumpMin || span < jumpSpanNanos {
		return
	}
	if cur := math.Float64frombits(b.lambda.Load()); !(lam > 2*cur) {
		return
	}
	b.lambda.Store(math.Float64bits(lam))
	if c.target > 0 && sl.rate.Load() != 0 {
		r := min(1, s.goalOf(c, b)/lam)
		if !(r > 0) {
			r = math.SmallestNonzeroFloat64
		}
		sl.rate.Store(math.Float64bits(r))
	}
}

// valveRate returns the rate of a record for which the valve is open,
// given the rate r of rules 5-8: min(1, r*boost) (1 without a boost),
// capped at the policy's ceiling over the pattern's estimated rate λ
// (c.ceiling/λ, so that about c.ceiling records per second are kept), and
// never below r. Without an estimate, and with fewer than jumpMin records
// of the tick to make one, the ceiling does not apply yet.
func (s *Sampler) valveRate(c *compiled, r float64, sl *slot, nanos int64) float64 {
	v := 1.0
	if c.boost > 0 {
		v = min(1, r*c.boost)
	}
	b := &s.tab.budget[sl.idx]
	lam := math.Float64frombits(b.lambda.Load())
	if lam == 0 {
		// No estimate yet: measure, unless there are too few records to
		// tell a burst from a rate.
		var n uint64
		var span int64
		if lam, n, span = s.measure(sl, b, nanos); n < jumpMin || span < minSpanNanos {
			return max(r, v)
		}
		b.lambda.Store(math.Float64bits(lam))
	}
	v = min(v, c.ceiling/lam)
	return max(r, v)
}

package sampler

import (
	"math/bits"
	"math/rand/v2"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// The per-pattern table.
//
// Patterns live in a fixed array of slots, allocated once by New, grouped in
// buckets of [ways] slots; a pattern's bucket is chosen by a multiplicative
// hash of its signature, and the bucket holds the full signature of each of
// its slots, so patterns never share a slot by accident. A new pattern takes
// a free slot of its bucket, or else a stale one: a slot whose pattern had no
// record in the current or the previous window; the evicted pattern's totals
// are added to the table's evicted counters, so Stats totals stay exact. When
// all [ways] slots of the bucket are live, the new pattern is counted in the
// shared overflow slot: it is still decided (pattern and severity rates apply
// by signature), but first-N and adaptive rates apply to all overflowing
// patterns together, and Stats shows them only in the Overflow total. So
// memory is fixed however many distinct patterns arrive, and a burst of
// unique messages cannot evict the established patterns.
//
// Counters are atomics and the table takes no lock. Under concurrency the
// counts are exact except at two rare races, which may move one record's
// count to a neighbouring window or pattern: a record that arrives while its
// slot is being evicted, and a Stats or window roll that reads a slot while
// it is being re-initialized.

const (
	ways       = 4
	countBits  = 40 // count in the current window; 2^40 records per window
	countMask  = 1<<countBits - 1
	serialBits = 64 - countBits // window serial, compared modulo 2^24
	serialMask = 1<<serialBits - 1

	stateFree = 0
	stateBusy = 1
	stateLive = 2
)

type bucket struct {
	tags  [ways]atomic.Uint64
	state [ways]atomic.Uint32
}

// slot holds one pattern's counters: 128 bytes, two cache lines, the first
// of which holds everything a record at the pattern's usual level touches
// (TestSlotSize pins the layout).
type slot struct {
	// The first cache line: what every record reads or writes.

	// packed is the window serial (high 24 bits) and the count of records
	// in that window (low 40 bits).
	packed atomic.Uint64
	kept   atomic.Uint64
	// rate is the adaptive rate (float64 bits); 0 means no history.
	rate atomic.Uint64
	// last is the Unix nanosecond time of the latest record, updated when
	// it moves by more than lastSeenGranularity.
	last atomic.Int64
	// idx is the slot's index in the table's stripes; set by newTable.
	idx uint32
	// lvl0 is the severity index of the pattern's first record.
	lvl0 atomic.Uint32
	// prevSeen counts the records of the windows before the one in packed.
	prevSeen atomic.Uint64
	// first is the Unix nanosecond time of the pattern's first record.
	first atomic.Int64
	// lastSeen is the total seen at the last window roll.
	lastSeen atomic.Uint64

	// The second cache line: rarely written.

	// levels counts records by severity index, except the severity of
	// the pattern's first record (lvl0), which is seen minus the others:
	// a pattern is nearly always logged at one level (one call site), so
	// its records pay no extra atomic add.
	levels [policy.NumSeverities]atomic.Uint64
	// lastKept is the total kept at the last window roll.
	lastKept atomic.Uint64
	// tmpl is the pattern's template (from the first record), at most
	// maxTemplateBytes.
	tmpl atomic.Pointer[string]
	// anomalous counts the pattern's records decided by the valve.
	anomalous atomic.Uint64
}

// lastSeenGranularity bounds how stale PatternStats.LastSeen may be, and
// saves a store per record.
const lastSeenGranularity = int64(100 * time.Millisecond)

// maxTemplateBytes caps the template kept per pattern.
const maxTemplateBytes = 512

// The striped counters.
//
// A pattern logged from many goroutines at once (the common "request
// handled") would make every core write the slot's cache line for every
// record. So once a pattern is past its first N records in the window, its
// records are counted in one of numStripes stripes instead, chosen by the
// address of the goroutine's stack: goroutines on different cores usually
// write different cache lines, and the slot's own line is only read. The
// address is a hint, not an identity (stacks move when they grow, and two
// goroutines may share a stripe); it affects only which counter is added
// to, never a count. Each stripe is an array with one entry per slot.
//
// With 8 stripes, two goroutines share one with probability 1/8, when
// their stacks are in distinct 2 KiB blocks; a shared stripe costs
// contention, not counts, and moves the goroutines elsewhere (see
// stripeHint). BenchmarkSampler_DecideParallel shows contention as a rise
// in cpu-ns/op from -cpu 1 to -cpu 2.
const (
	numStripes     = 8
	stripeHintBits = 3 // log2(numStripes)
)

// stripeCount is one slot's counters in one stripe, packed in one word so
// that a record costs one atomic operation:
//
//	bits  0-13  records counted (folded into the slot at 2^13, see fold)
//	bits 14-27  records kept (likewise)
//	bits 28-31  the Reason of the records counted (the tag)
//	bits 32-63  the systematic-sampling accumulator (see draw)
//
// The tag makes the word the per-reason decision counter too, so that a
// record pays no separate add for [Stats].Reasons (which cost about 5 ns per
// record, BenchmarkHandle_overhead): the counts in the word are of records
// decided by the tag's rule. A word with no counts takes the tag of the
// next record counted in it (see countAs); a record of another reason,
// while the word holds counts, is counted apart, in the slot and the
// sampler's per-reason stripes (see Sampler.countApart). So a pattern
// decided by one rule (the common case) costs one atomic per record, and
// one decided by several costs about what it did before the tag: the
// minority reasons, or all but the first reason seen after a fold, are
// counted apart.
type stripeCount struct {
	n atomic.Uint64
}

const (
	seenMask   = 1<<14 - 1 // of the seen count, and of the kept count once shifted
	keptShift  = 14
	keptOne    = 1 << keptShift // a kept record
	tagShift   = 28
	tagMask    = 15 << tagShift
	countsMask = 1<<tagShift - 1 // the seen and kept counts
	accShift   = 32
	foldAt     = 1 << 13 // the count at which a stripe is folded into its slot

	// stepOne is a rate of 1 in the accumulator's fixed point.
	stepOne = 1 << (64 - accShift)
)

// stepOf returns rate (0 < rate < 1) in the accumulator's fixed point,
// rounded to nearest: 2^-32 resolution, a relative error below 2^-33/rate
// (10^-6 at rate 10^-4). It returns 0 for a rate below 2^-33 (never kept)
// and stepOne for one within 2^-33 of 1 (always kept).
func stepOf(rate float64) uint64 {
	return min(uint64(rate*stepOne+0.5), stepOne)
}

// draw counts one record that draws at step (0 < step < stepOne) in st and
// reports whether it is kept, by systematic sampling: the record adds step
// to the accumulator acc, a 32-bit fixed-point fraction that starts at a
// random phase (set by reset), and is kept when the addition carries past
// an integer (wraps around 2^32):
//
//	acc' = acc + step (mod 2^32)     keep ⇔ acc' < step
//
// With a uniform phase, acc is uniform before every record, whatever the
// rates of the records before it, so each record is kept with probability
// exactly step/2^32 and Σ 1/rate over the kept records estimates the count
// without bias (up to the rounding of stepOf). Over L consecutive records
// at one rate r, the accumulator carries ⌊L·r⌋ or ⌈L·r⌉ times, so the
// estimate of such a run is off by less than 1/r. Only records that draw
// add to acc (not those decided by first-N, exemptions, rate 1 or a trace
// ID), so those cannot cut a pattern's sequence into an alias of itself.
//
// With count set the record is also counted in st as a record of reason r
// (the add that returns the draw's result cannot also count the keep: a
// kept record costs a second add), unless st holds counts of another
// reason (see countAs); counted reports whether it was. x0 and salt are
// passed to [stripeCount.add]. It returns the word after the first add, for
// fold.
func (st *stripeCount) draw(step uint64, count bool, r Reason, x0 uint64, salt saltRef) (keep bool, x uint64, counted bool) {
	inc := step << accShift
	if count {
		x, counted = st.countAs(inc|1, r, x0, salt)
	}
	if !counted {
		x = st.add(inc, x0, salt)
	}
	keep = x>>accShift < step
	if keep && counted {
		st.n.Add(keptOne)
	}
	return keep, x, counted
}

// stripeHint returns a stripe for the calling goroutine, from its stack
// address: a multiplicative (Fibonacci) hash of the 2 KiB block of the
// stack it runs on, salted, so that distinct stacks get independent,
// uniform stripes. The block is 2 KiB because that is the smallest
// goroutine stack: goroutines started together get adjacent 2 KiB stacks,
// four to an 8 KiB block, so a coarser block gave them one stripe for
// every salt (which made one hot pattern logged from two cores slower
// than from one). Two goroutines that log at the same time still share a
// stripe with probability 1/numStripes for a given salt, so a record
// whose stripe add meets contention changes the salt (see add): the
// goroutines then get new, independent stripes, and settle on distinct
// ones within a few changes.
func stripeHint(salt uint64) uint64 {
	var x byte
	a := uint64(uintptr(unsafe.Pointer(&x)))
	return (a>>11 ^ salt) * 0x9e3779b97f4a7c15 >> (64 - stripeHintBits)
}

// saltRef is the sampler's salt (p) and the value a record read from it
// to choose its stripe (v).
type saltRef struct {
	p *atomic.Uint64
	v uint64
}

// bump changes the salt, unless another record changed it since it was
// read: one change per collision, however many records see it, so that
// more goroutines than stripes do not make the salt a hot spot.
func (s saltRef) bump() { s.p.CompareAndSwap(s.v, s.v+1) }

// add adds inc to st and returns the new value, as st.n.Add would, but by
// a CompareAndSwap from x0, the value of st that the record loaded when it
// chose the stripe, early in Decide. When that fails, another goroutine
// wrote the same stripe entry in the meantime: the goroutines share a
// stripe, and the cache line bounces between cores, so it bumps the salt
// to move them to other stripes, and then adds. Loading early widens the
// window in which a shared stripe shows: a load just before the swap
// fails only when two writes interleave within a few instructions (a few
// times per million records), which left two colliding goroutines on one
// stripe for a quarter of a second; a single goroutine never fails.
func (st *stripeCount) add(inc, x0 uint64, salt saltRef) uint64 {
	if st.n.CompareAndSwap(x0, x0+inc) {
		return x0 + inc
	}
	salt.bump()
	return st.n.Add(inc)
}

// countAs adds inc, which counts one record of reason r, to st and returns
// the new value and true, when st's counts are of reason r or st has no
// counts (it then tags st with r). When st holds counts of another reason
// it changes nothing and returns false: the caller counts the record
// apart. x0 and contention are as in add.
func (st *stripeCount) countAs(inc uint64, r Reason, x0 uint64, salt saltRef) (uint64, bool) {
	tag := uint64(r&15) << tagShift
	if x0&tagMask == tag && st.n.CompareAndSwap(x0, x0+inc) {
		return x0 + inc, true
	}
	return st.countAsSlow(inc, tag, x0, salt)
}

// countAsSlow is countAs after a tag mismatch or a failed CompareAndSwap,
// apart to keep countAs short.
func (st *stripeCount) countAsSlow(inc, tag, x uint64, salt saltRef) (uint64, bool) {
	if x&tagMask == tag {
		// The swap from x failed: contention.
		salt.bump()
		x = st.n.Load()
	}
	for {
		y := x + inc
		if x&tagMask != tag {
			if x&countsMask != 0 {
				return x, false
			}
			y = x&^tagMask | tag + inc
		}
		if st.n.CompareAndSwap(x, y) {
			return y, true
		}
		salt.bump()
		x = st.n.Load()
	}
}

// seen returns the total number of records counted in sl.
func (t *table) seen(sl *slot) uint64 {
	n := sl.prevSeen.Load() + sl.packed.Load()&countMask
	for i := range t.stripes {
		n += t.stripes[i][sl.idx].n.Load() & seenMask
	}
	return n
}

// keptOf returns the total number of records kept in sl.
func (t *table) keptOf(sl *slot) uint64 {
	n := sl.kept.Load()
	for i := range t.stripes {
		n += t.stripes[i][sl.idx].n.Load() >> keptShift & seenMask
	}
	return n
}

// fold moves the counts of st, one of sl's stripes, into sl's own 64-bit
// counters and the 64-bit totals of st's reason when x, the value st's add
// returned, shows the count at foldAt or more. Every record that sees that
// tries, with a CompareAndSwap that keeps the accumulator and the tag,
// until one succeeds, so the count cannot reach 2^14 and spill into the
// kept count unless 2^13 records are counted in one stripe of one pattern
// while none of them gets to run its CompareAndSwap. A Stats that reads
// between the CompareAndSwap and the adds sees the counts briefly low.
func (t *table) fold(sl *slot, st *stripeCount, x uint64) {
	if x&seenMask < foldAt {
		return
	}
	for {
		y := st.n.Load()
		if y&seenMask < foldAt {
			return // folded by another record
		}
		if st.n.CompareAndSwap(y, y&^countsMask) {
			sl.prevSeen.Add(y & seenMask)
			sl.kept.Add(y >> keptShift & seenMask)
			t.reasons.addTotals(y)
			return
		}
	}
}

// ahead reports whether window serial a is one or two windows after b
// (modulo 2^24): a slot that a concurrent record already moved on. Any other
// difference (an old slot, or a policy with another window length) makes
// the slot roll to b.
func ahead(a, b uint64) bool {
	d := (a - b) & serialMask
	return d == 1 || d == 2
}

// hit counts one record in window serial ws and returns the record's
// position (1-based) in the slot's current window. A record whose window is
// just behind the slot's is counted in the slot's window.
func (sl *slot) hit(ws uint64) uint64 {
	v := sl.packed.Add(1)
	if vw := v >> countBits; vw == ws || ahead(vw, ws) {
		return v & countMask
	}
	// The slot is in an older window: roll it forward. v includes our add.
	for {
		if sl.packed.CompareAndSwap(v, ws<<countBits|1) {
			sl.prevSeen.Add(v&countMask - 1)
			return 1
		}
		v = sl.packed.Load()
		if vw := v >> countBits; vw == ws || ahead(vw, ws) {
			// Another record rolled it and moved our add to prevSeen:
			// move it into the current window.
			sl.prevSeen.Add(^uint64(0))
			return sl.packed.Add(1) & countMask
		}
	}
}

func (t *table) reset(sl *slot, sig signature.Sig, ws uint64, nanos int64, msg string, sev int) {
	for i := range t.stripes {
		// The slot's counts were taken by the caller (evictedSeen); its
		// reasons' counts go to the totals.
		t.reasons.addTotals(t.stripes[i][sl.idx].n.Swap(uint64(t.phase(sig, i)) << accShift))
	}
	sl.prevSeen.Store(0)
	sl.kept.Store(0)
	sl.anomalous.Store(0)
	sl.rate.Store(0)
	be := &t.budget[sl.idx]
	be.goal.Store(0)
	be.lambda.Store(0)
	be.tickSeen.Store(0)
	be.prevCount.Store(0)
	t.claims.Add(1)
	sl.lastSeen.Store(0)
	sl.lastKept.Store(0)
	for i := range sl.levels {
		sl.levels[i].Store(0)
	}
	sl.lvl0.Store(uint32(sev))
	sl.first.Store(nanos)
	sl.last.Store(nanos)
	// The learned template of the pattern, which masks what the miner
	// found variable; else the message's, copied by string(): the
	// template never aliases the caller's message, which may live in a
	// reused buffer.
	if t.miner != nil {
		if tm, ok := t.miner.Template(sig); ok {
			msg = tm
		}
	}
	tmpl := clipTemplate(string(signature.AppendNormalize(make([]byte, 0, min(len(msg), maxTemplateBytes)), msg)))
	sl.tmpl.Store(&tmpl)
	sl.packed.Store(ws << countBits)
}

// clipTemplate cuts tmpl to maxTemplateBytes without splitting a UTF-8
// sequence.
func clipTemplate(tmpl string) string {
	if len(tmpl) <= maxTemplateBytes {
		return tmpl
	}
	cut := maxTemplateBytes
	for cut > 0 && tmpl[cut]&0xc0 == 0x80 {
		cut--
	}
	return tmpl[:cut]
}

// note records the level and time of one record.
func (sl *slot) note(sev int, nanos int64) {
	if uint32(sev) != sl.lvl0.Load() {
		sl.levels[sev].Add(1)
	}
	if nanos-sl.last.Load() > lastSeenGranularity {
		sl.last.Store(nanos)
	}
}

type table struct {
	// seed, when seeded, makes the systematic phases a function of the
	// seed, the signature and the stripe, so that a replay is reproducible.
	seed    uint64
	seeded  bool
	reasons *reasonCounts // allocated apart: see reasonCounts
	buckets []bucket
	slots   []slot // len(buckets)*ways, then the overflow slot
	shift   uint   // 64 - log2(len(buckets))
	stripes [numStripes][]stripeCount

	// miner, when not nil, gives the template of a pattern (see reset).
	miner       *pattern.Miner
	overflow    *slot
	evictedSeen atomic.Uint64
	evictedKept atomic.Uint64

	// budget holds each slot's rate estimate (see budgetEntry); claims
	// counts the patterns that claimed a slot since the last tick.
	budget []budgetEntry
	claims atomic.Uint64
}

// phase returns the initial phase of stripe i of pattern sig's systematic
// accumulator: uniform random, or a hash of the seed when one is set.
func (t *table) phase(sig signature.Sig, i int) uint32 {
	if !t.seeded {
		return rand.Uint32()
	}
	return uint32(splitmix64(t.seed^uint64(sig)*0x9e3779b97f4a7c15^uint64(i)) >> 32)
}

func newTable(maxPatterns int) *table {
	n := max(maxPatterns, ways)
	nb := 1 << bits.Len(uint(n-1)) / ways
	nb = max(nb, 1)
	t := &table{
		buckets: make([]bucket, nb),
		slots:   make([]slot, nb*ways+1),
		shift:   uint(64 - bits.TrailingZeros(uint(nb))),
		reasons: new(reasonCounts),
	}
	for i := range t.slots {
		t.slots[i].idx = uint32(i)
	}
	for i := range t.stripes {
		t.stripes[i] = make([]stripeCount, len(t.slots))
	}
	t.budget = make([]budgetEntry, len(t.slots))
	t.overflow = &t.slots[len(t.slots)-1]
	t.overflow.lvl0.Store(1) // INFO
	return t
}

// tracked returns the slots that patterns can claim (not the overflow).
func (t *table) tracked() []slot { return t.slots[:len(t.slots)-1] }

func (t *table) bucketOf(sig signature.Sig) int {
	if t.shift == 64 {
		return 0
	}
	return int((uint64(sig) * 0x9e3779b97f4a7c15) >> t.shift)
}

// find returns the slot of sig, claiming one if needed, or the overflow
// slot; ws is the current window serial.
func (t *table) find(sig signature.Sig, ws uint64, nanos int64, msg string, sev int) *slot {
	bi := t.bucketOf(sig)
	b := &t.buckets[bi]
	for i := range ways {
		if b.tags[i].Load() == uint64(sig) && b.state[i].Load() == stateLive {
			return &t.slots[bi*ways+i]
		}
	}
	return t.claim(b, bi, sig, ws, nanos, msg, sev)
}

// claim takes a free or stale slot of bucket b for sig, initialized from
// the pattern's first record (time nanos, message msg), or returns the
// overflow slot. Normalizing msg for the template allocates: once per newly
// tracked pattern.
func (t *table) claim(b *bucket, bi int, sig signature.Sig, ws uint64, nanos int64, msg string, sev int) *slot {
	for i := range ways {
		if b.state[i].Load() == stateFree && b.state[i].CompareAndSwap(stateFree, stateBusy) {
			sl := &t.slots[bi*ways+i]
			t.reset(sl, sig, ws, nanos, msg, sev)
			b.tags[i].Store(uint64(sig))
			b.state[i].Store(stateLive)
			return sl
		}
	}
	for i := range ways {
		sl := &t.slots[bi*ways+i]
		if !t.stale(sl, ws) || !b.state[i].CompareAndSwap(stateLive, stateBusy) {
			continue
		}
		t.evictedSeen.Add(t.seen(sl))
		t.evictedKept.Add(t.keptOf(sl))
		t.reset(sl, sig, ws, nanos, msg, sev)
		b.tags[i].Store(uint64(sig))
		b.state[i].Store(stateLive)
		return sl
	}
	return t.overflow
}

// stale reports whether sl had no record in window ws or the one before.
func (t *table) stale(sl *slot, ws uint64) bool {
	sw := sl.packed.Load() >> countBits
	return sw != ws && sw != (ws-1)&serialMask && !ahead(sw, ws)
}

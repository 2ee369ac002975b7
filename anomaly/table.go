package anomaly

import (
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/internal/fnv"
	"github.com/srex-dev/lipservice-go/signature"
)

// none is the interval index of "no record yet".
const none = math.MinInt64

// slot is the state of one tracked pattern that the per-interval roll-over
// and the records that go through the slot read: 192 bytes, three cache
// lines, since the roll-over of every live pattern once per interval
// streams the slots through the caches. What the steady roll-over
// (rollNext) reads and writes in the middle of a bucket is in the first
// two lines (TestSlotSize pins the offsets), so that most roll-overs touch
// two. It is guarded by its shard's mutex.
type slot struct {
	maxLevel  slog.Level // highest level seen
	lazy      bool       // spikeAt and plainAt are the cheap lower bound (see prepare); resolve computes them
	named     bool       // x.template is set
	spikeOwn  int8       // the scale whose rules close the active spike (ownNone, ownBase, own(j))
	dropOwn   int8       // the same for the active drop
	dropRun   int8       // consecutive intervals below the interval's drop run threshold
	coarseLow bool       // the first coarse scale does not stop the CUSUM (see cusumRuns); kept in step with x.sc[0] by syncCoarse
	steady    bool       // no event is open and n ≥ steadyHist (set by the roll-over, cleared when a record opens a spike): see rollNext
	last      int64      // interval of the last record
	total     uint64     // records before the shard's current interval (the scales' and season's buckets are differences of it)
	count     uint32     // records in the shard's current interval
	spikeAt   uint32     // count that opens a rate spike in the current interval (min of the two tests); 0 = not tested; a lower bound while lazy
	plainAt   uint32     // the single-interval threshold alone (winsorizing, hysteresis); a lower bound while lazy
	granted   uint32     // the budget of the slot's fast word at its last fold or refill (see fits)
	cusum     float64    // low-rate CUSUM statistic (see thresholds.cusumAt); 0 when not low-rate
	n         int64      // completed intervals folded into the baseline
	mean      float64    // EWMA of per-interval counts
	vr        float64    // EWMA variance of per-interval counts
	presence  float64    // EWMA of 1{count > 0}
	pLast     float64    // presence at the last interval with records
	meanLast  float64    // mean at the last interval with records
	openTill  int64      // the valve stays open through this interval (decay)
	sfMin     int64      // minute whose seasonal factors sfUp, sfDn are cached; none: no cache
	sfUp      float64    // seasonFactor of one interval of minute sfMin
	sfDn      float64
	first     int64 // interval of the first record (a partial interval: not folded)

	x *slotExt // the cold state, in the shard's ext array

	spike, fresh, gone, drop *Event // active events; nil when none

	// Cold, in what would be padding to 192 bytes (three whole cache
	// lines when the array starts on one; it starts on a page at the
	// default size).
	quiet   int32 // consecutive quiet intervals of the active spike (closes at closeQuiet)
	dropAge int32 // intervals since a drop owned by the interval opened
}

// slotExt is the state of a pattern that the roll-over reads only when a
// coarse bucket or a minute ends, or while an event is open, kept out of
// the slot so that the table stays small to scan: the coarse scales'
// baselines, the seasonal profile and the fields of events (584 bytes).
type slotExt struct {
	sc        [maxScales]scaleState // baselines at the coarse time scales
	ssn       season                // seasonal profile
	sig       signature.Sig
	template  string  // set lazily (see setTemplate): on the first event, or when the pattern becomes steady
	newUntil  int64   // last interval of the new-pattern window
	spikeIdx  int64   // interval in which the active spike opened
	closeAt   float32 // the active spike is quiet in an interval with a count below this
	dropQuiet uint8   // consecutive quiet intervals of a drop owned by the interval
}

// setTemplate sets the pattern's template (named: the roll-over and the
// fast word test it without reading the cold state).
func (s *slot) setTemplate(t string) {
	s.x.template, s.named = t, true
}

func (s *slot) active() bool {
	return s.spike != nil || s.fresh != nil || s.gone != nil || s.drop != nil
}

// shard is one lock domain of the pattern table: a dense array of the
// patterns' slots (slots[:n], in no particular order), found through an
// open-addressing index with linear probing and backward-shift deletion,
// holding at most cap patterns in 2^k ≥ 2·cap entries (load ≤ 1/2). The
// roll-over scans only the n live slots, and a lookup probes 16-byte
// entries, not slots.
type shard struct {
	// What Observe's inline record path reads and writes, in the first
	// 80 bytes: at the 240-byte stride a shard starts 0, 16, 32 or 48
	// bytes into a cache line, so they lie in two lines (they were
	// spread over three or four; with one record per pattern and
	// interval the sampler's own state evicts them between a shard's
	// records, and each line is a miss).
	mu      sync.Mutex
	cur     atomic.Int64 // current interval of this shard; written under mu
	idx     []entry      // the index: 2^k entries
	mask    uint64       // len(idx) − 1
	svcN    uint64       // records counted since the last collect (the service's interval count)
	fast    []uint32     // the slots' fast words (see fits), at the slots' positions
	slots   []slot       // cap slots, slots[:n] live
	park    []park       // the slots' block accumulators (see park), at the slots' positions
	cap     int
	n       int
	evicted uint64
	free    []*slotExt // the unused cold states of the shard's part of the ext array (see New)
	// The intervals [quietLo, quietHi) lie in one bucket of every coarse
	// scale and in one minute, quietMin (see quietRange): a roll-over
	// within them crosses no boundary.
	quietLo, quietHi, quietMin int64
	// For the tests: slots rolled by the steady roll-over (rollNext),
	// those of them at a bucket or minute end, and those for which a
	// coarse scale opened an event there.
	steadyRolls, steadyEdges, steadyEdgeEvents uint64
	parked                                     int // slots parked (see park)
	// For the tests (they wrap in long runs): parked roll-overs (a
	// slot's interval added to its block), and blocks folded (unpark
	// with at least one interval).
	parkedRolls, blocks uint32
	// 240 bytes: hot shards stay off each other's cache lines (the quiet
	// range is read once per interval), and the stride is not a power of
	// two, whose shards would share a few cache sets.
}

// entry is one position of a shard's index: a signature and the position
// of its slot plus one (0: an empty entry).
type entry struct {
	sig signature.Sig
	pos int32
}

// A slot's fast word (shard.fast, at the slot's position) lets the common
// record be counted without reading the slot, whose cache line is then
// touched only by the roll-over:
//
//	bits 0–23   budget: records that can be counted here this interval
//	bit  24     the valve is open for the pattern this interval
//	bits 25–31  level code c: a record with level ≤ c − 64 (≤ maxLevel) fits
//
// A record that fits the budget and the level decrements the budget and
// returns the open bit; any other goes through the slot (observeSlot),
// which first folds the records counted in the word into the slot (fold)
// and then grants a new budget (refill). The budget is granted only while
// counting is all a record does: no spike can open before the count
// reaches spikeAt, no new-pattern or disappeared event is open, the
// template is not due, and the open bit cannot change before the next
// roll-over. The words of a shard are 4 bytes each in one dense array, so
// the few cache lines of a shard's words stay cached and the roll-over
// reads them in order.
const (
	budgetMask = 1<<24 - 1
	openBit    = 1 << 24
	levelShift = 25
	levelBias  = 64 // level code c stands for slog.Level(c − levelBias)
)

// fits reports whether a record at level may be counted in fast word f: the
// budget is not spent and level is at most the pattern's highest level.
func fits(f uint32, level slog.Level) bool {
	return f&budgetMask != 0 && int64(level) <= int64(f>>levelShift)-levelBias
}

// fold moves the records counted in fast word f since the last fold or
// refill into s: its count, and its last interval (cur, the shard's current
// interval, in which they were all counted). Called with sh.mu held before
// anything reads s.count or s.last.
func fold(s *slot, f uint32, cur int64) {
	rem := f & budgetMask
	if used := s.granted - rem; used != 0 {
		s.count += used
		s.last = cur
		s.granted = rem
	}
}

// refill returns the fast word of s for the rest of interval idx (the
// shard's current one) from the slot's state: a budget of the records that
// can be counted without the slot (0 when a record must see the slot),
// whether the valve is open, and the level code. s must be folded.
func (d *Detector) refill(s *slot, idx int64) uint32 {
	var budget uint32
	if s.fresh == nil && s.gone == nil && (s.named || s.n < int64(d.th.MinHistoryIntervals)) && s.maxLevel >= -levelBias && !d.slowOnly {
		budget = math.MaxUint32 - s.count // the count saturates in the slot
		if s.spike == nil && s.spikeAt != 0 {
			budget = s.spikeAt - 1 - s.count // the next record reaches spikeAt
		}
		budget = min(budget, budgetMask)
	}
	code := uint32(min(int64(s.maxLevel)+levelBias, 1<<(32-levelShift)-1))
	if budget == 0 {
		code = 0
	}
	f := budget | code<<levelShift
	if s.spike != nil || idx <= s.openTill {
		f |= openBit
	}
	s.granted = budget
	return f
}

// park is a slot's block accumulator. A parked slot is one whose
// per-interval tests, but for the spike test of a record, cannot fire
// (see parkIf): the shard's roll-over does not read it, but adds each
// interval's count, read off the fast word, to the block here and grants
// the same budget again; the slot's baseline takes the block in closed
// form when the block ends (unpark): at the end of a coarse bucket or a
// minute, after parkMax intervals, at a gap, before a silence that the
// disappearance test could see, or at a record that its budget does not
// hold. 8 bytes per slot, in a dense array beside the fast words.
type park uint64

// The fields of a park word: one word, so that the roll-over's pass keeps
// it in a register.
const (
	parkGrant  = 0       // bits 0–7: the budget granted every interval (spikeAt − 1); 0: not parked
	parkN      = 8       // bits 8–15: intervals in the block
	parkNZ     = 16      // bits 16–23: of them with records
	parkZrun   = 24      // bits 24–30: empty intervals since the block's last record
	parkEnd    = 1 << 31 // the block ends at this roll-over (see rollParked)
	parkSums   = 32      // bits 32–63: Σk in the low parkSqShift bits and Σk² above, over the block's counts k
	parkByte   = 0xff
	parkSqBits = 1<<parkSqShift - 1
)

func (p park) grant() uint32 { return uint32(p) & parkByte }
func (p park) n() uint32     { return uint32(p>>parkN) & parkByte }
func (p park) nz() uint32    { return uint32(p>>parkNZ) & parkByte }
func (p park) zrun() uint32  { return uint32(p>>parkZrun) & 0x7f }
func (p park) sums() uint32  { return uint32(p >> parkSums) }

// add adds an interval with k records to block p.
func (p park) add(k uint32) park {
	if k == 0 {
		return p + 1<<parkN + 1<<parkZrun
	}
	return p&^(parkByte<<parkZrun) + 1<<parkN + 1<<parkNZ + park(k|k*k<<parkSqShift)<<parkSums
}

const (
	parkMax      = 10  // intervals per block at most
	parkMaxGrant = 255 // budgets up to this park: Σk < 2^12 and Σk² < 2^20 over parkMax intervals
	parkSqShift  = 12
)

// parkIf parks s after its roll-over from interval from to to (its state
// prepared for to, *f its fast word) when every per-interval test but the
// spike test of a record is inert until the block ends:
//
//   - no event is open, n ≥ steadyHist (every history threshold passed),
//     the valve is closed in to (openTill < to: the open bit cannot change);
//   - the mean is below busyMean = min(ln(1/Alpha)/2, z₂²): no interval
//     drop can pass and the winsorizing has no drop side;
//   - the low-rate CUSUM does not run (it is sequential in the counts);
//   - interval from had records (the silence count starts at 0);
//   - the spike threshold's lazy floor spikeAt (the threshold, and the
//     budget spikeAt − 1, are kept through the block) is at most
//     parkMaxGrant + 1, so that the block's sums fit.
//
// Below spikeAt no count is winsorized, so a block's intervals change only
// the EWMA, the presence and the total, which unpark folds. Under slowOnly
// the fast word holds the budget with level code 0: no record fits
// Observe's inline path, and observeSlot counts the ones the budget holds.
func (d *Detector) parkIf(sh *shard, s *slot, a *park, f *uint32, from, to int64) {
	// The mean first, inlined: most slots that fail fail it.
	if s.mean < d.busyMean {
		d.parkRest(sh, s, a, f, from, to)
	}
}

// parkRest is parkIf past the mean.
func (d *Detector) parkRest(sh *shard, s *slot, a *park, f *uint32, from, to int64) {
	if s.active() || s.n < d.th.steadyHist || !s.named || s.maxLevel < -levelBias || s.last != from ||
		to <= s.openTill || s.spikeAt < 2 || s.spikeAt-1 > parkMaxGrant || d.cusumRuns(s) {
		return
	}
	grant := s.spikeAt - 1 // s.count is 0 after prepare
	*a = park(grant)
	sh.parked++
	if d.slowOnly {
		*f, s.granted = grant, grant
	}
}

// unpark ends the block of a parked slot s of sh in interval cur (the
// shard's current one), whose records stay in the fast word for fold; a
// slot not parked is left as it is. With a = 1 − w, the block's g counts kᵢ,
// their mean k̄ and m₀, v₀, p₀ the state before the block:
//
//	m = aᵍ·m₀ + (1 − aᵍ)·k̄
//	v = aᵍ·v₀ + a·(1 − aᵍ)·(1/g)·Σ(kᵢ − m₀)²
//	p = aᵍ·p₀ + (1 − aᵍ)·(intervals with records)/g
//
// the EWMA recursions with each interval weighted by the block's mean
// weight and each deviation taken from m₀: exact for g = 1, the mean
// also for a constant count and the variance for a count equal to m₀;
// otherwise each weight is within a factor a^(g−1) ≥ 0.83 (w = 0.02,
// g ≤ 10) of the per-interval recursion's (see DESIGN.md, TestUnpark).
func (d *Detector) unpark(sh *shard, s *slot, a *park, cur int64) {
	p := *a
	if p.grant() == 0 {
		return
	}
	sh.parked--
	if n := p.n(); n != 0 {
		g := float64(n)
		k1 := float64(p.sums() & parkSqBits)
		k2 := float64(p.sums() >> parkSqShift)
		ag := d.aPow[n]
		m0 := s.mean
		dev := max(0, k2/g-2*m0*k1/g+m0*m0)
		s.mean = ag*m0 + (1-ag)*k1/g
		s.vr = ag*s.vr + (1-d.th.Smoothing)*(1-ag)*dev
		s.presence = ag*s.presence + (1-ag)*float64(p.nz())/g
		if p.nz() != 0 {
			s.pLast, s.meanLast = s.presence, s.mean
			s.last = cur - 1 - int64(p.zrun())
		}
		s.cusum = 0
		s.total += uint64(k1)
		s.n += int64(n)
		sh.blocks++
	}
	*a = 0
}

// mix is the splitmix64 finalizer ([fnv.Mix]); signatures are FNV-1a
// values whose low bits are weak on short templates.
func mix(x uint64) uint64 { return fnv.Mix(x) }

// find returns the position in sh.slots of sig's slot, or -1.
func (sh *shard) find(sig signature.Sig, h uint64) int {
	if e := sh.lookup(sig, h); e != nil {
		return int(e.pos - 1)
	}
	return -1
}

// lookup returns sig's index entry, or nil.
func (sh *shard) lookup(sig signature.Sig, h uint64) *entry {
	for i := (h >> 20) & sh.mask; ; i = (i + 1) & sh.mask {
		e := &sh.idx[i]
		if e.pos == 0 {
			return nil
		}
		if e.sig == sig {
			return e
		}
	}
}

// entryOf returns the index position of sig, which must be present.
func (sh *shard) entryOf(sig signature.Sig) int {
	for i := (mix(uint64(sig)) >> 20) & sh.mask; ; i = (i + 1) & sh.mask {
		if sh.idx[i].sig == sig && sh.idx[i].pos != 0 {
			return int(i)
		}
	}
}

// insert places a fresh slot for sig in a shard that is not full and
// returns its position. The caller initializes the slot.
func (sh *shard) insert(sig signature.Sig, h uint64) (pos int) {
	i := (h >> 20) & sh.mask
	for sh.idx[i].pos != 0 {
		i = (i + 1) & sh.mask
	}
	x := sh.free[len(sh.free)-1]
	sh.free = sh.free[:len(sh.free)-1]
	*x = slotExt{}
	pos = sh.n
	sh.idx[i] = entry{sig: sig, pos: int32(pos + 1)}
	x.sig = sig
	sh.slots[pos] = slot{x: x, sfMin: none}
	sh.fast[pos] = 0
	sh.park[pos] = 0
	sh.n++
	return pos
}

// evict removes the least recently seen slot without an active event (or the
// least recently seen overall if every slot has one) and returns a copy,
// whose cold state stays valid until the next insert reuses it.
func (sh *shard) evict(d *Detector) slot {
	best, bestActive := -1, true
	cur := sh.cur.Load()
	for i := range sh.slots[:sh.n] {
		s := &sh.slots[i]
		d.unpark(sh, s, &sh.park[i], cur)
		fold(s, sh.fast[i], cur)
		a := s.active()
		if best < 0 || (bestActive && !a) || (a == bestActive && s.last < sh.slots[best].last) {
			best, bestActive = i, a
		}
	}
	v := sh.slots[best]
	sh.remove(best)
	sh.evicted++
	return v
}

// remove deletes the slot at position p: its index entry with
// backward-shift deletion (Knuth 6.4, Algorithm R), so lookups never need
// tombstones, and the slot by moving the last live slot into its place.
func (sh *shard) remove(p int) {
	if sh.park[p].grant() != 0 {
		sh.parked-- // its block is dropped with the slot
	}
	sh.free = append(sh.free, sh.slots[p].x)
	sh.unindex(sh.entryOf(sh.slots[p].x.sig))
	if last := sh.n - 1; p != last {
		sh.slots[p], sh.fast[p], sh.park[p] = sh.slots[last], sh.fast[last], sh.park[last]
		sh.idx[sh.entryOf(sh.slots[p].x.sig)].pos = int32(p + 1)
		p = last
	}
	sh.slots[p] = slot{}
	sh.park[p] = 0
	sh.n--
}

// unindex deletes index position i with backward shift.
func (sh *shard) unindex(i int) {
	mask := int(sh.mask)
	j := i
	for {
		sh.idx[i] = entry{}
		for {
			j = (j + 1) & mask
			if sh.idx[j].pos == 0 {
				return
			}
			k := int((mix(uint64(sh.idx[j].sig)) >> 20) & sh.mask)
			// Move j back to i unless its home k lies cyclically in (i, j].
			if (i <= j && (i < k && k <= j)) || (i > j && (i < k || k <= j)) {
				continue
			}
			break
		}
		sh.idx[i] = sh.idx[j]
		i = j
	}
}

// start returns the start time of interval idx.
func (d *Detector) start(idx int64) time.Time {
	return time.Unix(0, idx*int64(d.cfg.interval)).UTC()
}

// rollShard closes intervals [sh.cur, to) of every slot of sh. Called with
// sh.mu held; events go to d.publish (non-blocking).
func (d *Detector) rollShard(sh *shard, to int64) {
	from := sh.cur.Load()
	if to <= from {
		return
	}
	sh.cur.Store(to)
	if from == none {
		return
	}
	var b bounds
	d.boundsOf(sh, from, to, &b)
	// The steady roll applies to a roll-over by one interval that ends no
	// bucket or minute (nine in ten at the defaults; a slot's roll-over at
	// the end of a bucket costs as much through either).
	// Local slices of one length: no reload or bounds check per slot.
	slots := sh.slots[:sh.n]
	fast := sh.fast[:len(slots)]
	if to == from+1 {
		d.rollNext(sh, slots, fast, from, &b)
		return
	}
	pk := sh.park[:len(slots)]
	for i := range slots {
		s := &slots[i]
		d.unpark(sh, s, &pk[i], from)
		fold(s, fast[i], from)
		d.rollSlot(s, from, to, &b)
		fast[i] = d.refill(s, to)
		d.parkIf(sh, s, &pk[i], &fast[i], from, to)
	}
}

// rollNext is rollShard's loop for a roll-over by one interval, from to
// from+1, with the boundaries b. It counts the slots rolled by the steady
// roll-over in sh (for the tests).
//
// The steady roll-over is rollSlot followed by refill for the common
// slot: steady (no event open, n ≥ steadyHist: every test that depends
// on n alone has its final outcome) with records in interval from (so
// its last record is in from: no disappearance test), below spikeAt
// (≤ plainAt: a record at spikeAt opens a spike, so the count is below
// the threshold, lazy or not, and is folded as it is), and no drop
// opening. For such a slot rollSlot only runs the drop test (when the
// mean allows a drop), updates the CUSUM, the EWMA and the presence,
// ends the buckets and minute that b ends, and sets the floor of the
// next spike threshold; the branches that cannot be taken are left out.
// A slot whose drop is about to open has changed nothing but the
// seasonal cache (which rollSlot fills alike) and goes through rollSlot;
// one for which a coarse scale opens an event finishes as rollSlot does
// (prepare, refill). It is written in the loop, not called, so that the
// loop's state stays in registers (a call per slot spills and reloads
// it). TestShortcuts_sameAsSlowPath compares it with rollSlot record by
// record and slot by slot. slots and fast are sh's live slots and words.
func (d *Detector) rollNext(sh *shard, slots []slot, fast []uint32, from int64, b *bounds) {
	steady, events, parked := 0, 0, 0
	th := &d.th
	to := from + 1
	w := th.Smoothing
	edge := b.scales != 0 || b.minute
	fast = fast[:len(slots)]
	pk := sh.park[:len(slots)]
	if !edge && sh.parked != 0 {
		if parked = d.rollParked(pk, fast); parked == len(slots) {
			sh.parkedRolls += uint32(parked)
			return // every slot parked: nothing else to roll
		}
	}
	anyParked := sh.parked != 0 // else no need to read pk
	for i := range slots {
		if a := &pk[i]; anyParked && a.grant() != 0 {
			if !edge && *a&parkEnd == 0 {
				continue // rolled by rollParked
			}
			d.unpark(sh, &slots[i], a, from)
		}
		s := &slots[i]
		fold(s, fast[i], from)
		if s.steady && s.count != 0 && s.count < s.spikeAt {
			k := float64(s.count)
			x := k
			if !(s.mean < d.busyMean) {
				var ok bool
				if x, ok = d.steadyBusy(s, from, b.mFrom, k); !ok {
					goto slow
				}
			}
			if th.lowRate(s.mean) && s.coarseLow {
				s.cusum = th.cusumStep(s.cusum, k, s.mean)
			} else {
				s.cusum = 0
			}
			s.mean, s.vr = ewma(s.mean, s.vr, x, w)
			s.n++
			s.presence += w * (1 - s.presence)
			s.pLast, s.meanLast = s.presence, s.mean
			s.total += uint64(s.count)
			if edge {
				if b.scales != 0 {
					d.rollScales(s, b)
				}
				if b.minute {
					d.rollSeason(s, from, to)
				}
				if s.active() {
					// A coarse scale opened an event.
					d.prepare(s, to, b)
					fast[i] = d.refill(s, to)
					steady++
					events++
					continue
				}
			}

			// Interval to: the floor of the spike threshold (prepare).
			s.count = 0
			m := s.mean
			if up, _ := d.seasonIn(s, to, b.mTo); up > 1 {
				m *= up
			}
			s.spikeAt, s.lazy = th.spikeFloor(m), true
			s.plainAt = s.spikeAt
			if th.lowRate(m) && d.cusumRuns(s) {
				s.spikeAt = min(s.spikeAt, th.cusumAt(m, s.cusum))
			}

			// refill with no event open and n past MinHistoryIntervals.
			var budget uint32
			if s.named && s.maxLevel >= -levelBias {
				budget = min(s.spikeAt-1, budgetMask)
			}
			code := uint32(min(int64(s.maxLevel)+levelBias, 1<<(32-levelShift)-1))
			if budget == 0 {
				code = 0
			}
			f := budget | code<<levelShift
			if to <= s.openTill {
				f |= openBit
			}
			s.granted = budget
			fast[i] = f
			steady++
			d.parkIf(sh, s, &pk[i], &fast[i], from, to)
			continue
		}
	slow:
		d.rollSlot(s, from, to, b)
		fast[i] = d.refill(s, to)
		d.parkIf(sh, s, &pk[i], &fast[i], from, to)
	}
	sh.parkedRolls += uint32(parked)
	sh.steadyRolls += uint64(steady)
	if edge {
		sh.steadyEdges += uint64(steady)
		sh.steadyEdgeEvents += uint64(events)
	}
}

// rollParked is rollNext's pass over the parked slots of a roll-over by
// one interval that ends no bucket or minute: it adds the interval to each
// one's block from the fast word alone (the slot is not read) and grants
// the budget again, unless the block must end: when it is full or when
// interval from extends a silence to MinSilentIntervals (the slot path
// then runs the disappearance test): it marks those (parkEnd) for
// rollNext. It returns the slots rolled. A pass of its own, without
// calls, so that its few variables stay in registers.
func (d *Detector) rollParked(pk []park, fast []uint32) (parked int) {
	silent := uint32(max(d.th.MinSilentIntervals, 0))
	fast = fast[:len(pk)]
	for i := range pk {
		a := pk[i]
		g := a.grant()
		if g == 0 {
			continue
		}
		f := fast[i]
		k := g - f&budgetMask
		if a.n() >= parkMax || k == 0 && a.zrun()+1 >= silent {
			pk[i] = a | parkEnd // rollNext ends the block
			continue
		}
		pk[i] = a.add(k)
		fast[i] = f&^budgetMask | g
		parked++
	}
	return parked
}

// steadyBusy is the part of the steady roll-over (rollNext) for a slot
// whose mean is not below busyMean: the drop test (baseDrop) up to a
// drop's opening, for which it reports ok false (rollSlot opens it,
// nothing else has changed but the seasonal cache), and the drop side of
// the winsorizing: it returns the count to fold, x ≥ k.
func (d *Detector) steadyBusy(s *slot, from, m0 int64, k float64) (x float64, ok bool) {
	th := &d.th
	x = k
	_, dn := d.seasonIn(s, from, m0)
	sq := math.Sqrt(max(s.vr, s.mean))
	if !(s.mean < -th.logA/2) {
		sd, e := sq*dn, s.mean*dn
		run := int8(0)
		if k <= e-d.zRun*sd {
			run = s.dropRun + 1
		}
		if k <= e-th.SpikeZ*sd || run >= 2 {
			return 0, false
		}
		s.dropRun = run
	}
	if s.mean > d.zRun*d.zRun {
		x = max(x, (s.mean-d.zRun*sq)*dn)
	}
	return x, true
}

// rollSlot finalizes interval from for s, folds the empty intervals
// (from, to) and prepares interval to. See the package documentation for
// the rules.
func (d *Detector) rollSlot(s *slot, from, to int64, b *bounds) {
	th := &d.th
	w := th.Smoothing
	k := float64(s.count)

	// 1. Finalize interval from.
	// baseDrop's own early return, checked here to save the call for
	// the common pattern (no drop can pass below a mean of ln(1/Alpha)/2).
	if from != s.first && (s.dropOwn == ownBase || (s.drop == nil && s.n >= int64(th.MinHistoryIntervals) && !(s.mean < -th.logA/2))) {
		d.baseDrop(s, from, b.mFrom, k)
	}
	if ev := s.spike; ev != nil && s.spikeOwn == ownBase {
		ev.Value = max(ev.Value, k)
		quiet := k < float64(s.x.closeAt)
		if quiet {
			s.quiet++
		} else {
			s.quiet = 0
		}
		switch {
		case s.quiet >= closeQuiet:
			d.closeSlotEvent(s, &s.spike, from+1-closeQuiet, from+int64(th.DecayIntervals))
		case from-s.x.spikeIdx+1 >= int64(th.MaxAnomalyIntervals):
			// A level shift: restart the baseline from the current rate.
			d.closeSlotEvent(s, &s.spike, from+1, from+int64(th.DecayIntervals))
			s.mean, s.vr = k, k
		}
	} else if s.spike == nil && s.drop == nil && from != s.first {
		if s.n >= th.cusumHistory && d.cusumRuns(s) {
			s.cusum = th.cusumStep(s.cusum, k, s.mean)
		} else {
			s.cusum = 0
		}
		if s.n == 0 {
			s.mean, s.vr = k, k // Poisson prior for the variance
		} else {
			x := k
			if s.plainAt != 0 {
				// Winsorize at the threshold: counts just below it (the
				// tail of an incident) must not blow up the variance.
				// A lazy plainAt is a lower bound: below it, the count
				// is below the threshold too.
				at := s.plainAt
				if s.lazy && s.count >= at {
					_, at = d.plainThreshold(s, from)
				}
				x = min(k, float64(at))
				if s.mean > d.zRun*d.zRun {
					// The drop side (m − z₂·sd > 0 only above m = z₂²).
					_, dn := d.seasonIn(s, from, b.mFrom)
					x = max(x, (s.mean-d.zRun*math.Sqrt(max(s.vr, s.mean)))*dn)
				}
			}
			// Bias-corrected start: the running mean until 1/w
			// intervals are folded, then the EWMA.
			s.mean, s.vr = ewma(s.mean, s.vr, x, th.weight(s.n))
		}
		s.n++
	}
	if from != s.first && s.spike == nil {
		// Presence ignores the intervals of a rate spike, so that a burst
		// does not make a sparse pattern look steady.
		ind := 0.0
		if s.count > 0 {
			ind = 1
		}
		if s.n <= 1 {
			s.presence = ind
		} else {
			s.presence += w * (ind - s.presence)
		}
		if s.count > 0 {
			s.pLast, s.meanLast = s.presence, s.mean
		}
	}
	if s.fresh != nil && from >= s.x.newUntil {
		d.closeSlotEvent(s, &s.fresh, from+1, from)
	}
	// The coarse buckets and the seasonal minute and hour are differences
	// of the running total: nothing to do until one of them ends.
	s.total += uint64(s.count)
	if b.scales != 0 {
		d.rollScales(s, b)
	}
	if b.minute {
		d.rollSeason(s, from, to)
	}

	// 2. Empty intervals between from and to.
	if g := to - from - 1; g > 0 {
		if s.spike != nil && s.spikeOwn == ownBase {
			d.closeSlotEvent(s, &s.spike, from+1, from+int64(th.DecayIntervals))
		}
		if s.fresh != nil && to-1 >= s.x.newUntil {
			d.closeSlotEvent(s, &s.fresh, s.x.newUntil+1, s.x.newUntil)
		}
		if s.n > 0 && s.spike == nil && s.drop == nil {
			if s.cusum > 0 {
				s.cusum = th.cusumDrain(s.cusum, s.mean, w, g)
			}
			s.mean, s.vr = ewmaZeros(s.mean, s.vr, w, g)
			s.presence *= math.Pow(1-w, float64(g))
		}
		s.n += g
	}

	// 3. Disappearance: silent through to−1.
	if s.gone == nil && s.last < to-1 && s.named && s.last-s.first >= int64(th.WarmupIntervals) && s.pLast >= th.MinPresence {
		silent := to - 1 - s.last
		need := int64(th.MinSilentIntervals)
		p := d.presence(s)
		if p < 1 {
			need = max(need, int64(math.Ceil(2*th.logA/math.Log1p(-p))))
		}
		if silent >= need {
			conf := 1.0
			if p < 1 {
				conf = 1 - math.Pow(1-p, float64(silent))
			}
			s.gone = d.newEvent(Event{
				Type:       Disappeared,
				Pattern:    s.x.sig,
				Template:   s.x.template,
				Level:      s.maxLevel,
				Severity:   severityOf(s.maxLevel, d.cfg.errLevel, SeverityWarning),
				Scale:      d.cfg.interval,
				Baseline:   s.meanLast,
				Score:      float64(silent),
				Confidence: conf,
				Start:      d.start(s.last + 1),
				Detected:   d.start(to),
			})
		}
	}

	d.prepare(s, to, b)
}

// prepare is step 4 of rollSlot: it prepares interval to for s, whose
// earlier intervals are folded, with a cheap lower bound of the spike
// threshold (the floor of the single-interval test, and the CUSUM's
// count), which most intervals never reach; the record that reaches it
// computes the threshold (resolve), from the same state. It sets the
// steady flag.
func (d *Detector) prepare(s *slot, to int64, b *bounds) {
	th := &d.th
	s.count = 0
	if s.spike == nil {
		s.spikeAt, s.plainAt, s.lazy = 0, 0, false
		if s.n >= int64(th.MinHistoryIntervals) {
			m := s.mean
			if up, _ := d.seasonIn(s, to, b.mTo); up > 1 {
				m *= up
			}
			s.spikeAt, s.lazy = th.spikeFloor(m), true
			s.plainAt = s.spikeAt
			if s.n >= th.cusumHistory && th.lowRate(m) && d.cusumRuns(s) {
				// The CUSUM's count (cheap) may be below the floor.
				s.spikeAt = min(s.spikeAt, th.cusumAt(m, s.cusum))
			}
		}
	}
	s.steady = s.n >= th.steadyHist && !s.active() && !d.slowOnly
}

// plainThreshold returns the single-interval spike threshold of s for
// interval idx and the mean it was computed from: the rate-spike test
// with the seasonal factor of idx's minute (m·up, u²·max(v, m)).
func (d *Detector) plainThreshold(s *slot, idx int64) (m float64, at uint32) {
	m, v := s.mean, s.vr
	if up, _ := d.seasonAt(s, idx); up > 1 {
		// A phase that is normally busy (see seasonFactor).
		m, v = m*up, max(v, m)*up*up
	}
	return m, d.th.spikeAt(m, v)
}

// resolve replaces the lazy lower bound of s's thresholds for interval idx
// (the shard's current one) by the thresholds: plainAt, and spikeAt, the
// smaller of it and the CUSUM's count when the CUSUM runs. The state they
// depend on (mean, variance, CUSUM, seasonal profile) changes only at the
// roll-over, so computing them at the first record that reaches the bound
// gives the values the roll-over would have.
func (d *Detector) resolve(s *slot, idx int64) {
	th := &d.th
	m, p := d.plainThreshold(s, idx)
	s.plainAt, s.spikeAt, s.lazy = p, p, false
	if s.n >= th.cusumHistory && th.lowRate(m) && d.cusumRuns(s) {
		s.spikeAt = min(p, th.cusumAt(m, s.cusum))
	}
}

// closeQuiet is the number of consecutive quiet intervals that close a
// spike or surge.
const closeQuiet = 2

// closeBelow is the hysteresis of spikes and surges: an anomaly that opened
// at count ≥ at closes after closeQuiet consecutive intervals whose count is
// below the midpoint between the baseline and at,
//
//	quiet if k < (mean + at) / 2
//
// so that a spike hovering around its threshold does not flap. The event's
// End is the start of the first quiet interval.
func closeBelow(mean float64, at uint32) float64 {
	return (mean + float64(at)) / 2
}

// closeSlotEvent closes *ep at the start of interval endIdx, keeps the valve
// open through interval openTill, publishes the close and clears *ep.
func (d *Detector) closeSlotEvent(s *slot, ep **Event, endIdx, openTill int64) {
	ev := *ep
	switch ep {
	case &s.spike:
		s.spikeOwn = ownNone
	case &s.drop:
		s.dropOwn = ownNone
	}
	ev.End = d.start(endIdx)
	if ev.Template == "" {
		ev.Template = s.x.template
	}
	s.openTill = max(s.openTill, openTill)
	*ep = nil
	d.publish(*ev)
}

// closeAll closes every active event of an evicted slot at interval end.
func (d *Detector) closeAll(s *slot, end int64) {
	if s.spike != nil {
		d.closeSlotEvent(s, &s.spike, end, end)
	}
	if s.fresh != nil {
		d.closeSlotEvent(s, &s.fresh, end, end)
	}
	if s.gone != nil {
		d.closeSlotEvent(s, &s.gone, end, end)
	}
	if s.drop != nil {
		d.closeSlotEvent(s, &s.drop, end, end)
	}
}

// count is the common record's work under the shard lock, kept apart from
// observeSlot so that its call passes few arguments: it counts a record of
// a known pattern in its fast word, when the word's budget and level allow
// and the record needs no roll-over (idx ≤ the shard's interval: a late
// record counts in the current one), and returns the valve's answer; ok
// is false when the record must go through observeSlot.
func (sh *shard) count(sig signature.Sig, h uint64, level slog.Level, idx int64) (open, ok bool) {
	if idx > sh.cur.Load() {
		return false, false
	}
	e := sh.lookup(sig, h)
	if e == nil {
		return false, false
	}
	f := &sh.fast[e.pos-1]
	if !fits(*f, level) {
		return false, false
	}
	*f--
	return *f&openBit != 0, true
}

// observeSlot is the per-record work under the shard lock: count, open
// events, and report whether the pattern's valve is open. idx is the
// record's interval, already clamped to be ≥ the shard's.
func (d *Detector) observeSlot(sh *shard, sig signature.Sig, h uint64, msg string, level slog.Level, idx int64, t time.Time) bool {
	if d.panicHook != nil {
		d.panicHook()
	}
	if c := sh.cur.Load(); idx > c {
		d.rollShard(sh, idx)
	} else if idx < c {
		idx = c
	}
	var p int
	if e := sh.lookup(sig, h); e == nil {
		p = d.newSlot(sh, sig, h, msg, level, idx, t)
	} else if p = int(e.pos - 1); fits(sh.fast[p], level) {
		// The common record: counted in the fast word (see fits).
		sh.fast[p]--
		return sh.fast[p]&openBit != 0
	} else {
		s := &sh.slots[p]
		if sh.park[p].grant() != 0 && sh.fast[p]&budgetMask != 0 && level <= s.maxLevel {
			// A parked slot's record that its budget holds (the fast
			// word's code does not let it fit under slowOnly).
			sh.fast[p]--
			return sh.fast[p]&openBit != 0
		}
		d.unpark(sh, s, &sh.park[p], idx)
		fold(s, sh.fast[p], idx)
	}
	s := &sh.slots[p]
	open := d.recordSlot(s, sig, msg, level, idx, t)
	sh.fast[p] = d.refill(s, idx)
	return open
}

// recordSlot is observeSlot's work on the slot: count the record, open
// events, and report whether the valve is open. s is folded.
func (d *Detector) recordSlot(s *slot, sig signature.Sig, msg string, level slog.Level, idx int64, t time.Time) bool {
	if s.count < math.MaxUint32 {
		s.count++
	}
	s.last = idx
	if level > s.maxLevel {
		s.maxLevel = level
	}
	if s.gone != nil {
		d.closeSlotEvent(s, &s.gone, idx, idx+int64(d.th.DecayIntervals))
	}
	if s.spikeAt != 0 && s.count >= s.spikeAt && s.lazy && s.spike == nil {
		d.resolve(s, idx)
	}
	if s.spikeAt != 0 && s.count >= s.spikeAt && s.spike == nil {
		if !s.named {
			s.setTemplate(signature.Normalize(msg))
		}
		sd := math.Sqrt(max(s.vr, s.mean))
		k := float64(s.count)
		s.x.spikeIdx, s.quiet = idx, 0
		s.x.closeAt = float32(closeBelow(s.mean, s.plainAt))
		if s.count < s.plainAt {
			// Opened by the low-rate CUSUM: quiet below its reference
			// count, since the midpoint of the single-interval test
			// would close it at once.
			s.x.closeAt = float32(d.th.cusumRef(s.mean))
		}
		s.cusum = 0
		s.spikeOwn = ownBase
		s.steady = false
		s.spike = d.newEvent(Event{
			Type:       RateSpike,
			Pattern:    sig,
			Template:   s.x.template,
			Level:      s.maxLevel,
			Severity:   severityOf(s.maxLevel, d.cfg.errLevel, SeverityWarning),
			Scale:      d.cfg.interval,
			Value:      k,
			Baseline:   s.mean,
			Score:      (k - s.mean) / max(sd, 1e-9),
			Confidence: poissonConfidence(k, s.mean),
			Start:      d.start(idx),
			Detected:   t,
		})
	}
	if ev := s.fresh; ev != nil {
		ev.Value++
		// A WARN+ pattern's extended window ends once it has had
		// NewWarnMaxRecords records, but not before NewWindowIntervals.
		if s.x.newUntil > idx && ev.Value >= float64(d.th.NewWarnMaxRecords) && idx >= s.first+int64(d.th.NewWindowIntervals)-1 {
			s.x.newUntil = idx
		}
	}
	if !s.named && s.n >= int64(d.th.MinHistoryIntervals) {
		// Once per steady pattern, so that a Disappeared event can name it.
		s.setTemplate(signature.Normalize(msg))
	}
	return s.spike != nil || s.fresh != nil || idx <= s.openTill
}

// newSlot tracks a pattern not in the table and opens a NewPattern event
// when it is new after the warm-up.
func (d *Detector) newSlot(sh *shard, sig signature.Sig, h uint64, msg string, level slog.Level, idx int64, t time.Time) int {
	if sh.n >= sh.cap {
		victim := sh.evict(d)
		d.closeAll(&victim, sh.cur.Load())
	}
	i := sh.insert(sig, h)
	s := &sh.slots[i]
	s.first, s.last, s.maxLevel = idx, idx, level
	s.x.ssn.reset()
	d.syncCoarse(s)
	s.openTill = none
	seen := d.seen.testAndSet(h)
	if seen || idx < d.warmUntil.Load() {
		return i
	}
	window := int64(d.th.NewWindowIntervals)
	if level >= slog.LevelWarn {
		window = int64(d.th.NewWarnWindowIntervals)
	}
	s.x.newUntil = idx + window - 1
	if !d.newBudget(idx) {
		if level >= d.cfg.errLevel {
			// Over the event budget, a new error pattern still keeps
			// its first NewWindowIntervals (valve open, no event, no
			// extension): a flood of new INFO patterns must not hide it.
			s.openTill = idx + int64(d.th.NewWindowIntervals) - 1
		}
		return i
	}
	s.setTemplate(signature.Normalize(msg))
	s.fresh = d.newEvent(Event{
		Type:       NewPattern,
		Pattern:    sig,
		Template:   s.x.template,
		Level:      level,
		Severity:   severityOf(level, d.cfg.errLevel, SeverityInfo),
		Scale:      d.cfg.interval,
		Confidence: 1,
		Start:      t,
		Detected:   t,
	})
	return i
}

// newBudget reports whether another NewPattern event may open in interval
// idx (at most MaxNewPerInterval). The per-interval reset races benignly: a
// few extra events may open at an interval boundary.
func (d *Detector) newBudget(idx int64) bool {
	if tag := d.newTag.Load(); tag != idx {
		if d.newTag.CompareAndSwap(tag, idx) {
			d.newCount.Store(0)
		}
	}
	if d.newCount.Add(1) > int64(d.th.MaxNewPerInterval) {
		d.suppressed.Add(1)
		return false
	}
	return true
}

// seenSet is a fixed Bloom filter (2 hash bits per signature) of every
// signature observed, so that a pattern evicted from the table and seen again
// is not reported as new. With 2^18 bits, after n distinct patterns a truly
// new pattern is missed (reported as already seen) with probability
// (1 − e^(−2n/2^18))²: 0.5 % at n = 10 000, 5.6 % at n = 40 000.
type seenSet struct {
	words [1 << 12]atomic.Uint64
}

func (b *seenSet) testAndSet(h uint64) bool {
	h2 := mix(h ^ 0x9e3779b97f4a7c15)
	b1, b2 := h2>>46, (h2>>20)&(1<<18-1)
	m1, m2 := uint64(1)<<(b1&63), uint64(1)<<(b2&63)
	old1 := b.words[b1>>6].Or(m1)
	old2 := b.words[b2>>6].Or(m2)
	return old1&m1 != 0 && old2&m2 != 0
}

// presence returns the presence used by the disappearance test: the
// pattern's presence at its last record, capped by the presence a Poisson
// series with the rate of the coarsest scale's baseline would have,
//
//	p = min(pLast, 1 − e^(−m/f))      m: bucket mean, f: intervals per bucket
//
// so that a burst, which fills a run of intervals, does not make a sparse
// pattern look steady (the coarse baseline is frozen during a spike and
// averages over hours).
func (d *Detector) presence(s *slot) float64 {
	p := s.pLast
	for j := d.nScales - 1; j >= 0; j-- {
		if sc := &s.x.sc[j]; sc.n >= int32(d.th.MinHistoryIntervals) {
			return min(p, -math.Expm1(-sc.mean/float64(d.scaleN[j])))
		}
	}
	return p
}

// cusumRuns reports whether the interval's low-rate CUSUM runs for s: the
// series is low-rate at the interval and, with coarse scales, also at the
// first of them (below MinCount/SpikeRatio records per bucket, 0.2/s for
// 10 s buckets at the defaults). Faster series are the coarse scales'
// (whose single-bucket tests have the power there), since the CUSUM's
// Poisson model reads the minute-to-minute wander of real traffic as
// evidence.
func (d *Detector) cusumRuns(s *slot) bool {
	return d.th.lowRate(s.mean) && s.coarseLow
}

// syncCoarse sets s.coarseLow from the first coarse scale's baseline, so
// that the per-interval roll-over does not read the cold state: call it
// whenever x.sc[0] changes (a bucket ends, a level shift, a new slot).
func (d *Detector) syncCoarse(s *slot) {
	s.coarseLow = d.nScales == 0 || s.x.sc[0].n < int32(d.th.MinHistoryIntervals) || d.th.lowRate(s.x.sc[0].mean)
}

// bounds says which bucket boundaries lie between two intervals: bit j of
// scales is set when the bucket of coarse scale j that holds interval from
// ends before interval to; minute when a minute ends (for the seasonal
// profile). It is computed once per shard roll-over, so that the
// roll-over of a slot in the middle of every bucket only adds counts.
type bounds struct {
	scales     uint8
	minute     bool
	mFrom, mTo int64 // the minutes of from and to (when the seasonal profile runs)
	// For each scale j whose bit is set: the last interval of from's
	// bucket, the whole empty buckets between it and to, and the minute
	// of the bucket (minuteOf).
	end, empty, minute1 [maxScales]int64
}

// boundsOf returns the bounds of a roll-over of sh from interval from to
// to in *b: when both lie in sh's quiet range, no boundary and their minute;
// else boundaries (and the quiet range moves to that of to).
func (d *Detector) boundsOf(sh *shard, from, to int64, b *bounds) {
	if sh.quietLo <= from && to < sh.quietHi {
		*b = bounds{mFrom: sh.quietMin, mTo: sh.quietMin}
		return
	}
	*b = d.boundaries(from, to)
	sh.quietLo, sh.quietHi, sh.quietMin = d.quietRange(to)
}

// quietRange returns the intervals [lo, hi) that lie in the bucket of
// every coarse scale and in the minute of interval idx, and that minute (0
// without a seasonal profile, as in boundaries): a roll-over between two of
// them crosses no boundary. Every roll-over of a shard in the middle of
// the 10 s bucket and the minute (nine in ten at the defaults) then takes
// its bounds without the divisions of boundaries.
func (d *Detector) quietRange(idx int64) (lo, hi, minute int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	for j := range d.nScales {
		f := d.scaleN[j]
		a := floorDiv(idx, f) * f
		lo, hi = max(lo, a), min(hi, a+f)
	}
	if d.minuteN > 0 {
		minute = floorDiv(idx, d.minuteN)
		lo, hi = max(lo, minute*d.minuteN), min(hi, (minute+1)*d.minuteN)
	}
	return lo, hi, minute
}

func (d *Detector) boundaries(from, to int64) bounds {
	var b bounds
	for j := range d.nScales {
		f := d.scaleN[j]
		if end := (floorDiv(from, f)+1)*f - 1; end < to {
			b.scales |= 1 << j
			b.end[j] = end
			b.empty[j] = floorDiv(to, f) - floorDiv(end+1, f)
			b.minute1[j] = d.minuteOf(end-f+1, end)
		}
	}
	if d.minuteN > 0 {
		b.mFrom, b.mTo = floorDiv(from, d.minuteN), floorDiv(to, d.minuteN)
		b.minute = b.mFrom != b.mTo
	}
	return b
}

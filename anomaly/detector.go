package anomaly

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// Detector runs the four streaming detectors (rate spike, error surge, new
// pattern, disappearance) over the records passed to [Detector.Observe], and
// acts as the sampler's valve: Observe reports whether a record belongs to an
// active anomaly.
//
// A Detector is safe for concurrent use. It starts no goroutine: time comes
// only from the records (and from [Detector.Advance]), so a replay of old
// logs behaves exactly like live traffic. Its memory is fixed at [New]: the
// pattern table (see [WithMaxPatterns]), a 32 KiB seen-pattern filter, the
// recent-event ring and the callback outbox. The zero Detector is not
// usable; call New.
type Detector struct {
	cfg     config
	th      thresholds
	scaleN  [maxScales]int64 // intervals per bucket of each coarse scale
	nScales int
	zRun    float64    // run threshold of two consecutive buckets (runZ)
	zRuns   [3]float64 // run thresholds z_L for L = 2, 3, 4
	zMin    float64    // the smallest of zRuns (see bucket)
	minuteN int64      // intervals per minute; 0: no seasonal profile
	// busyMean is min(ln(1/Alpha)/2, zRun²): below it no interval drop
	// can pass (see baseDrop) and the winsorizing has no drop side, so
	// the steady roll-over (rollNext) of most patterns skips both.
	busyMean  float64
	aPow      [parkMax + 1]float64 // (1 − Smoothing)^g: a block's weight of the state before it (see unpark)
	shards    []shard
	shardMask uint64

	cur          atomic.Int64  // current interval (max seen); none before the first record
	warmUntil    atomic.Int64  // first interval in which patterns can be new
	svcErr       atomic.Uint32 // error records of the current interval (the records are counted per shard: shard.svcN)
	svcDirty     atomic.Uint64 // bit i: shard i has counted records since the last collect
	svcEpoch     atomic.Uint64 // collects so far
	shareSkip    shareSkip     // see surgeShare
	errAt        atomic.Uint32 // error count that opens a surge; 0 = not tested
	shareMinBits atomic.Uint64 // float64: minimum error share for a surge
	surgeOn      atomic.Bool
	surgeTill    atomic.Int64 // valve open for the surge through this interval
	svc          service

	seen       seenSet
	newTag     atomic.Int64
	newCount   atomic.Int64
	suppressed atomic.Uint64
	late       atomic.Uint64
	untimed    atomic.Uint64
	nextID     atomic.Uint64
	pub        publisher

	// slowOnly sends every record through the slot and every surge share
	// test through the shards: the reference the tests compare the
	// shortcuts (the fast words, shareSkip) with. Set only by tests, before use.
	slowOnly bool
	// panicHook, when set (by tests only, before use), is called by every
	// record's slot work under its shard lock: the panic tests' way into
	// the full path.
	panicHook func()
}

// New returns a Detector configured by opts. It returns an error wrapping
// [ErrInvalidOption] when an option is out of range.
func New(opts ...Option) (*Detector, error) {
	cfg := config{errLevel: slog.LevelError}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	if cfg.interval == 0 {
		cfg.interval = DefaultInterval
	}
	if cfg.maxPatterns == 0 {
		cfg.maxPatterns = DefaultMaxPatterns
	}
	if cfg.recent == 0 {
		cfg.recent = DefaultRecent
	}
	if !cfg.scalesSet && !cfg.intervalSet {
		cfg.scales = DefaultScales
	}
	d := &Detector{cfg: cfg, th: newThresholds(cfg.th)}
	if len(cfg.scales) > maxScales {
		return nil, fmt.Errorf("%w: %d scales (at most %d)", ErrInvalidOption, len(cfg.scales), maxScales)
	}
	prev := cfg.interval
	for j, sc := range cfg.scales {
		if sc <= prev || sc%cfg.interval != 0 {
			return nil, fmt.Errorf("%w: scale %v (must be a multiple of the interval %v, above %v)", ErrInvalidOption, sc, cfg.interval, prev)
		}
		d.scaleN[j] = int64(sc / cfg.interval)
		prev = sc
	}
	d.nScales = len(cfg.scales)
	for i := range d.zRuns {
		d.zRuns[i] = runZ(d.th.SpikeZ, i+2)
	}
	d.zRun = d.zRuns[0]
	d.zMin = min(d.zRuns[0], d.zRuns[1], d.zRuns[2])
	d.busyMean = min(-d.th.logA/2, d.zRun*d.zRun)
	for g := range d.aPow {
		d.aPow[g] = math.Pow(1-d.th.Smoothing, float64(g))
	}
	if time.Minute%cfg.interval == 0 {
		d.minuteN = int64(time.Minute / cfg.interval)
	}

	// 64 shards once there are ≥ 16 patterns per shard: enough to keep two
	// to eight cores off each other's locks, while each shard's roll-over
	// stays a short scan.
	nShards := 1
	for nShards < 64 && cfg.maxPatterns/(nShards*2) >= 16 {
		nShards *= 2
	}
	perShard := (cfg.maxPatterns + nShards - 1) / nShards
	size := 1 << bits.Len(uint(2*perShard-1))
	d.shards = make([]shard, nShards)
	// One allocation per array for all shards, cut into capped
	// segments: per-shard arrays of some tens of KB would each be
	// rounded up to a size class or to whole pages (about 100 bytes per
	// pattern at the defaults).
	idx := make([]entry, nShards*size)
	slots := make([]slot, nShards*perShard)
	ext := make([]slotExt, nShards*perShard)
	free := make([]*slotExt, nShards*perShard)
	fast := make([]uint32, nShards*perShard)
	park := make([]park, nShards*perShard)
	for i := range d.shards {
		sh := &d.shards[i]
		a, b := i*perShard, (i+1)*perShard
		sh.idx = idx[i*size : (i+1)*size : (i+1)*size]
		sh.slots = slots[a:b:b]
		sh.fast = fast[a:b:b]
		sh.mask = uint64(size - 1)
		sh.cap = perShard
		sh.park = park[a:b:b]
		sh.free = free[a:b:b]
		for j := range sh.free {
			sh.free[j] = &ext[a+j]
		}
		sh.cur.Store(none)
	}
	d.shardMask = uint64(nShards - 1)
	d.cur.Store(none)
	d.warmUntil.Store(math.MaxInt64)
	d.surgeTill.Store(none)
	d.svc.last = none
	d.pub.recent = make([]Event, cfg.recent)
	if cfg.eventBuffer > 0 {
		d.pub.ch = make(chan Event, cfg.eventBuffer)
	}
	return d, nil
}

// index returns the interval of t: ⌊t.UnixNano() / interval⌋.
func (d *Detector) index(t time.Time) int64 {
	ns, iv := t.UnixNano(), int64(d.cfg.interval)
	q := ns / iv
	if ns < 0 && q*iv != ns {
		q--
	}
	return q
}

// Observe counts one record of pattern sig at time t and reports whether the
// valve is open for it: true while the pattern has an active rate spike or
// is in its new-pattern window, during the decay window after a spike closes
// or a disappeared pattern returns, and while an error surge is active or
// decaying (for every record, or only for error records under
// [ScopeErrors]).
//
// msg is the raw message; it is read only when a template is first needed
// (an event opens, or the pattern becomes steady) and not retained. t is the
// record's time. A t earlier than the detector's current interval (late or
// out of order) is counted in the current interval and in [Stats].Late; a
// zero t is counted in the current interval, or ignored (valve closed, counted
// in [Stats].Untimed) before the first timed record.
//
// Observe implements the sampler's Valve: it does not block (beyond short
// internal locks), does not allocate in steady state and does not panic (a
// failure inside it, a bug, panics with its locks released; it is
// [Detector.ObserveSafe], which the sampler calls and which reports such a
// failure instead, plus that panic). Its
// cost is O(1) amortized: the first record of an interval in each shard also
// rolls that shard (O(patterns/shards)), and the first record of an interval
// rolls the service baseline. Events are delivered to the callback (if any)
// from Observe after every internal lock is released.
func (d *Detector) Observe(sig signature.Sig, msg string, level slog.Level, t time.Time) bool {
	return must(d.ObserveSafe(sig, msg, level, t))
}

// ObserveSafe is [Detector.Observe] for the sampler (it implements
// sampler.SafeValve): a panic inside the detector is recovered by the
// detector itself, which releases the locks it held, and reported as a
// non-nil err with open false, where Observe would panic. The common
// record's inline path makes no call and so cannot reach a panic but a
// runtime bounds check on indexes masked into range; every path that makes
// a call (the full path, roll-overs, eviction, events) recovers at its
// entry, paid once per such record, so that the sampler need not defer a
// recover around every call of the valve (about 75 instructions a record).
func (d *Detector) ObserveSafe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool, err error) {
	// The common record (timed, in the current interval, below the
	// error level, counted in its fast word) is served here, with no
	// call on its path: a call would make the compiler save the
	// arguments on entry, stores that the shard lock's locked
	// instruction then waits for. Every other record takes observe,
	// the full path, which gives it the same answer.
	cur := d.cur.Load()
	ns, iv := t.UnixNano(), int64(d.cfg.interval)
	if t.IsZero() || cur == none || ns < cur*iv || ns-cur*iv >= iv || level >= d.cfg.errLevel {
		return d.observe(sig, msg, level, t)
	}
	h := mix(uint64(sig))
	sh := &d.shards[h&d.shardMask]
	if !sh.mu.TryLock() {
		return d.observe(sig, msg, level, t) // contended: wait in Lock there
	}
	if cur > sh.cur.Load() {
		// The shard's roll-over is due.
		return d.observeLocked(sh, sig, h, msg, level, cur, t)
	}
	e := sh.lookup(sig, h)
	if e == nil {
		return d.observeLocked(sh, sig, h, msg, level, cur, t)
	}
	f := &sh.fast[e.pos-1]
	if !fits(*f, level) {
		return d.observeLocked(sh, sig, h, msg, level, cur, t)
	}
	if sh.svcN == 0 {
		d.svcDirty.Or(1 << (h & d.shardMask))
	}
	sh.svcN++
	*f--
	open = *f&openBit != 0
	sh.mu.Unlock()
	if !open && d.cfg.scope == ScopeService {
		open = d.surgeOn.Load() || cur <= d.surgeTill.Load()
	}
	if d.pub.pending.Load() > 0 {
		if err := d.drainSafe(); err != nil {
			return false, err
		}
	}
	return open, nil
}

// observeLocked is the rest of Observe's fast path for a record that the
// fast word cannot count: called with sh.mu held, idx the current
// interval (the record is timed and below the error level).
//
//go:noinline
func (d *Detector) observeLocked(sh *shard, sig signature.Sig, h uint64, msg string, level slog.Level, idx int64, t time.Time) (open bool, err error) {
	held := sh
	defer func() {
		if p := recover(); p != nil {
			if held != nil {
				held.mu.Unlock()
			}
			open, err = false, panicError(p)
		}
	}()
	if sh.svcN == 0 {
		d.svcDirty.Or(1 << (h & d.shardMask))
	}
	sh.svcN++
	open = d.observeSlot(sh, sig, h, msg, level, idx, t)
	held = nil
	sh.mu.Unlock()
	if !open && d.cfg.scope == ScopeService {
		open = d.surgeOn.Load() || idx <= d.surgeTill.Load()
	}
	if d.pub.pending.Load() > 0 {
		d.drain()
	}
	return open, nil
}

// observe is Observe for any record. A panic below it is recovered here,
// once per record of the full path (see ObserveSafe): the shard lock it
// holds is released, and every other lock is held under a deferred
// unlock.
func (d *Detector) observe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool, err error) {
	var held *shard
	defer func() {
		if p := recover(); p != nil {
			if held != nil {
				held.mu.Unlock()
			}
			open, err = false, panicError(p)
		}
	}()
	cur := d.cur.Load()
	var idx int64
	if t.IsZero() {
		if cur == none {
			d.untimed.Add(1)
			return false, nil
		}
		idx = cur
	} else if ns, iv := t.UnixNano(), int64(d.cfg.interval); cur != none && ns >= cur*iv && ns-cur*iv < iv {
		idx = cur // the current interval, without a division
	} else {
		idx = d.index(t)
		if idx > cur {
			d.advance(cur, idx, false)
		} else if idx < cur {
			d.late.Add(1)
			idx = cur
		}
	}

	isErr := level >= d.cfg.errLevel
	if isErr {
		// Only error records pay a shared atomic; the others are
		// counted in their shard, under the lock taken anyway.
		if e := d.svcErr.Add(1); !d.surgeOn.Load() {
			if at := d.errAt.Load(); at != 0 && e >= at {
				if n, ok := d.surgeShare(e); ok {
					d.openSurge(float64(e), n, idx, t)
				}
			}
		}
	}

	h := mix(uint64(sig))
	sh := &d.shards[h&d.shardMask]
	sh.mu.Lock()
	held = sh
	if sh.svcN == 0 {
		d.svcDirty.Or(1 << (h & d.shardMask))
	}
	sh.svcN++
	var ok bool
	if open, ok = sh.count(sig, h, level, idx); !ok {
		open = d.observeSlot(sh, sig, h, msg, level, idx, t)
	}
	held = nil
	sh.mu.Unlock()

	if !open && (isErr || d.cfg.scope == ScopeService) {
		open = d.surgeOn.Load() || idx <= d.surgeTill.Load()
	}
	if d.pub.pending.Load() > 0 {
		d.drain()
	}
	return open, nil
}

// advance moves the current interval from cur to idx. The goroutine whose
// compare-and-swap wins finalizes the service interval and rolls shards that
// fell behind; the others just continue. Records racing with the swap may be
// counted in the neighbouring interval (a few per boundary under
// concurrency).
func (d *Detector) advance(cur, idx int64, all bool) {
	for !d.cur.CompareAndSwap(cur, idx) {
		if cur = d.cur.Load(); cur >= idx {
			return
		}
	}
	if cur == none {
		d.warmUntil.Store(idx + int64(d.th.WarmupIntervals))
	}
	e := d.svcErr.Swap(0)
	d.rollService(cur, idx, d.collect()<<32|uint64(e))
	d.sweep(idx, all)
}

// sweep rolls shards that have seen records but fell behind interval to, so
// that silence is noticed without traffic in that shard. With all unset
// (the hot path) it rolls only shards that missed a whole interval, and skips
// busy ones.
func (d *Detector) sweep(to int64, all bool) {
	lag := int64(1)
	if all {
		lag = 0
	}
	for i := range d.shards {
		sh := &d.shards[i]
		c := sh.cur.Load()
		if c == none || c >= to-lag {
			continue
		}
		if all {
			sh.mu.Lock()
		} else if !sh.mu.TryLock() {
			continue
		}
		d.rollUnlock(sh, to)
	}
}

// rollUnlock rolls sh, held, to interval to and unlocks it, also when the
// roll panics (a deferred unlock once per shard and interval: no deadlock
// after a panic recovered by observe).
func (d *Detector) rollUnlock(sh *shard, to int64) {
	defer sh.mu.Unlock()
	d.rollShard(sh, to)
}

// must is the Observe of a full path's result: the panic that the full
// path recovered goes on (ObserveSafe reports it instead).
func must(open bool, err error) bool {
	if err != nil {
		panic(err)
	}
	return open
}

// Advance moves the detector's time to t without a record: every interval
// before t's is closed, so that silences and the ends of anomalies are
// noticed when no records arrive (call it from a ticker, or at the end of a
// replay). A t at or before the current interval only catches up shards that
// fell behind. Advance before the first record does nothing. It delivers
// pending callback events before returning and is safe for concurrent use.
func (d *Detector) Advance(t time.Time) {
	cur := d.cur.Load()
	if cur == none || t.IsZero() {
		return
	}
	if idx := d.index(t); idx > cur {
		d.advance(cur, idx, true)
	} else {
		d.sweep(cur, true)
	}
	d.drain()
}

// Snapshot returns the active and recently closed events and the counters.
// It takes each internal lock in turn (never two at once) and costs
// O(max patterns); it is meant for status pages and reports, not per record.
func (d *Detector) Snapshot() Snapshot {
	var s Snapshot
	for i := range d.shards {
		sh := &d.shards[i]
		sh.mu.Lock()
		s.Stats.Patterns += sh.n
		s.Stats.Records += sh.svcN
		s.Stats.Evicted += sh.evicted
		for j := range sh.slots[:sh.n] {
			sl := &sh.slots[j]
			for _, ev := range [...]*Event{sl.spike, sl.fresh, sl.gone, sl.drop} {
				if ev != nil {
					s.Active = append(s.Active, *ev)
				}
			}
		}
		sh.mu.Unlock()
	}
	e := d.svcErr.Load()
	d.svc.mu.Lock()
	if d.svc.surge != nil {
		s.Active = append(s.Active, *d.svc.surge)
	}
	s.Stats.Records += d.svc.records
	s.Stats.Errors = d.svc.errCount + uint64(e)
	d.svc.mu.Unlock()
	slices.SortFunc(s.Active, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})

	p := &d.pub
	p.mu.Lock()
	s.Recent = make([]Event, 0, p.rn)
	for i := range p.rn {
		s.Recent = append(s.Recent, p.recent[(p.rpos-p.rn+i+len(p.recent))%len(p.recent)])
	}
	s.Stats.EventsOpened = p.opened
	s.Stats.DroppedEvents = p.dropped
	p.mu.Unlock()
	s.Stats.Late = d.late.Load()
	s.Stats.Untimed = d.untimed.Load()
	s.Stats.SuppressedNew = d.suppressed.Load()
	s.Stats.CallbackPanics = p.cbPanics.Load()
	return s
}

// Events returns the event channel configured with [WithEventBuffer], or
// nil. Each event is sent when it opens and again when it closes; sends never
// block (a full channel drops the event). The channel is closed by
// [Detector.Shutdown].
func (d *Detector) Events() <-chan Event { return d.pub.ch }

// Shutdown delivers queued callback events, stops event delivery and closes
// the [Detector.Events] channel. Observe keeps working afterwards (the valve
// still answers) but no event is delivered. Shutdown is idempotent and safe
// for concurrent use, but must not be called from the callback itself; it
// returns ctx.Err() if ctx is done before the queued callbacks are delivered.
func (d *Detector) Shutdown(ctx context.Context) error {
	for d.pub.pending.Load() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		d.pub.cbMu.Lock() // wait for a concurrent drain to finish its batch
		d.pub.cbMu.Unlock()
		d.drain()
	}
	p := &d.pub
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		if p.ch != nil {
			close(p.ch)
		}
	}
	return nil
}

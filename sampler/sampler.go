package sampler

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/internal/fnv"
	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// Sampler decides, per record, whether to keep it, following the policy in
// force (see [Sampler.Decide] for the rules and their order).
//
// A Sampler is safe for concurrent use; Decide is meant to be called from
// every logging goroutine at once. It must be built with [New]; the zero
// Sampler is not usable.
//
// # Patterns and bounded state
//
// A record's pattern ID is the ID of the learned pattern of its message's
// signature (signature.Of(message) placed by a pattern.Miner, see
// [WithPatternMining]), folded with each attribute key by
// signature.WithKey when [WithAttrKeys] is on. The Sampler tracks
// at most [WithMaxPatterns] patterns (default [DefaultMaxPatterns]) in a
// table allocated once by New: a new pattern takes a free slot, or evicts a
// pattern that had no record in the current or previous window, or else is
// counted in a shared overflow bucket whose first-N and adaptive rate are
// common to all overflowing patterns. Memory does not grow with the number of
// distinct messages.
//
// # Windows and time
//
// Time comes from [Record].Time, or from the clock ([WithClock]) when it is
// zero. It is cut into windows of the policy's length (10 s by default),
// aligned on the Unix epoch. A window ends when the first record of a later
// window arrives; that record's Decide then rolls the window: it computes
// the adaptive rates (when the policy sets a target) and the summary (when
// [WithSummary] is set). That costs the record a scan of the table (about
// 13 µs for 4096 tracked patterns, BenchmarkSampler_WindowRoll) plus, for
// the n patterns that had records in the ended window, O(n log n) for the
// adaptive rates and the summary. Records whose time is earlier than the
// current window are counted in the current window. Records are not required
// to come in order, but a record far in the future moves the window there.
//
// # The budget
//
// With a target (policy.Policy.TargetPerSecond), each pattern's adaptive
// rate is its share of the target over its estimated records per second.
// Estimates are redone every 250 ms of record time (by the first record of
// each such tick, in time proportional to the number of tracked patterns),
// made for a pattern with no history at its first record past first-N from
// what the window has seen of it, and raised when a kept record shows the
// pattern's volume more than doubled; so the target holds from the first
// second and through spikes. Estimates are noisy for a few records and
// assume record times that resolve a millisecond; a pattern may be over- or
// under-sampled until its next keep or tick. [Stats].Seconds shows, per
// second, what was kept against the target.
//
// # Lossiness
//
// Counts are exact except at one rare race: a record of a stale pattern
// that arrives while a new pattern is evicting it may be counted to the new
// pattern, or (narrower still) not at all. A record that races with a window
// roll is counted in one of the two windows. A kept record whose stripe is
// folded and taken by a record of another rule between its two adds may have
// its keep counted to that rule in [Stats].Reasons. Stats and summaries read the
// counters one by one, so a snapshot taken while records are decided is not
// atomic. First-N counts in the overflow bucket are shared by all
// overflowing patterns. A dropped record
// is gone; a kept one carries Rate, so that summing 1/Rate over kept records
// estimates the true count without bias.
type Sampler struct {
	pol      atomic.Pointer[compiled]
	disabled atomic.Bool
	errs     atomic.Uint64
	// anomalous counts records decided by the valve (rare by nature, so a
	// shared counter costs no contention).
	anomalous atomic.Uint64

	clock    Clock
	valve    Valve
	safe     SafeValve // valve, when it recovers its own panics; else nil
	onError  func(error)
	attrKeys bool
	// valueKeys are the attributes whose values enter the pattern ID
	// (WithValueKeys); nil when none.
	valueKeys []string
	cache     *sigCache
	miner     *pattern.Miner // nil when pattern mining is off
	tab       *table
	reasons   *reasonCounts // the table's (see reasonCounts)
	// salt is of stripeHint, changed on contention; on a cache line of
	// its own, so that a change does not evict the fields above, which
	// every record reads.
	_    [64]byte
	salt atomic.Uint64
	_    [56]byte

	win     atomic.Pointer[window]
	rollMu  sync.Mutex // held by the record that rolls a window; TryLock only
	scratch []adaptEntry
	bud     budgetState // ticks and per-second counts (see budget.go)

	hook Hook    // nil when no hook is set (see WithHook)
	key  KeyFunc // nil for the template key (see WithKey)

	summary  func(Summary)
	sumCh    chan Summary
	done     chan struct{}
	finished chan struct{}
	shutOnce sync.Once
}

// New returns a Sampler configured by opts. It returns an error when the
// policy given by [WithPolicy] is invalid (an error matching
// policy.ErrInvalidPolicy) or an option is out of range. When [WithSummary]
// is given, New starts the goroutine that delivers summaries; stop it with
// [Sampler.Shutdown].
func New(opts ...Option) (*Sampler, error) {
	var cfg config
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.policy == nil {
		cfg.policy = policy.Default()
	}
	if cfg.maxPatterns < 0 {
		return nil, fmt.Errorf("sampler: negative max patterns %d", cfg.maxPatterns)
	}
	if cfg.maxPatterns == 0 {
		cfg.maxPatterns = DefaultMaxPatterns
	}
	if cfg.clock == nil {
		cfg.clock = systemClock{}
	}
	c, err := compile(cfg.policy)
	if err != nil {
		return nil, err
	}
	s := &Sampler{
		clock:     cfg.clock,
		valve:     cfg.valve,
		onError:   cfg.onError,
		attrKeys:  cfg.attrKeys || len(cfg.valueKeys) > 0,
		valueKeys: cfg.valueKeys,
		tab:       newTable(cfg.maxPatterns),
		summary:   cfg.summary,
		hook:      cfg.hook,
		key:       cfg.key,
	}
	s.safe, _ = cfg.valve.(SafeValve)
	s.tab.seed, s.tab.seeded = cfg.seed, cfg.seeded
	s.miner = newMiner(&cfg)
	s.tab.miner = s.miner
	s.setMap(c)
	s.reasons = s.tab.reasons
	if !cfg.noCache && cfg.key == nil {
		s.cache = newSigCache()
	}
	s.scratch = make([]adaptEntry, 0, len(s.tab.slots)+1)
	s.pol.Store(c)
	s.win.Store(&window{length: c.windowNanos})
	s.bud.tickEnd.Store(math.MaxInt64) // until the first record's roll starts the first tick
	if s.summary != nil {
		s.sumCh = make(chan Summary, 1)
		s.done = make(chan struct{})
		s.finished = make(chan struct{})
		go s.deliver()
	}
	return s, nil
}

// SetPolicy validates p and puts it in force for the records decided after
// it returns. When p is invalid it returns the validation error (matching
// policy.ErrInvalidPolicy) and the policy in force is unchanged. The Sampler
// copies what it needs; p may be changed afterwards. Pattern counters
// survive a policy change; a new window length restarts the window count.
// This method can be called concurrently with Decide.
func (s *Sampler) SetPolicy(p *policy.Policy) error {
	c, err := compile(p)
	if err != nil {
		return err
	}
	s.pol.Store(c)
	s.setMap(c)
	return nil
}

// Policy returns a copy of the policy in force.
func (s *Sampler) Policy() *policy.Policy { return s.pol.Load().pol.Clone() }

// Disable turns the kill switch on: from the next call, Decide keeps every
// record at rate 1 with [ReasonDisabled], without computing a signature,
// consulting the valve or counting. It is meant for when sampling itself is
// suspected; it takes effect immediately in every goroutine.
func (s *Sampler) Disable() { s.disabled.Store(true) }

// Enable turns the kill switch off (see [Sampler.Disable]).
func (s *Sampler) Enable() { s.disabled.Store(false) }

// Disabled reports whether the kill switch is on.
func (s *Sampler) Disabled() bool { return s.disabled.Load() }

// NeedsAttrs reports whether Decide reads [Record].Attrs under the policy
// in force: when attribute keys enter the pattern ID ([WithAttrKeys]), a
// key function is set ([WithKey]) or the policy exempts records by
// attribute. When it is false an adapter may
// leave Attrs nil and skip translating its record's attributes. A policy
// put in force between a call to NeedsAttrs and the Decide that follows
// applies to that record without its attributes (one record per goroutine
// per policy change). This method can be called concurrently.
func (s *Sampler) NeedsAttrs() bool {
	return s.attrKeys || s.key != nil || len(s.pol.Load().exemptAttrs) > 0
}

// Decide decides whether to keep r. It applies these rules in order; the
// first that applies decides:
//
//  1. the kill switch ([Sampler.Disable]): keep, rate 1, [ReasonDisabled];
//  2. the policy's exemptions (levels, attribute matches): keep, rate 1,
//     [ReasonExempt];
//  3. the first N records of the pattern in the current window: keep, rate
//     1, [ReasonFirstN];
//  4. the anomaly valve ([WithValve]) is open for the record: keep at rate
//     min(1, r*anomaly_boost), where r is the rate of rules 5-8, or at rate
//     1 when the policy has no boost, capped at the policy's
//     anomaly_max_per_second over the pattern's estimated records per
//     second, and never below r; [ReasonAnomaly];
//  5. the policy's rate for the pattern: [ReasonPattern];
//  6. the policy's rate for the record's severity (ERROR and CRITICAL are
//     1.0 unless the policy names them): [ReasonSeverity];
//  7. the pattern's adaptive rate, when the policy sets a target, from
//     its first record (see [Sampler] on the budget): [ReasonAdaptive];
//  8. the global rate: [ReasonGlobal].
//
// The valve observes every record (except under the kill switch), whichever
// rule decides, so that detectors see the full stream.
//
// With a rate r from rules 4-8, the record is kept with probability r. When
// r.TraceID is not zero the draw is a deterministic function of the trace ID
// and r, the one of OpenTelemetry's TraceIDRatioBased sampler (the low 63
// bits of trace ID bytes 8-15 compared with r*2^63), so all records of a
// trace are kept or dropped together, in every service with the same rate,
// and a trace kept at rate r is kept at every rate above r. Otherwise the
// records of a pattern are sampled systematically: each adds r to an
// accumulator (one per pattern and stripe of goroutines, 32-bit fixed
// point, with a random initial phase) and is kept when the accumulator
// crosses an integer. Each record is still kept with probability exactly r
// (to the accumulator's resolution: r is rounded to a multiple of 2^-32, a
// relative error below 2^-33/r, and a rate below 2^-33 keeps nothing), so summing
// 1/Rate over the kept records estimates a pattern's count without bias,
// but the number kept of m records at rate r is ⌊m·r⌋ or ⌈m·r⌉ per
// accumulator, so the estimate is off by less than 1/r per accumulator
// (at most 8, one per stripe, with the single-goroutine logging common
// per pattern giving one or two) instead of √(m(1−r)/r) for independent
// draws (TestSystematic_* derive and check the bounds). The
// price is the classic one of systematic sampling: when a pattern's records
// cycle with a period that divides 1/r (a loop logging "a", "b", "a", "b"
// under one template at rate 1/2), the kept ones may all be from one phase
// of the cycle. Decisions are not reproducible from one run to the next
// (the phase is random, and stripes follow goroutine stacks).
//
// In dry-run mode the decision is made and counted, then returned with Keep
// true, Rate 1, DryRun true and WouldDrop set.
//
// Decide does not allocate in steady state, does not block (unless the
// Valve, the hook or the key function does), and never panics: a panicking
// Valve (or a nil r) makes it keep the record at rate 1 with [ReasonError]
// and report the error; a panicking hook ([WithHook]) or key function
// ([WithKey]) is reported likewise (see their docs). It does not retain r.
// This method can be called concurrently.
func (s *Sampler) Decide(r *Record) Decision {
	// Decide inlines into its caller, and decide fills the caller's
	// Decision field by field. Returning the Decision from decide instead
	// (a struct of six fields, which the compiler keeps in memory) stages
	// it in stack temporaries by narrow stores and block-copies it with
	// wide loads, which stall on store forwarding in Decide and again in
	// the caller: about 5 ns per record (perf annotate on slogx's
	// BenchmarkHandle_overhead).
	var d Decision
	s.decide(r, &d)
	return d
}

// DecideInto is [Sampler.Decide], writing the decision to *d. It is for
// adapters on the hot path: a caller that keeps d in its own frame and
// reads the fields it needs saves the copy of the returned Decision, a
// block copy of fields just written one by one, which stalls on store
// forwarding (about 6 ns per record in slogx, BenchmarkHandler). This
// method can be called concurrently.
func (s *Sampler) DecideInto(r *Record, d *Decision) {
	*d = Decision{}
	s.decide(r, d)
}

// decide is Decide, writing the decision to *d, which is zero.
func (s *Sampler) decide(r *Record, d *Decision) {
	if r == nil {
		s.fail(errNilRecord)
		d.Keep, d.Rate, d.Reason = true, 1, ReasonError
		return
	}
	if s.disabled.Load() {
		d.Keep, d.Rate, d.Reason = true, 1, ReasonDisabled
		if s.hook != nil {
			s.callHook(r, d)
		}
		return
	}
	c := s.pol.Load()

	// sig is the record's exact signature; id its pattern ID, which keys
	// everything below.
	var sig, id signature.Sig
	if s.cache != nil {
		sig, id = s.cache.of(r.Message, r.Attrs, s.attrKeys, s.valueKeys, s.miner)
	} else if s.key != nil {
		sig, id = s.keyOf(r)
	} else {
		sig, id = patternOf(r.Message, r.Attrs, s.attrKeys, s.valueKeys, s.miner)
	}

	var nanos int64
	t := r.Time
	if t.IsZero() {
		t = s.clock.Now()
	}
	nanos = t.UnixNano()
	w := s.windowOf(nanos, c)
	ws := uint64(w) & serialMask
	tab := s.tab
	sev := policy.SeverityIndex(r.Level)
	sl := tab.find(id, ws, nanos, r.Message, sev)
	// The record's stripe, and its value now: the add at the end swaps
	// from it, so that another goroutine's write in between shows as
	// contention (see stripeCount.add).
	salt := saltRef{p: &s.salt, v: s.salt.Load()}
	h := stripeHint(salt.v)
	if tab.seeded {
		h = 0 // reproducible: stripes follow stacks, which move
	}
	st := &tab.stripes[h][sl.idx]
	x0 := st.n.Load()
	// Past the first N records of the window, the record is counted in a
	// stripe, after the decision; before, in the slot, which gives its
	// exact position in the window.
	v := sl.packed.Load()
	striped := v>>countBits == ws && v&countMask > c.firstN
	var n uint64
	if !striped {
		n = sl.hit(ws)
	}
	sl.note(sev, nanos)

	open := false
	failed := false
	if s.valve != nil {
		key := id
		if s.miner != nil {
			key = s.miner.Origin(id) // stable while the pattern generalizes
		}
		if s.safe != nil {
			var err error
			if open, err = s.safe.ObserveSafe(key, r.Message, r.Level, t); err != nil {
				open, failed = false, true
				s.fail(panicError("valve", err))
			}
		} else {
			open, failed = s.observe(key, r, t)
		}
	}

	d.Pattern, d.Signature, d.Rate, d.Keep = id, sig, 1, true
	var step uint64 // the rate (stepOf) when a systematic draw is due
	switch {
	case failed:
		d.Reason = ReasonError
	case c.exempt(r, sev):
		d.Reason = ReasonExempt
	case !striped && n <= c.firstN:
		d.Reason = ReasonFirstN
	default:
		rate, reason := s.rateOf(c, id, sev, sl, nanos)
		if open {
			s.anomalous.Add(1)
			sl.anomalous.Add(1)
			reason = ReasonAnomaly
			rate = s.valveRate(c, rate, sl, nanos)
		}
		d.Rate, d.Reason = rate, reason
		switch {
		case rate >= 1:
		case !(rate > 0):
			d.Keep = false
		case r.TraceID != [16]byte{}:
			d.Keep = traceDraw(rate, &r.TraceID)
		default:
			step = stepOf(rate)
			d.Keep = step == stepOne
			if d.Keep || step == 0 {
				step = 0 // no draw
			}
		}
	}
	// A striped record is counted, with its reason, in the stripe word
	// (one atomic), unless the word holds counts of another reason; then,
	// like the first N, it is counted apart (see stripeCount).
	counted := false
	switch {
	case striped && step != 0:
		var x uint64
		d.Keep, x, counted = st.draw(step, true, d.Reason, x0, salt)
		if counted {
			tab.fold(sl, st, x)
		}
	case striped:
		inc := uint64(1)
		if d.Keep {
			inc |= keptOne
		}
		var x uint64
		if x, counted = st.countAs(inc, d.Reason, x0, salt); counted {
			tab.fold(sl, st, x)
		}
	default:
		// Counted in the slot (hit); a draw uses the stripe's accumulator.
		if step != 0 {
			d.Keep, _, _ = st.draw(step, false, d.Reason, x0, salt)
		}
	}
	if !counted {
		if striped {
			sl.prevSeen.Add(1) // the first N are counted by hit
		}
		if d.Keep {
			sl.kept.Add(1)
		}
		s.reasons.add(h, d.Reason, d.Keep)
	}
	if d.Keep && 1<<d.Reason&budgeted != 0 {
		s.kept(c, sl, d, nanos, h)
	}
	if c.dryRun {
		d.DryRun = true
		d.WouldDrop = !d.Keep
		d.Keep, d.Rate = true, 1
	}
	if s.hook != nil {
		s.callHook(r, d)
	}
}

// budgeted is the set of reasons whose kept records count against the
// budget (see Sampler.kept).
const budgeted = 1<<ReasonFirstN | 1<<ReasonAnomaly | 1<<ReasonAdaptive

// rateOf returns the rate of rules 5-8 and its reason.
func (s *Sampler) rateOf(c *compiled, sig signature.Sig, sev int, sl *slot, nanos int64) (float64, Reason) {
	if c.patterns != nil {
		if r, ok := c.patterns[sig]; ok {
			return r, ReasonPattern
		}
	}
	if c.sevSet[sev] {
		return c.sev[sev], ReasonSeverity
	}
	if c.target > 0 {
		if bits := sl.rate.Load(); bits != 0 {
			return math.Float64frombits(bits), ReasonAdaptive
		}
		return s.estimate(c, sl, nanos), ReasonAdaptive
	}
	return c.global, ReasonGlobal
}

// traceDraw reports whether a record of the trace traceID is kept at rate,
// 0 < rate < 1: the rule of OpenTelemetry's TraceIDRatioBased sampler.
func traceDraw(rate float64, traceID *[16]byte) bool {
	x := binary.BigEndian.Uint64(traceID[8:16]) >> 1
	return x < uint64(rate*(1<<63))
}

// splitmix64 is the SplitMix64 output function, [fnv.Mix].
func splitmix64(x uint64) uint64 { return fnv.Mix(x) }

// observe calls the valve, turning a panic into an error.
func (s *Sampler) observe(sig signature.Sig, r *Record, t time.Time) (open, failed bool) {
	defer func() {
		if p := recover(); p != nil {
			open, failed = false, true
			s.fail(panicError("valve", p))
		}
	}()
	return s.valve.Observe(sig, r.Message, r.Level, t), false
}

// fail counts err and passes it to the error handler, if any.
func (s *Sampler) fail(err error) {
	s.errs.Add(1)
	if h := s.onError; h != nil {
		func() {
			defer func() { _ = recover() }()
			h(err)
		}()
	}
}

// window is the current window: its index (Unix nanoseconds / length) and
// length. It is replaced, never changed.
type window struct {
	idx, start, length int64
}

// windowOf returns the window index of nanos under c, rolling the current
// window forward when nanos is past it, and restarting the count when the
// policy's window length changed.
func (s *Sampler) windowOf(nanos int64, c *compiled) int64 {
	cw := s.win.Load()
	if cw.length == c.windowNanos && nanos >= cw.start && nanos-cw.start < cw.length {
		if nanos >= s.bud.tickEnd.Load() {
			s.tickAt(nanos, cw, c)
		}
		return cw.idx
	}
	w := nanos / c.windowNanos
	if nanos < 0 && nanos%c.windowNanos != 0 {
		w--
	}
	if cw.length == c.windowNanos && w <= cw.idx {
		return cw.idx
	}
	nw := &window{idx: w, start: w * c.windowNanos, length: c.windowNanos}
	if s.win.CompareAndSwap(cw, nw) {
		s.roll(cw, nw, c)
	}
	return w
}

// Shutdown stops the summary goroutine, if any, and waits for it to finish
// delivering the summary in progress, or for ctx to be done, in which case
// it returns ctx.Err(). Decide, SetPolicy and Stats keep working after
// Shutdown; no more summaries are delivered. Shutdown is idempotent and can
// be called concurrently.
func (s *Sampler) Shutdown(ctx context.Context) error {
	if s.done == nil {
		return nil
	}
	s.shutOnce.Do(func() { close(s.done) })
	select {
	case <-s.finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Errors passed to the error handler.
var (
	errDroppedSummary = errors.New("sampler: summary dropped: previous summary still being delivered")
	errNilRecord      = errors.New("sampler: Decide called with a nil record")
)

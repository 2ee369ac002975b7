package slogx

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
	"github.com/srex-dev/lipservice-go/sampler"
)

const (
	// maxAttrs is the number of attributes the sampler sees per record. slog
	// sized its inline array at 5 after finding that 95% of calls pass 5 or
	// fewer attributes (https://go.dev/blog/slog#performance); 16 leaves room
	// for WithAttrs context on top of that while keeping the scratch array
	// at 512 bytes.
	maxAttrs = 16
	// maxDepth bounds the nesting of group values that is flattened.
	maxDepth = 8
)

// Handler is a [slog.Handler] middleware that asks a [sampler.Sampler] about
// each record and forwards only the kept ones to the next handler.
//
// A Handler is safe for concurrent use. It is immutable after [New], except
// for its cache of next handlers that carry the rate attribute (see
// [Handler.Handle]), which is made of atomic pointers. The handlers derived
// from it with [Handler.WithAttrs] and [Handler.WithGroup] share its sampler
// (so they share per-pattern state, counters and policy) and its options.
// The zero Handler is not usable; use [New].
type Handler struct {
	next slog.Handler
	s    *sampler.Sampler
	c    *config
	// attrs are the WithAttrs attributes with group-qualified keys,
	// precomputed once (as slog's commonHandler pre-formats them). The slice
	// is never modified after construction; derived handlers copy it.
	attrs []sampler.Attr
	// prefix is the open WithGroup groups, each followed by a dot ("a.b.").
	prefix string
	// preformat is set when next is one of slog's built-in handlers, which
	// format WithAttrs attributes once: the rate attribute then goes
	// through stamps (see stamped).
	preformat bool
	stamps    [stampSlots]atomic.Pointer[stampedHandler]
}

// stampedHandler is next.WithAttrs(rate key = w).
type stampedHandler struct {
	w float64
	h slog.Handler
}

const (
	// stampSlots is the number of weights per Handler that have a
	// derived handler (see stamped).
	stampSlots    = 8
	stampSlotBits = 3 // log2(stampSlots)
	// stampAdmit is the inverse of the probability that a weight without
	// a derived handler gets one (a power of 2).
	stampAdmit = 16
)

var _ slog.Handler = (*Handler)(nil)

// New returns a Handler that samples records with s and forwards the kept
// ones to next.
//
// New panics if next is nil, as [slog.New] does. A nil s is a pass-through:
// every record is forwarded unchanged, which lets a configuration disable
// sampling without rewiring the logger.
func New(next slog.Handler, s *sampler.Sampler, opts ...Option) *Handler {
	if next == nil {
		panic("slogx: nil next handler")
	}
	c := &config{rateKey: DefaultRateKey}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	if s != nil {
		c.valueKeys = s.ValueKeys()
	}
	return &Handler{next: next, s: s, c: c, preformat: builtin(next)}
}

// builtin reports whether h is one of slog's built-in handlers.
func builtin(h slog.Handler) bool {
	switch h.(type) {
	case *slog.JSONHandler, *slog.TextHandler:
		return true
	}
	return false
}

// derive returns a Handler like h with next, attrs and prefix (and no
// derived handlers: they are next's).
func (h *Handler) derive(next slog.Handler, attrs []sampler.Attr, prefix string) *Handler {
	return &Handler{next: next, s: h.s, c: h.c, attrs: attrs, prefix: prefix, preformat: builtin(next)}
}

// Enabled reports whether the next handler handles records at level l. The
// sampler is not consulted: it needs the message, which slog has not built
// yet when it calls Enabled.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle decides whether to keep r and, if so, forwards it to the next
// handler, returning that handler's error unchanged. A dropped record returns
// nil. r's attributes are translated for the sampler only when it reads
// them (see [sampler.Sampler.NeedsAttrs]).
//
// If the decision's rate is below 1 and the rate key is not empty (see
// [WithRateKey]), the forwarded record carries one more attribute, the weight
// 1/rate, inside the open groups like any record attribute. r itself, and
// any copy of it the caller holds, is not modified. The attribute is added
// to the record, after r's own attributes, except when the next handler is
// one of slog's built-in handlers ([slog.JSONHandler], [slog.TextHandler]):
// then, for the weights most used (up to 8 per Handler), the record goes to
// a handler derived from next with the attribute (next.WithAttrs), which
// formats it once instead of per record, so it comes before r's
// attributes in the output. That saves most of the attribute's cost: the
// JSON handler formats a float64 record attribute with encoding/json, which
// takes about as long as the rest of a short record, and allocates.
//
// The decision is complete before the next handler is called and no lock is
// held across that call, so a slow or panicking next handler cannot corrupt
// the sampler's state; a panic of the next handler propagates to the caller,
// as with any slog handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if h.s == nil {
		return h.next.Handle(ctx, r)
	}
	keep, rate := h.decide(ctx, &r)
	if !keep {
		return nil
	}
	if rate < 1 && rate > 0 && h.c.rateKey != "" {
		return h.handleWeighted(ctx, &r, 1/rate)
	}
	return h.next.Handle(ctx, r)
}

// handleWeighted forwards *r, which Handle owns, with the weight attribute
// of value w. It is apart from Handle so that the common paths (dropped,
// kept at rate 1) do not pay for its frame.
//
//go:noinline
func (h *Handler) handleWeighted(ctx context.Context, r *slog.Record, w float64) error {
	if h.preformat {
		if next := h.stamped(w); next != nil {
			return next.Handle(ctx, *r)
		}
	}
	if r.NumAttrs() >= 5 {
		// Past slog's inline array, AddAttrs appends to a backing array
		// that a caller's copy of r may share; Clone clips it first.
		*r = r.Clone()
	}
	r.AddAttrs(slog.Float64(h.c.rateKey, w))
	return h.next.Handle(ctx, *r)
}

// stamped returns next with the rate attribute of weight w, or nil when
// there is none yet. Each weight has one of stampSlots slots (by a hash of
// its bits); a weight whose slot holds another weight, or none, takes it on
// 1 in stampAdmit of its records, so a weight used once (a per-request
// logger, an adaptive rate about to change) seldom pays for a derived
// handler, and one in steady use gets its handler within a few dozen
// records; the record that takes the slot allocates the derived handler.
// Two weights that share a slot take it from each other at that rate.
func (h *Handler) stamped(w float64) slog.Handler {
	e := &h.stamps[math.Float64bits(w)*0x9e3779b97f4a7c15>>(64-stampSlotBits)]
	if p := e.Load(); p != nil && p.w == w {
		return p.h
	}
	if rand.Uint32()&(stampAdmit-1) != 0 {
		return nil
	}
	p := &stampedHandler{w: w, h: h.next.WithAttrs([]slog.Attr{slog.Float64(h.c.rateKey, w)})}
	e.Store(p)
	return p.h
}

// decide returns the sampler's decision on r: whether to keep it, and at
// what rate. It returns the two fields in registers rather than the whole
// Decision, takes the decision with DecideInto rather than Decide, and
// fills the sampler's Record field by field: a composite literal or a
// returned Decision is staged in a stack temporary by narrow stores and
// then block-copied by wide loads, which stall on store forwarding (the
// copy of the Decision cost about 6 ns per record, pprof -disasm on
// BenchmarkHandler/lipservice-10pct).
//
//go:noinline
func (h *Handler) decide(ctx context.Context, r *slog.Record) (keep bool, rate float64) {
	if h.s.NeedsAttrs() {
		return h.decideWithAttrs(ctx, r)
	}
	// The common case: the sampler reads no attributes, so none are
	// translated, and the Record stays on the stack (Decide retains
	// nothing it points to).
	var rec sampler.Record
	rec.Time = r.Time
	rec.Level = r.Level
	rec.Message = r.Message
	if h.c.traceID != nil {
		rec.TraceID = h.traceID(ctx)
	}
	var d sampler.Decision
	h.s.DecideInto(&rec, &d)
	if h.c.hook != nil {
		h.callHook(ctx, r, &d)
	}
	return d.Keep, d.Rate
}

// decideWithAttrs decides r with its attributes (and the handler's
// WithAttrs ones), for a sampler that reads them (see
// sampler.Sampler.NeedsAttrs).
func (h *Handler) decideWithAttrs(ctx context.Context, r *slog.Record) (keep bool, rate float64) {
	sc := scratchPool.Get().(*scratch)
	sc.reset(h.attrs, h.prefix, h.c.valueKeys)
	if sc.n < maxAttrs {
		r.Attrs(sc.add)
	}
	rec := &sc.rec
	rec.Time, rec.Level, rec.Message, rec.Attrs = r.Time, r.Level, r.Message, sc.attrs[:sc.n]
	rec.TraceID = [16]byte{}
	if h.c.traceID != nil {
		rec.TraceID = h.traceID(ctx)
	}
	var d sampler.Decision
	h.s.DecideInto(rec, &d)
	sc.release()
	if h.c.hook != nil {
		h.callHook(ctx, r, &d)
	}
	return d.Keep, d.Rate
}

// callHook calls the user's hook, turning a panic into a counted error.
//
//go:noinline
func (h *Handler) callHook(ctx context.Context, r *slog.Record, d *sampler.Decision) {
	defer func() {
		if p := recover(); p != nil {
			h.c.report(fmt.Errorf("slogx: hook panicked: %v", p))
		}
	}()
	h.c.hook(ctx, *r, *d)
}

// scratch is the per-call working memory of Handle: the sampler's view of
// one record. It comes from a pool rather than the stack because Decide
// passes the record's message to the anomaly valve, an interface, so escape
// analysis cannot prove that a Record's attribute array stays on the
// caller's stack. A scratch is used by one goroutine at a time.
type scratch struct {
	rec   sampler.Record
	n     int // attrs[:n] are filled
	attrs [maxAttrs]sampler.Attr
	pLen  int // keys[:pLen] is the WithGroup prefix
	keys  keybuf.Buffer
	// vk are the sampler's value keys (sampler.WithValueKeys), whose
	// non-string values are written as text into vbuf[:vn].
	vk   []string
	vbuf [valueBufBytes]byte
	vn   int
	// add adds a record attribute and reports whether there is room for
	// more; it is made once per scratch so that passing it to
	// slog.Record.Attrs does not allocate a closure.
	add func(slog.Attr) bool
}

var scratchPool = sync.Pool{New: func() any { return newScratch() }}

func newScratch() *scratch {
	sc := new(scratch)
	// The fast path is written out here rather than in a method, so that
	// slog.Record.Attrs makes one call per attribute, not two (a method
	// value calls its method through a wrapper).
	sc.add = func(a slog.Attr) bool {
		if k := a.Value.Kind(); k != slog.KindGroup && sc.pLen == 0 {
			// A plain attribute outside any group.
			if a.Key != "" {
				sc.attrs[sc.n] = sampler.Attr{Key: a.Key}
				if k == slog.KindString {
					sc.attrs[sc.n].Value = a.Value.String()
				} else if sc.vk != nil {
					sc.attrs[sc.n].Value = sc.valueText(a.Key, a.Value)
				}
				sc.n++
			}
		} else {
			sc.addQualified(0, sc.pLen, a, 0)
		}
		return sc.n < maxAttrs
	}
	return sc
}

// reset prepares sc for a record of a handler with WithAttrs attributes pre
// (already qualified), WithGroup prefix and the sampler's value keys vk. A
// prefix that does not fit in keys is dropped: keys are then passed
// unqualified.
func (sc *scratch) reset(pre []sampler.Attr, prefix string, vk []string) {
	sc.n = copy(sc.attrs[:], pre)
	sc.pLen = sc.keys.Reset(prefix)
	sc.vk, sc.vn = vk, 0
}

// valueBufBytes is the room for the text of non-string values of value
// keys per record: 16 numbers of up to 24 bytes.
const valueBufBytes = 384

// valueText returns the text of v, an attribute value that is not a
// string, when key is one of the sampler's value keys (see
// sampler.WithValueKeys): an integer in decimal, a float64 as strconv's
// 'g' format with the shortest precision, a bool as true or false, as
// slog's TextHandler writes them (and its JSONHandler, but for floats in
// exponent notation). Other kinds (durations, times, any) have no text:
// "". The text is written into sc.vbuf, without allocating.
func (sc *scratch) valueText(key string, v slog.Value) string {
	if !isValueKey(sc.vk, key) || sc.vn+24 > len(sc.vbuf) {
		return ""
	}
	b := sc.vbuf[sc.vn:sc.vn:len(sc.vbuf)]
	switch v.Kind() {
	case slog.KindInt64:
		b = strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		b = strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		b = strconv.AppendFloat(b, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		b = strconv.AppendBool(b, v.Bool())
	default:
		return ""
	}
	sc.vn += len(b)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// isValueKey reports whether key is one of vk, ignoring ASCII case, as
// the sampler compares them.
func isValueKey(vk []string, key string) bool {
	for _, v := range vk {
		if len(v) == len(key) && strings.EqualFold(v, key) {
			return true
		}
	}
	return false
}

// release clears what sc points to, so that the pool does not keep record
// data alive, and returns sc to the pool.
func (sc *scratch) release() {
	sc.rec.Message, sc.rec.Attrs = "", nil
	clear(sc.attrs[:sc.n])
	scratchPool.Put(sc)
}

// addQualified adds a with its key qualified by the prefix keys[pOff:pOff+pLen],
// flattening group values. Empty keys (and empty groups) are skipped, as the
// built-in handlers skip them; a group with an empty key is inlined. A key
// that does not fit in keys is left less qualified.
func (sc *scratch) addQualified(pOff, pLen int, a slog.Attr, depth int) {
	if sc.n == maxAttrs {
		return
	}
	v := a.Value
	if v.Kind() == slog.KindGroup {
		if depth >= maxDepth {
			return
		}
		if a.Key != "" {
			if off, ok := sc.keys.Join(pOff, pLen, a.Key, true); ok {
				pOff, pLen = off, pLen+len(a.Key)+1
			}
		}
		for _, g := range v.Group() {
			sc.addQualified(pOff, pLen, g, depth+1)
		}
		return
	}
	if a.Key == "" {
		return
	}
	key := a.Key
	if pLen > 0 {
		if off, ok := sc.keys.Join(pOff, pLen, a.Key, false); ok {
			// keys is a fixed array that is not reused before Decide
			// returns, so these bytes stay put during Decide; the sampler
			// retains nothing a Record points to.
			key = sc.keys.String(off, pLen+len(a.Key))
		}
	}
	var val string
	if v.Kind() == slog.KindString {
		val = v.String()
	} else if sc.vk != nil {
		val = sc.valueText(key, v)
	}
	sc.attrs[sc.n] = sampler.Attr{Key: key, Value: val}
	sc.n++
}

// traceID calls the user's extractor, turning a panic into a counted error.
func (h *Handler) traceID(ctx context.Context) (id [16]byte) {
	defer func() {
		if p := recover(); p != nil {
			id = [16]byte{}
			h.c.report(fmt.Errorf("slogx: trace ID extractor panicked: %v", p))
		}
	}()
	return h.c.traceID(ctx)
}

// report counts err and passes it to the error handler, if any.
func (c *config) report(err error) {
	c.errors.Add(1)
	if c.onError == nil {
		return
	}
	defer func() { _ = recover() }()
	c.onError(err)
}

// Errors returns the number of internal errors the handler, and every
// handler derived from it, has met since [New] (see [WithErrorHandler]).
// Errors of the next handler are not counted.
func (h *Handler) Errors() uint64 { return h.c.errors.Load() }

// WithAttrs returns a Handler whose records carry attrs, sharing h's sampler.
// The keys (qualified by the open groups) and string values of attrs are
// computed once here, so later records do not pay for them again; LogValuer
// values are resolved here too.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := h.derive(h.next.WithAttrs(attrs), h.attrs, h.prefix)
	if h.s == nil || len(h.attrs) >= maxAttrs {
		return h2
	}
	sc := newScratch()
	sc.reset(nil, h.prefix, h.c.valueKeys)
	for _, a := range attrs {
		if !sc.add(slog.Attr{Key: a.Key, Value: a.Value.Resolve()}) {
			break
		}
	}
	n := min(sc.n, maxAttrs-len(h.attrs))
	h2.attrs = slices.Grow(slices.Clip(h.attrs), n)
	for _, a := range sc.attrs[:n] {
		// The qualified keys point into sc.keys, and the text of a value
		// key's number into sc.vbuf: copy them.
		v := a.Value
		if isValueKey(h.c.valueKeys, a.Key) {
			v = strings.Clone(v)
		}
		h2.attrs = append(h2.attrs, sampler.Attr{Key: strings.Clone(a.Key), Value: v})
	}
	return h2
}

// WithGroup returns a Handler that qualifies the keys of later attributes
// with name, sharing h's sampler. An empty name returns h, as slog requires.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.derive(h.next.WithGroup(name), h.attrs, h.prefix+name+".")
}

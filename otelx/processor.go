package otelx

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
	"github.com/srex-dev/lipservice-go/sampler"
)

const (
	// maxAttrs is the number of attributes the sampler sees per record; the
	// SDK itself stores 5 inline, a size slog chose after finding that 95%
	// of calls pass 5 or fewer (https://go.dev/blog/slog#performance).
	maxAttrs = 16
	// maxDepth bounds the nesting of map values that is flattened.
	maxDepth = 8
)

// Processor is an [sdklog.Processor] that asks a [sampler.Sampler] about each
// record and passes only the kept ones to the downstream processor it embeds.
// Enabled, Shutdown and ForceFlush pass through to the downstream processor.
//
// A Processor is safe for concurrent use; it is immutable after
// [NewProcessor] except for its shutdown flag. The zero Processor is not
// usable; use [NewProcessor].
type Processor struct {
	sdklog.Processor

	s       *sampler.Sampler
	rateKey string
	closed  atomic.Bool
}

var _ sdklog.Processor = (*Processor)(nil)

// NewProcessor returns a Processor that samples records with s before
// passing them to downstream.
//
// A nil downstream is replaced by a processor that does nothing (whose
// Enabled reports false), as contrib's minsev does. A nil s is a
// pass-through: every record is passed on unchanged.
func NewProcessor(downstream sdklog.Processor, s *sampler.Sampler, opts ...Option) *Processor {
	if downstream == nil {
		downstream = noopProcessor{}
	}
	c := config{rateKey: DefaultRateKey}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return &Processor{Processor: downstream, s: s, rateKey: c.rateKey}
}

// Enabled reports whether the downstream processor would process a record
// with param. The sampler is not consulted: it needs the message, which
// param does not carry, so the decision is left to OnEmit.
func (p *Processor) Enabled(ctx context.Context, param sdklog.EnabledParameters) bool {
	return p.Processor.Enabled(ctx, param)
}

// OnEmit decides whether to keep r and, if so, passes it to the downstream
// processor and returns that processor's error unchanged. A dropped record
// returns nil and does not reach the downstream processor.
//
// If the decision's rate is below 1 and the rate key is not empty (see
// [WithRateKey]), r gets the weight attribute before it is passed on; as the
// SDK allows, the change is visible to the processors registered after this
// one. OnEmit holds no lock while the downstream processor runs, so a slow
// or panicking downstream cannot corrupt the sampler's state. After Shutdown,
// OnEmit does nothing and returns nil.
func (p *Processor) OnEmit(ctx context.Context, r *sdklog.Record) error {
	if r == nil || p.closed.Load() {
		return nil
	}
	if p.s == nil {
		return p.Processor.OnEmit(ctx, r)
	}
	keep, rate := p.decide(r)
	if !keep {
		return nil
	}
	if rate < 1 && rate > 0 && p.rateKey != "" {
		r.AddAttributes(attribute.Float64(p.rateKey, 1/rate))
	}
	return p.Processor.OnEmit(ctx, r)
}

// decide returns the sampler's decision on r: whether to keep it, and at
// what rate. It returns the two fields in registers rather than the whole
// Decision, and fills the sampler's Record field by field, as slogx does: a
// composite literal or a copied Decision is staged in a stack temporary by
// narrow stores and then block-copied by wide loads, which stall on store
// forwarding.
//
//go:noinline
func (p *Processor) decide(r *sdklog.Record) (keep bool, rate float64) {
	t := r.Timestamp()
	if t.IsZero() {
		t = r.ObservedTimestamp()
	}
	if p.s.NeedsAttrs() {
		sc := scratchPool.Get().(*scratch)
		sc.n = 0
		sc.keys.Reset("")
		r.WalkAttributes(sc.add)
		rec := &sc.rec
		rec.Time, rec.Level, rec.Attrs, rec.TraceID = t, level(r.Severity()), sc.attrs[:sc.n], r.TraceID()
		rec.Message = message(r)
		var d sampler.Decision
		p.s.DecideInto(rec, &d)
		sc.release()
		return d.Keep, d.Rate
	}
	// The common case: the sampler reads no attributes, so none are
	// walked, and the Record stays on the stack (Decide retains nothing
	// it points to).
	var rec sampler.Record
	rec.Time = t
	rec.Level = level(r.Severity())
	rec.Message = message(r)
	rec.TraceID = r.TraceID()
	var d sampler.Decision
	p.s.DecideInto(&rec, &d)
	return d.Keep, d.Rate
}

// Shutdown marks p shut down and shuts the downstream processor down,
// returning its error. As the SDK's Processor contract asks, later calls to
// OnEmit, Shutdown and ForceFlush do nothing and return nil, so Shutdown is
// idempotent.
func (p *Processor) Shutdown(ctx context.Context) error {
	if p.closed.Swap(true) {
		return nil
	}
	return p.Processor.Shutdown(ctx)
}

// ForceFlush flushes the downstream processor and returns its error; after
// Shutdown it does nothing and returns nil.
func (p *Processor) ForceFlush(ctx context.Context) error {
	if p.closed.Load() {
		return nil
	}
	return p.Processor.ForceFlush(ctx)
}

// message returns r's body when it is a string, else "".
func message(r *sdklog.Record) string {
	if b := r.Body(); b.Type() == attribute.STRING {
		return b.AsString()
	}
	return ""
}

// level maps an OTel severity to the slog scale: N → slog.Level(N-9), with
// the unset severity treated as INFO.
func level(s otellog.Severity) slog.Level {
	if s == otellog.SeverityUndefined {
		return slog.LevelInfo
	}
	return slog.Level(int(s) - 9)
}

// scratch is the per-call working memory of OnEmit: the sampler's view of
// one record. It comes from a pool rather than the stack because Decide
// passes the record's message to the anomaly valve, an interface, so escape
// analysis cannot prove that a Record's attribute array stays on the
// caller's stack. A scratch is used by one goroutine at a time.
type scratch struct {
	rec   sampler.Record
	n     int // attrs[:n] are filled
	attrs [maxAttrs]sampler.Attr
	keys  keybuf.Buffer
	// add adds a record attribute and reports whether there is room for
	// more; it is made once per scratch so that passing it to
	// WalkAttributes does not allocate a closure.
	add func(attribute.KeyValue) bool
}

var scratchPool = sync.Pool{New: func() any { return newScratch() }}

func newScratch() *scratch {
	sc := new(scratch)
	// The fast path is written out here rather than in a method, so that
	// WalkAttributes makes one call per attribute, not two (a method value
	// calls its method through a wrapper).
	sc.add = func(kv attribute.KeyValue) bool {
		switch typ := kv.Value.Type(); {
		case kv.Key == "":
		case typ == attribute.MAP:
			sc.addQualified(0, 0, string(kv.Key), kv.Value, 0)
		default:
			// A plain attribute at the top level.
			sc.attrs[sc.n] = sampler.Attr{Key: string(kv.Key)}
			if typ == attribute.STRING {
				sc.attrs[sc.n].Value = kv.Value.AsString()
			}
			sc.n++
		}
		return sc.n < maxAttrs
	}
	return sc
}

// release clears what sc points to, so that the pool does not keep record
// data alive, and returns sc to the pool.
func (sc *scratch) release() {
	sc.rec.Message, sc.rec.Attrs = "", nil
	clear(sc.attrs[:sc.n])
	scratchPool.Put(sc)
}

// addQualified adds key=v with key qualified by the prefix
// keys[pOff:pOff+pLen], flattening map values. Empty keys and empty maps
// are skipped. A key that does not fit in keys is left less qualified.
func (sc *scratch) addQualified(pOff, pLen int, key string, v attribute.Value, depth int) {
	if sc.n == maxAttrs || key == "" {
		return
	}
	typ := v.Type()
	if typ == attribute.MAP {
		if depth >= maxDepth {
			return
		}
		if off, ok := sc.keys.Join(pOff, pLen, key, true); ok {
			pOff, pLen = off, pLen+len(key)+1
		}
		for _, kv := range v.AsMap() {
			sc.addQualified(pOff, pLen, string(kv.Key), kv.Value, depth+1)
		}
		return
	}
	if pLen > 0 {
		if off, ok := sc.keys.Join(pOff, pLen, key, false); ok {
			// keys is a fixed array that is not reused before Decide
			// returns, so these bytes stay put during Decide; the sampler
			// retains nothing a Record points to.
			key = sc.keys.String(off, pLen+len(key))
		}
	}
	sc.attrs[sc.n] = sampler.Attr{Key: key}
	if typ == attribute.STRING {
		sc.attrs[sc.n].Value = v.AsString()
	}
	sc.n++
}

// noopProcessor is the downstream of a Processor built with a nil one.
type noopProcessor struct{}

var _ sdklog.Processor = noopProcessor{}

func (noopProcessor) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (noopProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return false }
func (noopProcessor) Shutdown(context.Context) error                         { return nil }
func (noopProcessor) ForceFlush(context.Context) error                       { return nil }

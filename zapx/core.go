package zapx

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"sync/atomic"

	"go.uber.org/zap/zapcore"

	"github.com/srex-dev/lipservice-go/sampler"
)

const (
	// stampSlots is the number of weights per Core that have a derived
	// core with the weight field (see stamped).
	stampSlots    = 8
	stampSlotBits = 3 // log2(stampSlots)
	// stampAdmit is the inverse of the probability that a weight without a
	// derived core gets one (a power of 2).
	stampAdmit = 16
)

// Core is a [zapcore.Core] that asks a [sampler.Sampler] about each entry in
// Check and passes only the kept ones to the core it wraps.
//
// A Core is safe for concurrent use. The cores derived from it with
// [Core.With] share its sampler (so they share per-pattern state, counters
// and policy) and its options. The zero Core is not usable; use [NewCore].
type Core struct {
	next zapcore.Core
	s    *sampler.Sampler
	c    *config
	// attrs are the keys (and string values) of the With fields,
	// computed once by With. The slice is never modified after
	// construction; derived cores copy it.
	attrs  []sampler.Attr
	stamps [stampSlots]atomic.Pointer[stampedCore]
}

// stampedCore is next.With(rate key = w).
type stampedCore struct {
	w float64
	c zapcore.Core
}

var _ zapcore.Core = (*Core)(nil)

// NewCore returns a Core that samples entries with s and passes the kept
// ones to next.
//
// NewCore panics if next is nil, a programmer error caught at construction
// (as slog.New does). A nil s is a pass-through: every entry goes to next
// unchanged, which lets a configuration disable sampling without rewiring
// the logger.
func NewCore(next zapcore.Core, s *sampler.Sampler, opts ...Option) *Core {
	if next == nil {
		panic("zapx: nil next core")
	}
	c := &config{rateKey: DefaultRateKey}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return &Core{next: next, s: s, c: c}
}

// Enabled reports whether the wrapped core logs entries at level l. The
// sampler is not consulted: it needs the message.
func (c *Core) Enabled(l zapcore.Level) bool { return c.next.Enabled(l) }

// With returns a Core that adds fields to every entry, as the wrapped
// core's With does. The sampler sees the fields of every entry logged
// through the returned Core: their keys (which enter the pattern when the
// sampler folds keys, see [sampler.WithAttrKeys]) and their string values
// (for the policy's attribute exemptions); other values are not read.
func (c *Core) With(fields []zapcore.Field) zapcore.Core {
	attrs := make([]sampler.Attr, len(c.attrs), len(c.attrs)+len(fields))
	copy(attrs, c.attrs)
	for _, f := range fields {
		a := sampler.Attr{Key: f.Key}
		if f.Type == zapcore.StringType {
			a.Value = f.String
		}
		attrs = append(attrs, a)
	}
	return &Core{next: c.next.With(fields), s: c.s, c: c.c, attrs: attrs}
}

// Check decides whether to keep ent and, if so, lets the wrapped core (or
// a core derived from it that carries the weight field) add itself to ce.
// A dropped entry returns ce unchanged. The decision is complete before the
// wrapped core's Check is called and no lock is held across that call.
func (c *Core) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if !c.next.Enabled(ent.Level) {
		return ce
	}
	if c.s == nil {
		return c.next.Check(ent, ce)
	}
	var rec sampler.Record
	rec.Time = ent.Time
	rec.Level = Level(ent.Level)
	rec.Message = ent.Message
	rec.Attrs = c.attrs
	var d sampler.Decision
	c.s.DecideInto(&rec, &d)
	if !d.Keep {
		return ce
	}
	if d.Rate < 1 && d.Rate > 0 && c.c.rateKey != "" {
		return c.stamped(1/d.Rate).Check(ent, ce)
	}
	return c.next.Check(ent, ce)
}

// Write passes ent and fields to the wrapped core. zap calls it only for
// entries that Check kept, and only when the Core was added to the checked
// entry directly (never, since Check delegates to the wrapped core's
// Check); it exists to satisfy [zapcore.Core].
func (c *Core) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	return c.next.Write(ent, fields)
}

// Sync flushes the wrapped core.
func (c *Core) Sync() error { return c.next.Sync() }

// stamped returns the wrapped core with the weight field of value w. Each
// weight has one of stampSlots slots (by a hash of its bits); a weight whose
// slot holds another weight, or none, takes it on 1 in stampAdmit of its
// entries, so a weight used once seldom pays for a derived core and one in
// steady use gets its core within a few dozen entries. An entry whose weight
// has no slot pays for a derived core of its own.
func (c *Core) stamped(w float64) zapcore.Core {
	e := &c.stamps[math.Float64bits(w)*0x9e3779b97f4a7c15>>(64-stampSlotBits)]
	if p := e.Load(); p != nil && p.w == w {
		return p.c
	}
	p := &stampedCore{w: w, c: c.next.With([]zapcore.Field{{Key: c.c.rateKey, Type: zapcore.Float64Type, Integer: int64(math.Float64bits(w))}})}
	if rand.Uint32()&(stampAdmit-1) == 0 {
		e.Store(p)
	}
	return p.c
}

// Level maps a zap level to the slog scale the sampler uses: Debug → DEBUG,
// Info → INFO, Warn → WARN, Error → ERROR, DPanic, Panic and Fatal →
// ERROR+4 (the policy's CRITICAL); levels below Debug stay below DEBUG.
func Level(l zapcore.Level) slog.Level {
	switch {
	case l < zapcore.DebugLevel:
		return slog.LevelDebug - 4
	case l == zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	case l == zapcore.ErrorLevel:
		return slog.LevelError
	default:
		return slog.LevelError + 4
	}
}

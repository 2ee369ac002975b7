package slogx

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/sampler"
)

// DefaultRateKey is the attribute key under which [Handler] stamps the
// weight of a kept, sampled record unless [WithRateKey] says otherwise.
const DefaultRateKey = "sample_rate"

// Option configures a [Handler]. Options are applied in order by [New]; a
// later option overrides an earlier one of the same kind.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is shared, by pointer, by a Handler and every handler derived from
// it with WithAttrs or WithGroup. It is immutable after New except for the
// error counter.
type config struct {
	rateKey string
	traceID func(context.Context) [16]byte
	onError func(error)
	hook    Hook
	// valueKeys are the sampler's value keys (sampler.WithValueKeys),
	// whose number and bool values are passed to it as text.
	valueKeys []string
	errors    atomic.Uint64
}

// WithRateKey sets the key of the attribute that a kept record carries when
// its effective rate is below 1. The attribute's value is a float64 weight,
// 1/rate: a record kept at rate 0.1 carries sample_rate=10 and stands for 10
// records (the "1 in N" convention of Honeycomb and Zipkin), so a count is
// re-weighted by summing the attribute. Records kept at rate 1 carry no
// attribute.
//
// The default is [DefaultRateKey]. An empty key disables the attribute.
func WithRateKey(key string) Option {
	return optionFunc(func(c *config) { c.rateKey = key })
}

// WithTraceID sets the function that extracts the W3C trace ID of a record
// from the context passed to [Handler.Handle]; with a trace ID, the sampler
// keeps or drops all the records of a trace together. It is called once per
// record on the hot path, so it should be cheap and must not block. A panic in
// f is recovered and counted as an internal error (see [WithErrorHandler])
// and the record is then treated as having no trace ID.
//
// The default, and a nil f, is no extractor: every record has the zero trace
// ID. slogx does not import OpenTelemetry; with it, an extractor is
//
//	func(ctx context.Context) [16]byte { return trace.SpanContextFromContext(ctx).TraceID() }
func WithTraceID(f func(ctx context.Context) [16]byte) Option {
	return optionFunc(func(c *config) { c.traceID = f })
}

// WithErrorHandler sets a function that receives the handler's internal
// errors (a panicking [WithTraceID] extractor or [WithHook] hook). It is never
// called for errors of the wrapped handler, which [Handler.Handle] returns
// unchanged, and slogx never logs its own errors through the handler it
// wraps. f may be called concurrently; a panic in f is recovered.
//
// The default, and a nil f, counts the error (see [Handler.Errors]) and drops it.
func WithErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) { c.onError = f })
}

// Hook receives a record and the sampler's decision on it (see [WithHook]).
// r is the record given to [Handler.Handle]; as for any slog handler, its
// attributes may share memory with the caller's copy, so a Hook that
// retains r must retain r.Clone().
type Hook func(ctx context.Context, r slog.Record, d sampler.Decision)

// WithHook sets a function called for each record [Handler.Handle] decides,
// kept or dropped, with the record's context, the whole [slog.Record] and
// the [sampler.Decision], as slog-sampling's OnAccepted and OnDropped: to
// send dropped records to a cheaper sink, or count them by an attribute.
// Unlike sampler.WithHook, which sees the sampler's view of the record
// (whose attributes adapters skip when the sampler does not read them),
// it sees every attribute, and the context.
//
// It is called on the logging goroutine, after the decision and before the
// kept record is forwarded, with no lock held; it may be called
// concurrently, must be fast and must not log through this Handler (that
// would recurse). A panic in it is recovered and counted as an internal
// error (see [WithErrorHandler]); the record is then forwarded or dropped
// as decided. It is not called when the Handler has no sampler.
//
// The default, and a nil h, is no hook, which costs one branch per record.
func WithHook(h Hook) Option {
	return optionFunc(func(c *config) { c.hook = h })
}

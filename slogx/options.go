package slogx

import (
	"context"
	"sync/atomic"
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
	errors  atomic.Uint64
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
// errors (today, only a panicking [WithTraceID] extractor). It is never
// called for errors of the wrapped handler, which [Handler.Handle] returns
// unchanged, and slogx never logs its own errors through the handler it
// wraps. f may be called concurrently; a panic in f is recovered.
//
// The default, and a nil f, counts the error (see [Handler.Errors]) and drops it.
func WithErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) { c.onError = f })
}

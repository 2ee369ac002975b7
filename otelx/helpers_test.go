package otelx_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/trace"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newSampler returns a Sampler with policy p, shut down at the end of the test.
func newSampler(t testing.TB, p *policy.Policy, opts ...sampler.Option) *sampler.Sampler {
	t.Helper()
	s, err := sampler.New(append([]sampler.Option{sampler.WithPolicy(p)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s
}

// Trace IDs whose decision is known at any rate in (0, 1): the sampler keeps
// a record with a trace ID when its last 8 bytes, shifted right by one, are
// below rate·2^63.
var (
	keepID = trace.TraceID{0: 1}
	dropID = trace.TraceID{0: 1, 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 13: 0xff, 14: 0xff, 15: 0xff}
)

// withTrace returns ctx carrying a span context with trace ID id (the SDK's
// Logger copies it to the record).
func withTrace(ctx context.Context, id trace.TraceID) context.Context {
	if !id.IsValid() {
		return ctx
	}
	return trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: id, SpanID: trace.SpanID{7: 1}, TraceFlags: trace.FlagsSampled,
	}))
}

// fakeProcessor is a downstream processor that records its calls, in the
// style of contrib's minsev tests.
type fakeProcessor struct {
	mu         sync.Mutex
	enabled    bool
	err        error
	panics     bool
	records    []sdklog.Record
	enabledN   int
	shutdownN  int
	forceFlush int
}

func (p *fakeProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.enabledN++
	return p.enabled
}

func (p *fakeProcessor) OnEmit(_ context.Context, r *sdklog.Record) error {
	if p.panics {
		panic("downstream panic")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.records = append(p.records, r.Clone())
	return p.err
}

func (p *fakeProcessor) Shutdown(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shutdownN++
	return p.err
}

func (p *fakeProcessor) ForceFlush(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forceFlush++
	return p.err
}

func (p *fakeProcessor) got() []sdklog.Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sdklog.Record(nil), p.records...)
}

// emit sends one record with the given severity, body and attributes
// through a LoggerProvider whose only processor is proc.
func emit(t testing.TB, proc sdklog.Processor, ctx context.Context, sev otellog.Severity, body string, attrs ...attribute.KeyValue) {
	t.Helper()
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(proc))
	var r otellog.Record
	r.SetTimestamp(t0)
	r.SetSeverity(sev)
	r.SetBody(attribute.StringValue(body))
	r.AddAttributes(attrs...)
	lp.Logger("test").Emit(ctx, r)
}

// capture returns the SDK record that a LoggerProvider builds for the given
// severity, body and attributes, for calling a processor directly.
func capture(t testing.TB, ctx context.Context, sev otellog.Severity, body string, attrs ...attribute.KeyValue) sdklog.Record {
	t.Helper()
	var c fakeProcessor
	emit(t, &c, ctx, sev, body, attrs...)
	got := c.got()
	require.Len(t, got, 1)
	return got[0]
}

// attrsOf returns the attributes of r by key.
func attrsOf(r sdklog.Record) map[string]attribute.Value {
	m := map[string]attribute.Value{}
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		m[string(kv.Key)] = kv.Value
		return true
	})
	return m
}

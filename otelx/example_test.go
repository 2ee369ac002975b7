package otelx_test

import (
	"context"
	"fmt"
	"log/slog"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/trace"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// printExporter prints each record's severity, body and attributes.
type printExporter struct{}

func (printExporter) Export(_ context.Context, rs []sdklog.Record) error {
	for _, r := range rs {
		fmt.Print(r.SeverityText(), " ", r.Body().AsString())
		r.WalkAttributes(func(kv attribute.KeyValue) bool {
			fmt.Print(" ", kv.Key, "=", kv.Value.Emit())
			return true
		})
		fmt.Println()
	}
	return nil
}

func (printExporter) Shutdown(context.Context) error   { return nil }
func (printExporter) ForceFlush(context.Context) error { return nil }

// spanContext returns ctx inside a span of trace id.
func spanContext(ctx context.Context, id trace.TraceID) context.Context {
	return trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: id, SpanID: trace.SpanID{7: 1}, TraceFlags: trace.FlagsSampled,
	}))
}

// The processor wraps the one that would otherwise be registered. Here slog
// logs through the otelslog bridge; debug records are dropped, info records
// are kept for a quarter of the traces, with sample_rate=4, and errors are
// kept.
func Example() {
	ctx := context.Background()
	p := policy.KeepAll()
	p.SeverityRates = map[string]float64{policy.SeverityDebug: 0, policy.SeverityInfo: 0.25}
	s, err := sampler.New(sampler.WithPolicy(p))
	if err != nil {
		panic(err)
	}
	defer s.Shutdown(ctx)

	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(
		otelx.NewProcessor(sdklog.NewSimpleProcessor(printExporter{}), s)))
	defer lp.Shutdown(ctx)
	logger := otelslog.NewLogger("checkout", otelslog.WithLoggerProvider(lp))

	sampled := spanContext(ctx, trace.TraceID{0: 1, 15: 1})
	unsampled := spanContext(ctx, trace.TraceID{0: 1, 8: 0xf0})

	logger.Debug("cache hit", "key", "user:42")
	logger.InfoContext(sampled, "request served", "path", "/api/orders")
	logger.InfoContext(unsampled, "request served", "path", "/api/cart")
	logger.Log(ctx, slog.LevelError, "upstream timeout", "upstream", "payments")

	st := s.Stats()
	fmt.Printf("seen %d, kept %d, dropped %d\n", st.Seen, st.Kept, st.Dropped)
	// Output:
	// INFO request served path=/api/orders sample_rate=4
	// ERROR upstream timeout upstream=payments
	// seen 4, kept 2, dropped 2
}

package otelx_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
)

// discardExporter drops every record.
type discardExporter struct{}

func (discardExporter) Export(context.Context, []sdklog.Record) error { return nil }
func (discardExporter) Shutdown(context.Context) error                { return nil }
func (discardExporter) ForceFlush(context.Context) error              { return nil }

// benchRecords is a service's mix of SDK records, built once through a
// LoggerProvider (fixed time, constant messages, variables as attributes).
func benchRecords(b *testing.B) []sdklog.Record {
	ctx := context.Background()
	type spec struct {
		sev   otellog.Severity
		body  string
		attrs []attribute.KeyValue
	}
	specs := []spec{
		{otellog.SeverityInfo, "request served", []attribute.KeyValue{attribute.String("method", "GET"), attribute.String("path", "/api/v1/orders"), attribute.Int("status", 200), attribute.Int64("elapsed", 1234567)}},
		{otellog.SeverityInfo, "request served", []attribute.KeyValue{attribute.String("method", "POST"), attribute.String("path", "/api/v1/cart"), attribute.Int("status", 201), attribute.Int64("elapsed", 2345678)}},
		{otellog.SeverityDebug, "cache hit", []attribute.KeyValue{attribute.String("key", "user:48213:profile"), attribute.Int("bytes", 912)}},
		{otellog.SeverityDebug, "cache miss", []attribute.KeyValue{attribute.String("key", "user:77001:profile")}},
		{otellog.SeverityInfo, "db query", []attribute.KeyValue{attribute.String("table", "orders"), attribute.Int("rows", 17), attribute.Int64("elapsed", 845000)}},
		{otellog.SeverityWarn, "slow request", []attribute.KeyValue{attribute.String("path", "/api/v1/search"), attribute.Int64("elapsed", 1500000000)}},
		{otellog.SeverityError, "upstream timeout", []attribute.KeyValue{attribute.String("upstream", "payments"), attribute.String("err", "context deadline exceeded"), attribute.Int("attempt", 3)}},
	}
	recs := make([]sdklog.Record, len(specs))
	for i, s := range specs {
		recs[i] = capture(b, ctx, s.sev, s.body, s.attrs...)
	}
	return recs
}

// BenchmarkProcessor_OnEmit compares, on the same records, the SDK's
// SimpleProcessor over a discarding exporter alone ("bare") and behind
// otelx with a keep-all and a 10 % policy. Each iteration emits a fresh copy
// of a record, as the SDK does.
func BenchmarkProcessor_OnEmit(b *testing.B) {
	cases := []struct {
		name string
		wrap func(b *testing.B, down sdklog.Processor) sdklog.Processor
	}{
		{"bare", func(_ *testing.B, down sdklog.Processor) sdklog.Processor { return down }},
		{"lipservice-keepall", func(b *testing.B, down sdklog.Processor) sdklog.Processor {
			return otelx.NewProcessor(down, newSampler(b, policy.KeepAll()))
		}},
		{"lipservice-10pct", func(b *testing.B, down sdklog.Processor) sdklog.Processor {
			return otelx.NewProcessor(down, newSampler(b, policy.Uniform(0.1)))
		}},
	}
	recs := benchRecords(b)
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p := c.wrap(b, sdklog.NewSimpleProcessor(discardExporter{}))
			b.ReportAllocs()
			i := 0
			var r sdklog.Record
			for b.Loop() {
				r = recs[i]
				_ = p.OnEmit(ctx, &r)
				if i++; i == len(recs) {
					i = 0
				}
			}
		})
		b.Run(c.name+"-parallel", func(b *testing.B) {
			p := c.wrap(b, sdklog.NewSimpleProcessor(discardExporter{}))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(recs))
				var r sdklog.Record
				for pb.Next() {
					r = recs[i]
					_ = p.OnEmit(ctx, &r)
					if i++; i == len(recs) {
						i = 0
					}
				}
			})
		})
	}
}

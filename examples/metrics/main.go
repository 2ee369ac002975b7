// Command metrics shows the sampler's extension points working together on
// a slog service: a custom sampling key (per route), a per-decision hook
// (dropped records counted by level into an application metric), the
// sampler's own counters exported as OpenTelemetry metrics
// (sampler/samplermetrics), and one sampler in front of a fan-out to two
// handlers.
//
// Metrics are read with the SDK's ManualReader and printed, so the program
// needs no collector; a service would use a PeriodicReader with an OTLP
// exporter, or the OpenTelemetry Prometheus exporter
// (go.opentelemetry.io/otel/exporters/prometheus) as the reader to serve
// the same instruments on /metrics. The records carry simulated timestamps
// and the sampler is seeded, so the output is the same on every run.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/sampler/samplermetrics"
	"github.com/srex-dev/lipservice-go/signature"
	"github.com/srex-dev/lipservice-go/slogx"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

// byRoute is the sampling key: the message, and the value of the "route"
// attribute when there is one, so each route has its own first N and rate.
func byRoute(_ slog.Level, msg string, attrs []sampler.Attr) signature.Sig {
	k := signature.OfTemplate(msg)
	for _, a := range attrs {
		if a.Key == "route" {
			k = signature.WithKey(k, a.Value)
		}
	}
	return k
}

func run(out io.Writer) error {
	ctx := context.Background()
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer provider.Shutdown(ctx)
	meter := provider.Meter("github.com/srex-dev/lipservice-go/examples/metrics")

	// The hook adds to an application counter, by level. Its options are
	// built once: the hook runs on the logging goroutine.
	dropped, err := meter.Int64Counter("app.log.records.dropped", metric.WithUnit("{record}"))
	if err != nil {
		return err
	}
	levelOpts := map[slog.Level]metric.AddOption{}
	for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		levelOpts[l] = metric.WithAttributeSet(attribute.NewSet(attribute.String("level", l.String())))
	}
	hook := func(r sampler.Record, d sampler.Decision) {
		if !d.Keep {
			dropped.Add(ctx, 1, levelOpts[r.Level])
		}
	}

	s, err := sampler.New(
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.1), FirstN: new(5)}),
		sampler.WithKey(byRoute),
		sampler.WithHook(hook),
		sampler.WithSeed(1),
	)
	if err != nil {
		return err
	}
	defer s.Shutdown(ctx)
	reg, err := samplermetrics.Register(meter, s)
	if err != nil {
		return err
	}
	defer reg.Unregister()

	// One decision per record, then the fan-out: both branches get the
	// same kept records.
	var audit, console counting
	logger := slog.New(slogx.New(slog.NewMultiHandler(&audit, &console), s))
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	routes := []string{"/api/orders", "/api/cart", "/healthz"}
	for i := range 3000 {
		at := start.Add(time.Duration(i) * time.Millisecond) // one window
		route := routes[i%len(routes)]
		if route == "/healthz" && i%2 == 0 {
			continue
		}
		r := slog.NewRecord(at, slog.LevelInfo, "request served", 0)
		r.AddAttrs(slog.String("route", route), slog.Int("status", 200))
		_ = logger.Handler().Handle(ctx, r)
		if i%100 == 0 {
			r := slog.NewRecord(at, slog.LevelDebug, "cache refreshed", 0)
			_ = logger.Handler().Handle(ctx, r)
		}
	}
	fmt.Fprintf(out, "branches: audit got %d records, console got %d\n", audit.n, console.n)

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		return err
	}
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				continue
			}
			for _, p := range sum.DataPoints {
				if p.Value == 0 {
					continue
				}
				name := m.Name
				if a := p.Attributes.Encoded(attribute.DefaultEncoder()); a != "" {
					name += "{" + a + "}"
				}
				lines = append(lines, fmt.Sprintf("%-58s %d", name, p.Value))
			}
		}
	}
	slices.Sort(lines)
	fmt.Fprintln(out, strings.Join(lines, "\n"))
	return nil
}

// counting is a slog.Handler that counts the records it gets.
type counting struct{ n int }

func (c *counting) Enabled(context.Context, slog.Level) bool { return true }
func (c *counting) Handle(context.Context, slog.Record) error {
	c.n++
	return nil
}
func (c *counting) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *counting) WithGroup(string) slog.Handler      { return c }

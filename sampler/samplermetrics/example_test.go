package samplermetrics_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/sampler/samplermetrics"
)

// The sampler's counters read through the OpenTelemetry SDK. A ManualReader
// collects on demand; in a service, a PeriodicReader with an OTLP exporter,
// or the OpenTelemetry Prometheus exporter as the reader, takes its place.
func Example() {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(2)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer provider.Shutdown(context.Background())
	reg, err := samplermetrics.Register(provider.Meter("github.com/srex-dev/lipservice-go"), s)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Unregister()

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for i := range 10 {
		s.Decide(&sampler.Record{Time: at, Level: slog.LevelInfo, Message: fmt.Sprint("cache miss for key ", i)})
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		sum, ok := m.Data.(metricdata.Sum[int64])
		if !ok {
			continue
		}
		var lines []string // data points come in no particular order
		for _, p := range sum.DataPoints {
			line := m.Name
			if reason, ok := p.Attributes.Value(samplermetrics.ReasonKey); ok {
				line += `{reason="` + reason.AsString() + `"}`
			}
			lines = append(lines, fmt.Sprint(line, " ", p.Value, " ", m.Unit))
		}
		slices.Sort(lines)
		fmt.Println(strings.Join(lines, "\n"))
	}
	// Output:
	// lipservice.sampler.records.seen{reason="first_n"} 2 {record}
	// lipservice.sampler.records.seen{reason="global"} 8 {record}
	// lipservice.sampler.records.kept{reason="first_n"} 2 {record}
	// lipservice.sampler.records.kept{reason="global"} 0 {record}
	// lipservice.sampler.records.dropped{reason="first_n"} 0 {record}
	// lipservice.sampler.records.dropped{reason="global"} 8 {record}
	// lipservice.sampler.records.overflow 0 {record}
	// lipservice.sampler.records.anomalous 0 {record}
	// lipservice.sampler.errors 0 {error}
	// lipservice.sampler.anomalies.open 0 {anomaly}
	// lipservice.sampler.patterns 1 {pattern}
}

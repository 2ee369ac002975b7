package lipserviceprocessor_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestProcessor_concurrent runs batches of several services through one
// processor from several goroutines, as a collector's receivers do; it is
// meant for -race (service creation, the overflow sampler, the counters),
// and checks that every record is counted once, as kept or dropped.
func TestProcessor_concurrent(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := defaultConfig()
	cfg.Policy = uniform(0.3)
	cfg.MaxServices = 3
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, tel)
	services := []string{"a", "b", "c", "d", "e", ""}
	const workers, batches, perBatch = 4, 20, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range batches {
				svc := services[(w+i)%len(services)]
				ld := makeLogs([]string{svc, services[(w+i+1)%len(services)]}, []rec{
					{body: "GET /api/cart 200", severity: plog.SeverityNumberInfo},
					{body: "disk failure", severity: plog.SeverityNumberError},
				}, perBatch/2)
				assert.NoError(t, p.ConsumeLogs(context.Background(), ld))
			}
		})
	}
	wg.Wait()
	total := int64(workers * batches * 2 * perBatch)
	sum := func(name string) int64 {
		m, err := tel.GetMetric(name)
		require.NoError(t, err, name)
		var n int64
		for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
			n += dp.Value
		}
		return n
	}
	assert.Equal(t, total, sum("otelcol_processor_lipservice_records_seen"))
	kept := sum("otelcol_processor_lipservice_records_kept")
	assert.Equal(t, total, kept+sum("otelcol_processor_lipservice_records_dropped"))
	assert.Equal(t, int(kept), sink.LogRecordCount(), "the kept counter matches what arrived")
}

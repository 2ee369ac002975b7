package lipserviceprocessor_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestProcessor_allocsPerRecord pins the sampler path at 0 allocations per
// record: a batch of 1000 records costs the same allocations as a batch of
// 10 (the per-batch ones: processorhelper's bookkeeping and the RemoveIf
// closures). At keep-all nothing is removed or stamped, so the same batch
// can be passed again. Stamping the rate attribute on a sampled record
// allocates in pdata (the attribute slice grows); that is not counted here.
func TestProcessor_allocsPerRecord(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	for _, anomalyOn := range []bool{false, true} {
		cfg := defaultConfig()
		cfg.Anomaly = anomalyOn
		p := newProcessor(t, cfg, consumertest.NewNop(), nil)
		ctx := context.Background()
		small, large := benchLogsN(10), benchLogsN(1000)
		// Warm up: the service's sampler, the signature cache, the tables.
		require.NoError(t, p.ConsumeLogs(ctx, large))
		require.NoError(t, p.ConsumeLogs(ctx, small))
		allocs := func(ld plog.Logs) float64 {
			return testing.AllocsPerRun(50, func() {
				if err := p.ConsumeLogs(ctx, ld); err != nil {
					t.Fatal(err)
				}
			})
		}
		a10, a1000 := allocs(small), allocs(large)
		require.Equal(t, 1000, large.LogRecordCount(), "keep-all kept the batch whole")
		assert.Equal(t, a10, a1000, "anomaly=%v: allocations of a 1000-record batch vs a 10-record one", anomalyOn)
		t.Logf("anomaly=%v: %.0f allocs per batch of 10, %.0f per batch of 1000", anomalyOn, a10, a1000)
	}
}

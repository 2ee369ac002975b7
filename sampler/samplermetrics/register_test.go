package samplermetrics_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/sampler/samplermetrics"
	"github.com/srex-dev/lipservice-go/signature"
)

var t0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// openValve is a Valve open for every record "alert", reporting two open
// events.
type openValve struct{}

func (openValve) Observe(_ signature.Sig, msg string, _ slog.Level, _ time.Time) bool {
	return msg == "alert"
}

func (openValve) Snapshot() anomaly.Snapshot {
	return anomaly.Snapshot{Active: make([]anomaly.Event, 2)}
}

// collect returns the int64 sums collected by r, by metric name and then
// by the attribute set's encoding.
func collect(t *testing.T, r sdkmetric.Reader) map[string]map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.Collect(context.Background(), &rm))
	out := map[string]map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			require.True(t, ok, "%s is an int64 sum", m.Name)
			if m.Name == samplermetrics.AnomaliesOpenName || m.Name == samplermetrics.PatternsName {
				assert.False(t, sum.IsMonotonic, "%s goes up and down", m.Name)
			} else {
				assert.True(t, sum.IsMonotonic, "%s is a counter", m.Name)
			}
			assert.Equal(t, metricdata.CumulativeTemporality, sum.Temporality)
			out[m.Name] = map[string]int64{}
			for _, p := range sum.DataPoints {
				out[m.Name][p.Attributes.Encoded(attribute.DefaultEncoder())] = p.Value
			}
		}
	}
	return out
}

func newMeter(t *testing.T) (*sdkmetric.ManualReader, *sdkmetric.MeterProvider) {
	reader := sdkmetric.NewManualReader()
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { require.NoError(t, provider.Shutdown(context.Background())) })
	return reader, provider
}

func TestRegister(t *testing.T) {
	s, err := sampler.New(sampler.WithValve(openValve{}),
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithHook(func(sampler.Record, sampler.Decision) { panic("hook") }))
	require.NoError(t, err)
	reader, provider := newMeter(t)
	reg, err := samplermetrics.Register(provider.Meter("test"), s)
	require.NoError(t, err)

	for i := range 20 {
		s.Decide(&sampler.Record{Time: t0, Message: "request " + string(rune('0'+i%2))})
	}
	s.Decide(&sampler.Record{Time: t0, Message: "alert"})
	s.Decide(&sampler.Record{Time: t0, Message: "alert"})
	got := collect(t, reader)
	st := s.Stats()

	reason := func(r string) string { return "reason=" + r }
	tests := []struct {
		name, metric, attrs string
		want                int64
	}{
		// "request <*>": 1 first-N, 19 global (dropped); "alert": 1
		// first-N, 1 anomaly (kept).
		{"seen first_n", samplermetrics.SeenName, reason("first_n"), 2},
		{"seen global", samplermetrics.SeenName, reason("global"), 19},
		{"seen anomaly", samplermetrics.SeenName, reason("anomaly"), 1},
		{"kept first_n", samplermetrics.KeptName, reason("first_n"), 2},
		{"kept global", samplermetrics.KeptName, reason("global"), 0},
		{"kept anomaly", samplermetrics.KeptName, reason("anomaly"), 1},
		{"dropped global", samplermetrics.DroppedName, reason("global"), 19},
		{"dropped anomaly", samplermetrics.DroppedName, reason("anomaly"), 0},
		{"anomalous", samplermetrics.AnomalousName, "", 1},
		{"open anomalies", samplermetrics.AnomaliesOpenName, "", 2},
		{"errors: one panicking hook per record", samplermetrics.ErrorsName, "", 22},
		{"overflow", samplermetrics.OverflowName, "", 0},
		{"patterns", samplermetrics.PatternsName, "", 2},
	}
	for _, test := range tests {
		v, ok := got[test.metric][test.attrs]
		assert.True(t, ok, "%s: %s{%s} observed; got %v", test.name, test.metric, test.attrs, got[test.metric])
		assert.Equal(t, test.want, v, test.name)
	}
	// The metrics add up to the sampler's totals.
	var seen, kept, dropped int64
	for _, v := range got[samplermetrics.SeenName] {
		seen += v
	}
	for _, v := range got[samplermetrics.KeptName] {
		kept += v
	}
	for _, v := range got[samplermetrics.DroppedName] {
		dropped += v
	}
	assert.Equal(t, int64(st.Seen), seen)
	assert.Equal(t, int64(st.Kept), kept)
	assert.Equal(t, int64(st.Dropped), dropped)

	// After Unregister, nothing is observed.
	require.NoError(t, reg.Unregister())
	s.Decide(&sampler.Record{Time: t0, Message: "request z"})
	assert.Empty(t, collect(t, reader)[samplermetrics.SeenName])
}

// Two Samplers on one meter, told apart by their attributes.
func TestRegister_withAttributes(t *testing.T) {
	reader, provider := newMeter(t)
	m := provider.Meter("test")
	for _, name := range []string{"a", "b"} {
		s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()))
		require.NoError(t, err)
		_, err = samplermetrics.Register(m, s, samplermetrics.WithAttributes(attribute.String("sampler", name)))
		require.NoError(t, err)
		n := map[string]int{"a": 3, "b": 5}[name]
		for range n {
			s.Decide(&sampler.Record{Time: t0, Message: "m"})
		}
	}
	got := collect(t, reader)
	assert.Equal(t, map[string]int64{"reason=global,sampler=a": 3, "reason=global,sampler=b": 5},
		got[samplermetrics.SeenName])
	assert.Equal(t, map[string]int64{"sampler=a": 1, "sampler=b": 1}, got[samplermetrics.PatternsName])
}

func TestRegister_nilSampler(t *testing.T) {
	_, provider := newMeter(t)
	assert.PanicsWithValue(t, "samplermetrics: nil sampler", func() {
		_, _ = samplermetrics.Register(provider.Meter("test"), nil)
	})
}

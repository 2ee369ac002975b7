package lipserviceprocessor_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

// t0 is the fixed time of the generated records.
var t0 = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// rec describes one generated log record.
type rec struct {
	body     string
	severity plog.SeverityNumber
	attrs    map[string]string
}

// makeLogs returns logs with one resource per service (in order), each
// with one scope holding n records of every rec, spaced 1 ms apart.
func makeLogs(services []string, recs []rec, n int) plog.Logs {
	ld := plog.NewLogs()
	for _, svc := range services {
		rl := ld.ResourceLogs().AppendEmpty()
		if svc != "" {
			rl.Resource().Attributes().PutStr("service.name", svc)
		}
		lrs := rl.ScopeLogs().AppendEmpty().LogRecords()
		i := 0
		for range n {
			for _, r := range recs {
				lr := lrs.AppendEmpty()
				lr.Body().SetStr(r.body)
				lr.SetSeverityNumber(r.severity)
				lr.SetTimestamp(pcommon.NewTimestampFromTime(t0.Add(time.Duration(i) * time.Millisecond)))
				for k, v := range r.attrs {
					lr.Attributes().PutStr(k, v)
				}
				i++
			}
		}
	}
	return ld
}

// newProcessor creates the processor with cfg in front of next, with the
// telemetry settings of tel (no-op when nil), and starts it; it is shut
// down when the test ends.
func newProcessor(t testing.TB, cfg *lipserviceprocessor.Config, next consumer.Logs, tel *componenttest.Telemetry) processor.Logs {
	t.Helper()
	set := processortest.NewNopSettings(lipserviceprocessor.Type)
	if tel != nil {
		set.TelemetrySettings = tel.NewTelemetrySettings()
	}
	p, err := lipserviceprocessor.NewFactory().CreateLogs(context.Background(), set, cfg, next)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	return p
}

// defaultConfig returns the factory's default config.
func defaultConfig() *lipserviceprocessor.Config {
	return lipserviceprocessor.NewFactory().CreateDefaultConfig().(*lipserviceprocessor.Config)
}

// uniform returns an inline policy keeping rate of the records that no
// severity rule keeps, with first-N off.
func uniform(rate float64) map[string]any {
	return map[string]any{"global_rate": rate, "first_n": 0}
}

// rateOf returns the rate attribute of lr, or 0 when it has none.
func rateOf(lr plog.LogRecord, key string) float64 {
	v, ok := lr.Attributes().Get(key)
	if !ok {
		return 0
	}
	return v.Double()
}

// records returns every log record received by sink, in order.
func records(lds []plog.Logs) []plog.LogRecord {
	var out []plog.LogRecord
	for _, ld := range lds {
		for i := range ld.ResourceLogs().Len() {
			sls := ld.ResourceLogs().At(i).ScopeLogs()
			for j := range sls.Len() {
				lrs := sls.At(j).LogRecords()
				for k := range lrs.Len() {
					out = append(out, lrs.At(k))
				}
			}
		}
	}
	return out
}

var _ = strconv.Itoa
var _ component.Config = (*lipserviceprocessor.Config)(nil)

func pcommonTS(t time.Time) pcommon.Timestamp { return pcommon.NewTimestampFromTime(t) }

func itoa(n int) string { return strconv.Itoa(n) }

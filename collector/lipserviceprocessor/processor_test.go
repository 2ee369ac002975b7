package lipserviceprocessor_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

func TestProcessor_keepAllByDefault(t *testing.T) {
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, defaultConfig(), sink, nil)
	ld := makeLogs([]string{"checkout", ""}, []rec{
		{body: "GET /api/cart 200 in 12ms", severity: plog.SeverityNumberInfo},
		{body: "cache miss for key 42", severity: plog.SeverityNumberDebug},
	}, 50)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	got := records(sink.AllLogs())
	assert.Len(t, got, 200, "the default policy keeps everything")
	for _, lr := range got {
		_, ok := lr.Attributes().Get(lipserviceprocessor.DefaultRateAttribute)
		assert.False(t, ok, "a record kept at rate 1 carries no rate attribute")
	}
}

func TestProcessor_rate(t *testing.T) {
	tests := []struct {
		name    string
		rate    float64
		rateKey string
	}{
		{"10%", 0.1, "sample_rate"},
		{"50%", 0.5, "sample_rate"},
		{"25% custom key", 0.25, "weight"},
		{"10% no key", 0.1, ""},
	}
	const nInfo, nErr = 2000, 40
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			cfg := defaultConfig()
			cfg.Anomaly = false // the rates alone decide
			cfg.Policy = uniform(test.rate)
			cfg.RateAttribute = test.rateKey
			sink := new(consumertest.LogsSink)
			p := newProcessor(t, cfg, sink, nil)
			ld := makeLogs([]string{"checkout"}, []rec{{body: "GET /api/cart 200 in 12ms", severity: plog.SeverityNumberInfo}}, nInfo)
			lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
			for i := range nErr {
				lr := lrs.AppendEmpty()
				lr.Body().SetStr("payment declined for order 17")
				lr.SetSeverityNumber(plog.SeverityNumberError)
				lr.SetTimestamp(pcommonTS(t0.Add(time.Duration(i) * time.Second)))
			}
			require.NoError(t, p.ConsumeLogs(context.Background(), ld))

			var info, errs int
			for _, lr := range records(sink.AllLogs()) {
				switch lr.SeverityNumber() {
				case plog.SeverityNumberError:
					errs++
					assert.Zero(t, rateOf(lr, "sample_rate"), "ERROR records are kept at rate 1")
				default:
					info++
					if test.rateKey == "" {
						assert.Equal(t, 0, lr.Attributes().Len(), "an empty rate key adds no attribute")
					} else {
						assert.InDelta(t, 1/test.rate, rateOf(lr, test.rateKey), 1e-9, "weight of a sampled record")
					}
				}
			}
			assert.Equal(t, nErr, errs, "every ERROR record is kept")
			assert.InDelta(t, test.rate*nInfo, float64(info), 0.1*test.rate*nInfo, "kept INFO records")
		})
	}
}

func TestProcessor_messageAttribute(t *testing.T) {
	// first_n 1 and rate 0 keep exactly the first record of each pattern,
	// so the kept count is the number of distinct messages the sampler saw.
	msgs := []string{"user logged in", "cache miss for key", "payment declined by bank"}
	tests := []struct {
		name, attr string
		want       int
	}{
		{"body", "", 1},
		{"attribute", "event", len(msgs)},
		{"missing attribute", "nope", 1},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			cfg := defaultConfig()
			cfg.Anomaly = false
			cfg.Policy = map[string]any{"global_rate": 0, "first_n": 1}
			cfg.MessageAttribute = test.attr
			sink := new(consumertest.LogsSink)
			p := newProcessor(t, cfg, sink, nil)
			var recs []rec
			for _, m := range msgs {
				recs = append(recs, rec{body: "request handled", severity: plog.SeverityNumberInfo, attrs: map[string]string{"event": m}})
			}
			require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]string{"api"}, recs, 5)))
			assert.Len(t, records(sink.AllLogs()), test.want)
		})
	}
}

func TestProcessor_servicesCapped(t *testing.T) {
	// Every service logs the same message; with first_n 1 and rate 0 each
	// sampler keeps one record, so the kept count is the number of samplers.
	services := []string{"a", "b", "c", "d"}
	tests := []struct {
		max, want int
	}{
		{max: 4, want: 4},
		{max: 2, want: 3}, // a, b, and c+d sharing the overflow sampler
		{max: 1, want: 2},
	}
	for _, test := range tests {
		t.Run("max"+itoa(test.max), func(t *testing.T) {
			cfg := defaultConfig()
			cfg.Anomaly = false
			cfg.Policy = map[string]any{"global_rate": 0, "first_n": 1}
			cfg.MaxServices = test.max
			sink := new(consumertest.LogsSink)
			p := newProcessor(t, cfg, sink, nil)
			ld := makeLogs(services, []rec{{body: "tick", severity: plog.SeverityNumberInfo}}, 5)
			require.NoError(t, p.ConsumeLogs(context.Background(), ld))
			out := sink.AllLogs()
			require.Len(t, out, 1)
			assert.Equal(t, test.want, out[0].LogRecordCount())
			assert.Equal(t, test.want, out[0].ResourceLogs().Len(), "resources left empty are removed")
		})
	}
}

func TestProcessor_allDroppedSkipsDownstream(t *testing.T) {
	cfg := defaultConfig()
	cfg.Anomaly = false
	cfg.Policy = map[string]any{"global_rate": 0, "first_n": 0}
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, nil)
	require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]string{"a"}, []rec{{body: "x", severity: plog.SeverityNumberInfo}}, 10)))
	assert.Empty(t, sink.AllLogs(), "an empty batch is not passed on")
	// A batch with no records at all is passed on unchanged.
	require.NoError(t, p.ConsumeLogs(context.Background(), plog.NewLogs()))
	assert.Len(t, sink.AllLogs(), 1)
}

func TestProcessor_metrics(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	cfg := defaultConfig()
	cfg.Anomaly = false
	cfg.Policy = map[string]any{"global_rate": 0, "first_n": 3}
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, tel)
	ld := makeLogs([]string{"a"}, []rec{
		{body: "tick", severity: plog.SeverityNumberInfo},
		{body: "disk failure", severity: plog.SeverityNumberError},
	}, 10)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))

	sum := func(name string) map[string]int64 {
		m, err := tel.GetMetric(name)
		require.NoError(t, err, name)
		out := map[string]int64{}
		for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
			r, _ := dp.Attributes.Value("reason")
			out[r.AsString()] += dp.Value
		}
		return out
	}
	assert.Equal(t, map[string]int64{"": 20}, sum("otelcol_processor_lipservice_records_seen"))
	// The first 3 of each pattern by first_n (6), the other 7 errors by
	// severity; the other 7 ticks are dropped by the global rate.
	assert.Equal(t, map[string]int64{"first_n": 6, "severity": 7}, sum("otelcol_processor_lipservice_records_kept"))
	assert.Equal(t, map[string]int64{"global": 7}, sum("otelcol_processor_lipservice_records_dropped"))
}

func TestProcessor_serverSync(t *testing.T) {
	var mu sync.Mutex
	var reqs []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, r.Clone(context.Background()))
		mu.Unlock()
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"version": 3, "global_rate": 0, "first_n": 0}`))
	}))
	defer srv.Close()

	cfg := defaultConfig()
	cfg.Anomaly = false
	cfg.Server.Endpoint = srv.URL
	cfg.Server.TeamID = 7
	cfg.Server.APIKey = "lsk_test"
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, nil)
	send := func() int {
		sink.Reset()
		require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]string{"checkout"}, []rec{{body: "tick", severity: plog.SeverityNumberInfo}}, 10)))
		return sink.LogRecordCount()
	}
	// The first batch creates the service's sampler and client; the
	// server's policy (drop everything) is put in force by the client's
	// goroutine shortly after.
	send()
	require.Eventually(t, func() bool { return send() == 0 }, 10*time.Second, 10*time.Millisecond,
		"the server's policy is put in force")
	require.NoError(t, p.Shutdown(context.Background()))
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, reqs)
	r := reqs[0]
	assert.Equal(t, "/api/v1/policies/checkout", r.URL.Path)
	assert.Equal(t, "7", r.URL.Query().Get("team_id"))
	assert.Equal(t, "Bearer lsk_test", r.Header.Get("Authorization"))
}

func TestProcessor_shutdown(t *testing.T) {
	cfg := defaultConfig()
	processortest.VerifyShutdown(t, lipserviceprocessor.NewFactory(), cfg)
}

func TestProcessor_severityMapping(t *testing.T) {
	// DEBUG and INFO are dropped, WARNING kept; ERROR and CRITICAL are
	// kept by default. Severity N is slog level N-9 (as otelx), unset INFO.
	tests := []struct {
		sev  plog.SeverityNumber
		keep bool
	}{
		{plog.SeverityNumberUnspecified, false},
		{plog.SeverityNumberTrace, false},
		{plog.SeverityNumberDebug4, false},
		{plog.SeverityNumberInfo, false},
		{plog.SeverityNumberInfo4, false},
		{plog.SeverityNumberWarn, true},
		{plog.SeverityNumberWarn4, true},
		{plog.SeverityNumberError, true},
		{plog.SeverityNumberFatal4, true},
	}
	for _, test := range tests {
		t.Run(test.sev.String(), func(t *testing.T) {
			cfg := defaultConfig()
			cfg.Anomaly = false
			cfg.Policy = map[string]any{"first_n": 0, "severity_rates": map[string]any{"DEBUG": 0, "INFO": 0, "WARNING": 1}}
			sink := new(consumertest.LogsSink)
			p := newProcessor(t, cfg, sink, nil)
			require.NoError(t, p.ConsumeLogs(context.Background(), makeLogs([]string{"a"}, []rec{{body: "x", severity: test.sev}}, 3)))
			want := 0
			if test.keep {
				want = 3
			}
			assert.Equal(t, want, sink.LogRecordCount())
		})
	}
}

func TestProcessor_traceConsistent(t *testing.T) {
	cfg := defaultConfig()
	cfg.Anomaly = false
	cfg.Policy = uniform(0.2)
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, nil)
	const traces, perTrace = 200, 5
	ld := makeLogs([]string{"a"}, []rec{{body: "step done", severity: plog.SeverityNumberInfo}}, traces*perTrace)
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	rng := rand.New(rand.NewPCG(1, 2))
	var id [16]byte
	for i := range lrs.Len() {
		if i%perTrace == 0 {
			for j := range id {
				id[j] = byte(rng.Uint32())
			}
		}
		lrs.At(i).SetTraceID(id)
	}
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	kept := map[[16]byte]int{}
	for _, lr := range records(sink.AllLogs()) {
		kept[lr.TraceID()]++
	}
	for id, n := range kept {
		assert.Equal(t, perTrace, n, "trace %x is kept whole or not at all", id)
	}
	assert.InDelta(t, 0.2*traces, float64(len(kept)), 0.1*traces, "kept traces")
}

func TestProcessor_emptyResourcesKept(t *testing.T) {
	// A resource that arrives without records is passed on; one emptied by
	// sampling is removed.
	cfg := defaultConfig()
	cfg.Anomaly = false
	cfg.Policy = map[string]any{"global_rate": 0, "first_n": 0}
	sink := new(consumertest.LogsSink)
	p := newProcessor(t, cfg, sink, nil)
	ld := makeLogs([]string{"a"}, []rec{{body: "x", severity: plog.SeverityNumberInfo}}, 3)
	ld.ResourceLogs().AppendEmpty().Resource().Attributes().PutStr("service.name", "empty")
	keep := makeLogs([]string{"b"}, []rec{{body: "boom", severity: plog.SeverityNumberError}}, 1)
	keep.ResourceLogs().MoveAndAppendTo(ld.ResourceLogs())
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	out := sink.AllLogs()
	require.Len(t, out, 1)
	rls := out[0].ResourceLogs()
	require.Equal(t, 2, rls.Len())
	svc0, _ := rls.At(0).Resource().Attributes().Get("service.name")
	svc1, _ := rls.At(1).Resource().Attributes().Get("service.name")
	assert.Equal(t, "empty", svc0.Str())
	assert.Equal(t, "b", svc1.Str())
}

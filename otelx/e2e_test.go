package otelx_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
)

// memExporter is an in-memory sdklog.Exporter.
type memExporter struct {
	mu      sync.Mutex
	records []sdklog.Record
}

var _ sdklog.Exporter = (*memExporter)(nil)

func (e *memExporter) Export(_ context.Context, rs []sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range rs {
		e.records = append(e.records, rs[i].Clone())
	}
	return nil
}

func (e *memExporter) Shutdown(context.Context) error   { return nil }
func (e *memExporter) ForceFlush(context.Context) error { return nil }

// TestEndToEnd goes slog → otelslog bridge → LoggerProvider with the otelx
// processor → an in-memory exporter.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	pol := policy.KeepAll()
	pol.SeverityRates = map[string]float64{policy.SeverityDebug: 0, policy.SeverityInfo: 0.5}
	pol.Exempt = &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "req.id", Value: "vip"}}}
	s := newSampler(t, pol)

	var exp memExporter
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(otelx.NewProcessor(sdklog.NewSimpleProcessor(&exp), s)))
	logger := otelslog.NewLogger("checkout", otelslog.WithLoggerProvider(lp))

	logger.DebugContext(ctx, "cache hit", "key", "user:42")                                    // dropped: DEBUG rate 0
	logger.InfoContext(withTrace(ctx, keepID), "request served", "path", "/api/orders")        // kept at 0.5
	logger.InfoContext(withTrace(ctx, dropID), "request served", "path", "/api/cart")          // dropped at 0.5
	logger.WithGroup("req").InfoContext(withTrace(ctx, dropID), "request served", "id", "vip") // exempt
	logger.With("svc", "api").ErrorContext(ctx, "upstream timeout", "upstream", "payments")    // ERROR: 1.0
	require.NoError(t, lp.Shutdown(ctx))

	type got struct {
		body  string
		sev   otellog.Severity
		attrs map[string]attribute.Value
	}
	var gots []got
	for _, r := range exp.records {
		gots = append(gots, got{r.Body().AsString(), r.Severity(), attrsOf(r)})
	}
	want := []got{
		{"request served", otellog.SeverityInfo, map[string]attribute.Value{
			"path": attribute.StringValue("/api/orders"), "sample_rate": attribute.Float64Value(2),
		}},
		{"request served", otellog.SeverityInfo, map[string]attribute.Value{
			"req": attribute.MapValue(attribute.String("id", "vip")),
		}},
		{"upstream timeout", otellog.SeverityError, map[string]attribute.Value{
			"svc": attribute.StringValue("api"), "upstream": attribute.StringValue("payments"),
		}},
	}
	assert.Equal(t, want, gots)
	require.Len(t, exp.records, 3)
	assert.Equal(t, keepID, exp.records[0].TraceID(), "the record keeps its trace ID")

	st := s.Stats()
	assert.Equal(t, uint64(5), st.Seen)
	assert.Equal(t, uint64(3), st.Kept)
	assert.Equal(t, uint64(2), st.Dropped)
}

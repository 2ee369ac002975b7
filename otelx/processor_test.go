package otelx_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/trace"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
)

func TestNewProcessor_nilDownstream(t *testing.T) {
	p := otelx.NewProcessor(nil, newSampler(t, policy.KeepAll()))
	ctx := context.Background()
	assert.False(t, p.Enabled(ctx, sdklog.EnabledParameters{Severity: otellog.SeverityError}))
	r := capture(t, ctx, otellog.SeverityInfo, "m")
	assert.NoError(t, p.OnEmit(ctx, &r))
	assert.NoError(t, p.ForceFlush(ctx))
	assert.NoError(t, p.Shutdown(ctx))
	assert.NoError(t, p.OnEmit(ctx, nil), "a nil record is ignored")
}

func TestProcessor_OnEmit(t *testing.T) {
	dropDebug := policy.KeepAll()
	dropDebug.SeverityRates = map[string]float64{policy.SeverityDebug: 0, policy.SeverityInfo: 1}
	exemptGold := policy.Uniform(0)
	exemptGold.Exempt = &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "req.tier", Value: "gold"}}}

	tests := []struct {
		name     string
		policy   *policy.Policy
		trace    trace.TraceID
		sev      otellog.Severity
		attrs    []attribute.KeyValue
		wantKept bool
		wantRate float64 // 0 means no rate attribute
	}{
		{name: "keep-all keeps without a rate", policy: policy.KeepAll(), sev: otellog.SeverityInfo, wantKept: true},
		{name: "uniform 0 drops", policy: policy.Uniform(0), trace: keepID, sev: otellog.SeverityInfo},
		{name: "half, kept trace", policy: policy.Uniform(0.5), trace: keepID, sev: otellog.SeverityInfo, wantKept: true, wantRate: 2},
		{name: "half, dropped trace", policy: policy.Uniform(0.5), trace: dropID, sev: otellog.SeverityInfo},
		{
			name: "quarter, 7 attrs", policy: policy.Uniform(0.25), trace: keepID, sev: otellog.SeverityWarn, wantKept: true, wantRate: 4,
			attrs: []attribute.KeyValue{attribute.Int("a", 1), attribute.Int("b", 2), attribute.Int("c", 3), attribute.Int("d", 4), attribute.Int("e", 5), attribute.Int("f", 6), attribute.Int("g", 7)},
		},
		{name: "DEBUG (5) maps to slog debug", policy: dropDebug, sev: otellog.SeverityDebug},
		{name: "INFO (9) maps to slog info", policy: dropDebug, sev: otellog.SeverityInfo, wantKept: true},
		{name: "TRACE4 (4) is below debug", policy: dropDebug, sev: otellog.SeverityTrace4},
		{name: "unset severity is INFO", policy: dropDebug, sev: otellog.SeverityUndefined, wantKept: true},
		{
			name: "exempt via a map attribute", policy: exemptGold, sev: otellog.SeverityInfo, wantKept: true,
			attrs: []attribute.KeyValue{attribute.Map("req", attribute.String("tier", "gold"))},
		},
		{
			name: "exempt via a dotted key", policy: exemptGold, sev: otellog.SeverityInfo, wantKept: true,
			attrs: []attribute.KeyValue{attribute.String("req.tier", "gold")},
		},
		{
			name: "not exempt: other value", policy: exemptGold, sev: otellog.SeverityInfo,
			attrs: []attribute.KeyValue{attribute.Map("req", attribute.String("tier", "silver"))},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var down fakeProcessor
			p := otelx.NewProcessor(&down, newSampler(t, test.policy))
			emit(t, p, withTrace(context.Background(), test.trace), test.sev, "user logged in", test.attrs...)

			got := down.got()
			if !test.wantKept {
				assert.Empty(t, got, "record should be dropped")
				return
			}
			require.Len(t, got, 1, "record should be kept")
			a := attrsOf(got[0])
			if test.wantRate == 0 {
				assert.NotContains(t, a, otelx.DefaultRateKey)
				assert.Equal(t, len(test.attrs), got[0].AttributesLen())
				return
			}
			require.Contains(t, a, otelx.DefaultRateKey)
			assert.Equal(t, attribute.FLOAT64, a[otelx.DefaultRateKey].Type())
			assert.InDelta(t, test.wantRate, a[otelx.DefaultRateKey].AsFloat64(), 1e-12)
			assert.Equal(t, len(test.attrs)+1, got[0].AttributesLen())
		})
	}
}

func TestWithRateKey(t *testing.T) {
	tests := []struct {
		name    string
		opts    []otelx.Option
		wantKey string
	}{
		{name: "default", wantKey: "sample_rate"},
		{name: "custom", opts: []otelx.Option{otelx.WithRateKey("weight")}, wantKey: "weight"},
		{name: "empty disables", opts: []otelx.Option{otelx.WithRateKey("")}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var down fakeProcessor
			p := otelx.NewProcessor(&down, newSampler(t, policy.Uniform(0.1)), test.opts...)
			emit(t, p, withTrace(context.Background(), keepID), otellog.SeverityInfo, "m", attribute.String("k", "v"))
			got := down.got()
			require.Len(t, got, 1)
			a := attrsOf(got[0])
			if test.wantKey == "" {
				assert.Equal(t, map[string]attribute.Value{"k": attribute.StringValue("v")}, a)
				return
			}
			require.Contains(t, a, test.wantKey)
			assert.InDelta(t, 10, a[test.wantKey].AsFloat64(), 1e-9)
		})
	}
}

func TestProcessor_nilSamplerPassesThrough(t *testing.T) {
	var down fakeProcessor
	p := otelx.NewProcessor(&down, nil)
	for range 3 {
		emit(t, p, context.Background(), otellog.SeverityDebug, "m", attribute.String("k", "v"))
	}
	got := down.got()
	require.Len(t, got, 3)
	assert.Equal(t, map[string]attribute.Value{"k": attribute.StringValue("v")}, attrsOf(got[0]))
}

func TestProcessor_errorsPassThrough(t *testing.T) {
	ctx := context.Background()
	down := &fakeProcessor{err: assert.AnError}
	p := otelx.NewProcessor(down, newSampler(t, policy.KeepAll()))
	r := capture(t, ctx, otellog.SeverityInfo, "m")
	assert.Same(t, assert.AnError, p.OnEmit(ctx, &r))
	assert.Same(t, assert.AnError, p.ForceFlush(ctx))
	assert.Same(t, assert.AnError, p.Shutdown(ctx))
	assert.Equal(t, 1, down.forceFlush)
	assert.Equal(t, 1, down.shutdownN)
}

func TestProcessor_Enabled(t *testing.T) {
	ctx := context.Background()
	param := sdklog.EnabledParameters{Severity: otellog.SeverityDebug}
	for _, want := range []bool{false, true} {
		down := &fakeProcessor{enabled: want}
		p := otelx.NewProcessor(down, newSampler(t, policy.Uniform(0)))
		assert.Equal(t, want, p.Enabled(ctx, param), "Enabled must delegate")
		assert.Equal(t, 1, down.enabledN)
	}
}

func TestProcessor_afterShutdown(t *testing.T) {
	ctx := context.Background()
	var down fakeProcessor
	s := newSampler(t, policy.KeepAll())
	p := otelx.NewProcessor(&down, s)
	require.NoError(t, p.Shutdown(ctx))
	r := capture(t, ctx, otellog.SeverityInfo, "m")
	assert.NoError(t, p.OnEmit(ctx, &r))
	assert.Empty(t, down.got(), "OnEmit after Shutdown must do nothing")
	assert.Zero(t, s.Stats().Seen, "nor count")

	down.err = assert.AnError
	assert.NoError(t, p.Shutdown(ctx), "a second Shutdown is a no-op")
	assert.NoError(t, p.ForceFlush(ctx), "ForceFlush after Shutdown is a no-op")
	assert.Equal(t, 1, down.shutdownN)
	assert.Zero(t, down.forceFlush)
}

// A panicking downstream leaves the sampler consistent: the record was
// counted before the call, and later decisions are unaffected.
func TestProcessor_panickingDownstream(t *testing.T) {
	ctx := context.Background()
	pol := policy.Uniform(0)
	pol.FirstN = new(1)
	s := newSampler(t, pol)
	bad := otelx.NewProcessor(&fakeProcessor{panics: true}, s)
	var down fakeProcessor
	good := otelx.NewProcessor(&down, s)

	r := capture(t, ctx, otellog.SeverityInfo, "job done")
	assert.PanicsWithValue(t, "downstream panic", func() { _ = bad.OnEmit(ctx, &r) })
	r = capture(t, ctx, otellog.SeverityInfo, "job done")
	require.NoError(t, good.OnEmit(ctx, &r))

	assert.Empty(t, down.got(), "first-N was used by the record whose downstream panicked")
	st := s.Stats()
	assert.Equal(t, uint64(2), st.Seen)
	assert.Equal(t, uint64(1), st.Kept)
	assert.Equal(t, uint64(1), st.Dropped)
}

// TestProcessor_races emits from 16 goroutines while the policy is swapped;
// it is meant for -race.
func TestProcessor_races(t *testing.T) {
	s := newSampler(t, policy.KeepAll())
	var down fakeProcessor
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(otelx.NewProcessor(&down, s)))
	const goroutines, each = 16, 100
	stop := make(chan struct{})
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		pols := []*policy.Policy{policy.Uniform(0.1), policy.KeepAll(), policy.Uniform(0.5)}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			assert.NoError(t, s.SetPolicy(pols[i%len(pols)]))
		}
	}()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			l := lp.Logger("g")
			for i := range each {
				var r otellog.Record
				r.SetSeverity(otellog.SeverityInfo)
				r.SetBody(attribute.StringValue("request served"))
				r.AddAttributes(attribute.Int("goroutine", g), attribute.Int("i", i),
					attribute.Map("req", attribute.String("path", "/api")))
				l.Emit(context.Background(), r)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-swapped
	st := s.Stats()
	assert.Equal(t, uint64(goroutines*each), st.Seen)
	assert.Len(t, down.got(), int(st.Kept), "every kept record reaches the downstream")
}

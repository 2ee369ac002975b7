package lipserviceprocessor_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor/internal/localpipeline"
)

// TestE2E_OTLPHTTP runs a real collector pipeline in process (the OTLP
// receiver on a loopback port → the lipservice processor → a recording
// consumer) and feeds it with the OTel Go SDK's otlploghttp exporter.
func TestE2E_OTLPHTTP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := defaultConfig()
	cfg.Anomaly = false // the counts below are the policy's alone
	cfg.Policy = uniform(0.1)
	sink := new(consumertest.LogsSink)
	pl, err := localpipeline.Start(ctx, cfg, sink, nil)
	require.NoError(t, err)
	defer func() { require.NoError(t, pl.Shutdown(context.Background())) }()

	exp, err := otlploghttp.New(ctx, otlploghttp.WithEndpoint(pl.Endpoint), otlploghttp.WithInsecure())
	require.NoError(t, err)
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName("checkout")))
	require.NoError(t, err)
	lp := sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(sdklog.NewBatchProcessor(exp, sdklog.WithMaxQueueSize(4096))))
	logger := lp.Logger("e2e")

	const nInfo, nErr = 1000, 25
	for i := range nInfo + nErr {
		var r otellog.Record
		r.SetTimestamp(t0.Add(time.Duration(i) * 10 * time.Millisecond))
		if i%((nInfo+nErr)/nErr) == 0 && i/((nInfo+nErr)/nErr) < nErr {
			r.SetSeverity(otellog.SeverityError)
			r.SetBody(attribute.StringValue("payment declined for order 17"))
		} else {
			r.SetSeverity(otellog.SeverityInfo)
			r.SetBody(attribute.StringValue("GET /api/cart 200 in 12ms"))
		}
		logger.Emit(ctx, r)
	}
	// Shutdown flushes the batch processor; the receiver answers each
	// export after the pipeline consumed it, so the sink is complete.
	require.NoError(t, lp.Shutdown(ctx))

	var info, errs int
	for _, ld := range sink.AllLogs() {
		for i := range ld.ResourceLogs().Len() {
			v, ok := ld.ResourceLogs().At(i).Resource().Attributes().Get("service.name")
			require.True(t, ok)
			assert.Equal(t, "checkout", v.Str())
		}
	}
	for _, lr := range records(sink.AllLogs()) {
		switch lr.SeverityNumber() {
		case plog.SeverityNumberError:
			errs++
			assert.Zero(t, rateOf(lr, "sample_rate"), "ERROR kept at rate 1")
		case plog.SeverityNumberInfo:
			info++
			assert.InDelta(t, 10, rateOf(lr, "sample_rate"), 1e-9, "a kept INFO record stands for 10")
		default:
			t.Errorf("unexpected severity %v", lr.SeverityNumber())
		}
	}
	assert.Equal(t, nErr, errs, "every ERROR record arrives")
	assert.InDelta(t, 0.1*nInfo, float64(info), 0.02*nInfo, "about 10 %% of the INFO records arrive")
	t.Logf("sent %d INFO + %d ERROR over OTLP/HTTP; received %d INFO + %d ERROR", nInfo, nErr, info, errs)
}

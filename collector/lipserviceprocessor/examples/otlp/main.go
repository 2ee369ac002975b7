// Command otlp shows LipService sampling in an OpenTelemetry Collector,
// end to end and in one process: it starts a collector logs pipeline on a
// loopback port (the OTLP receiver → the lipservice processor → a
// recording consumer standing in for an exporter to PostHog, Loki or any
// OTLP backend), then two services log through the OTel Go SDK, whose
// otlploghttp exporter sends their records over OTLP/HTTP exactly as it
// would to a deployed collector. It prints what the collector's exporter
// received, per service and severity, with the totals estimated from the
// sample_rate weights, and exits.
//
// The processor's config is the one in testdata/config.yaml without the
// server: a static policy keeping 1 in 10 records (ERROR always kept, the
// first 10 records of each pattern per 10 s window kept), and the anomaly
// valve on. Records carry simulated timestamps, so a minute of traffic is
// sent in well under a second; the workload comes from a fixed seed, the
// sampler's draws do not, so the last digits vary between runs.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor/internal/localpipeline"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "otlp:", err)
		os.Exit(1)
	}
}

const (
	perSecond = 200 // records per second per service
	duration  = time.Minute
)

// event is one kind of record in the workload.
type event struct {
	sev    otellog.Severity
	msg    string
	weight int
}

var events = []event{
	{otellog.SeverityInfo, "GET /api/cart 200 in %dms", 500},
	{otellog.SeverityDebug, "cache hit for key user:%d", 300},
	{otellog.SeverityDebug, "cache miss for key user:%d", 60},
	{otellog.SeverityInfo, "db query on orders returned %d rows", 120},
	{otellog.SeverityWarn, "slow request to /api/search took %dms", 8},
	{otellog.SeverityError, "upstream payments timed out after %dms", 3},
}

func run(ctx context.Context, out io.Writer) (err error) {
	cfg := lipserviceprocessor.NewFactory().CreateDefaultConfig().(*lipserviceprocessor.Config)
	cfg.Policy = map[string]any{"global_rate": 0.1}
	rec := newRecorder()
	pl, err := localpipeline.Start(ctx, cfg, rec, nil)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pl.Shutdown(context.Background())) }()
	fmt.Fprintf(out, "collector pipeline: otlp receiver on http://%s/v1/logs → lipservice → recorder\n", pl.Endpoint)

	sent := map[key]int{}
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for i, svc := range []string{"checkout", "search"} {
		n, err := logService(ctx, pl.Endpoint, svc, start, rand.New(rand.NewPCG(uint64(i), 7)))
		if err != nil {
			return err
		}
		for k, v := range n {
			sent[k] += v
		}
	}

	fmt.Fprintf(out, "\n%d s of traffic per service at %d records/s, sent over OTLP/HTTP by the SDK's otlploghttp exporter:\n\n", int(duration.Seconds()), perSecond)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "service\tseverity\tsent\treceived\tkept\testimated (Σ sample_rate)\t")
	keys := make([]key, 0, len(sent))
	for k := range sent {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.service != b.service {
			if a.service < b.service {
				return -1
			}
			return 1
		}
		return int(a.sev) - int(b.sev)
	})
	var tSent, tGot int
	var tEst float64
	for _, k := range keys {
		got, est := rec.count[k], rec.estimate[k]
		tSent, tGot, tEst = tSent+sent[k], tGot+got, tEst+est
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f %%\t%.0f\t\n", k.service, k.sev, sent[k], got, 100*float64(got)/float64(sent[k]), est)
	}
	fmt.Fprintf(tw, "all\t\t%d\t%d\t%.1f %%\t%.0f\t\n", tSent, tGot, 100*float64(tGot)/float64(tSent), tEst)
	tw.Flush()
	for _, k := range keys {
		if k.sev >= plog.SeverityNumberError && rec.count[k] != sent[k] {
			return fmt.Errorf("%s: %d of %d %s records received", k.service, rec.count[k], sent[k], k.sev)
		}
	}
	fmt.Fprintln(out, "\nEvery ERROR record reached the exporter. A sampled record carries")
	fmt.Fprintln(out, "sample_rate = 1/rate, so a backend can count it as that many records.")
	fmt.Fprintln(out, "\nA few records as the exporter received them:")
	for _, s := range rec.samples {
		fmt.Fprintln(out, " ", s)
	}
	return nil
}

// logService logs duration of simulated traffic for service through an SDK
// LoggerProvider exporting over OTLP/HTTP to endpoint, and returns the
// number of records sent per severity.
func logService(ctx context.Context, endpoint, service string, start time.Time, rng *rand.Rand) (map[key]int, error) {
	exp, err := otlploghttp.New(ctx, otlploghttp.WithEndpoint(endpoint), otlploghttp.WithInsecure())
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName(service)))
	if err != nil {
		return nil, err
	}
	n := int(duration.Seconds()) * perSecond
	// The batch processor drops records when its queue (2048 by default)
	// is full; a minute of traffic is emitted here in a burst, so the
	// queue holds all of it.
	bp := sdklog.NewBatchProcessor(exp, sdklog.WithMaxQueueSize(n))
	lp := sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(bp))
	logger := lp.Logger("example")
	total := 0
	for _, e := range events {
		total += e.weight
	}
	sent := map[key]int{}
	for i := range n {
		w := rng.IntN(total)
		e := events[0]
		for _, c := range events {
			if w < c.weight {
				e = c
				break
			}
			w -= c.weight
		}
		var r otellog.Record
		r.SetTimestamp(start.Add(time.Duration(i) * time.Second / perSecond))
		r.SetSeverity(e.sev)
		r.SetSeverityText(e.sev.String())
		r.SetBody(attribute.StringValue(fmt.Sprintf(e.msg, rng.IntN(1000))))
		logger.Emit(ctx, r)
		sent[key{service, plog.SeverityNumber(e.sev)}]++
	}
	// Shutdown flushes the batch processor: every export has been
	// answered, and so consumed by the pipeline, when it returns.
	return sent, lp.Shutdown(ctx)
}

// key identifies a row of the report.
type key struct {
	service string
	sev     plog.SeverityNumber
}

// recorder is the pipeline's last stage: it counts what it receives, as
// an exporter would send it on.
type recorder struct {
	mu       sync.Mutex
	count    map[key]int
	estimate map[key]float64
	samples  []string
}

var _ consumer.Logs = (*recorder)(nil)

func newRecorder() *recorder {
	return &recorder{count: map[key]int{}, estimate: map[key]float64{}}
}

func (r *recorder) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (r *recorder) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range ld.ResourceLogs().Len() {
		rl := ld.ResourceLogs().At(i)
		svc, _ := rl.Resource().Attributes().Get("service.name")
		for j := range rl.ScopeLogs().Len() {
			lrs := rl.ScopeLogs().At(j).LogRecords()
			for k := range lrs.Len() {
				lr := lrs.At(k)
				kk := key{svc.Str(), lr.SeverityNumber()}
				r.count[kk]++
				w := 1.0
				if v, ok := lr.Attributes().Get(lipserviceprocessor.DefaultRateAttribute); ok {
					w = v.Double()
				}
				r.estimate[kk] += w
				if len(r.samples) < 4 && (k == 0 || lr.SeverityNumber() >= plog.SeverityNumberError) {
					s := fmt.Sprintf("service=%s severity=%s body=%q", svc.Str(), lr.SeverityText(), lr.Body().Str())
					if w != 1 {
						s += fmt.Sprintf(" sample_rate=%g", w)
					}
					r.samples = append(r.samples, s)
				}
			}
		}
	}
	return nil
}

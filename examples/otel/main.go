// Command otel shows LipService sampling in an OpenTelemetry logs pipeline:
// slog logs through the otelslog bridge into a LoggerProvider whose
// processor is otelx wrapping the SDK's simple processor, which exports to
// an in-memory exporter. It logs a minute of simulated traffic (requests,
// cache hits and misses, database queries, a few errors and one rare
// event), some of it inside traces, and prints what was kept, what was
// dropped and why.
//
// The records carry simulated timestamps, so a minute of traffic runs in
// milliseconds and spans several of the sampler's 10-second windows. The
// workload and its trace IDs come from a fixed seed; untraced records use
// the sampler's unseeded draws, so kept counts vary slightly between runs.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/trace"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

// event is one kind of record in the workload.
type event struct {
	level  slog.Level
	msg    string
	weight int // relative frequency
	attrs  func(r *rand.Rand) []any
}

var events = []event{
	{slog.LevelInfo, "request served", 500, func(r *rand.Rand) []any {
		return []any{"path", []string{"/api/orders", "/api/cart", "/api/search"}[r.IntN(3)], "status", 200}
	}},
	{slog.LevelDebug, "cache hit", 300, func(r *rand.Rand) []any { return []any{"key", fmt.Sprintf("user:%d", r.IntN(10_000))} }},
	{slog.LevelDebug, "cache miss", 60, func(r *rand.Rand) []any { return []any{"key", fmt.Sprintf("user:%d", r.IntN(10_000))} }},
	{slog.LevelInfo, "db query", 120, func(r *rand.Rand) []any { return []any{"table", "orders", "rows", r.IntN(100)} }},
	{slog.LevelWarn, "slow request", 8, func(r *rand.Rand) []any { return []any{"path", "/api/search"} }},
	{slog.LevelError, "upstream timeout", 3, func(r *rand.Rand) []any { return []any{"upstream", "payments"} }},
}

var rare = event{slog.LevelWarn, "certificate expires soon", 0, func(*rand.Rand) []any { return []any{"days_left", 6} }}

const (
	duration  = time.Minute
	perSecond = 2000
)

// memExporter keeps per-message counts and weights of the exported records.
type memExporter struct {
	mu     sync.Mutex
	kept   map[string]int
	weight map[string]float64
	traced int
}

func (e *memExporter) Export(_ context.Context, rs []sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range rs {
		w := 1.0
		rs[i].WalkAttributes(func(kv attribute.KeyValue) bool {
			if string(kv.Key) == otelx.DefaultRateKey {
				w = kv.Value.AsFloat64()
			}
			return true
		})
		msg := rs[i].Body().AsString()
		e.kept[msg]++
		e.weight[msg] += w
		if rs[i].TraceID().IsValid() {
			e.traced++
		}
	}
	return nil
}

func (e *memExporter) Shutdown(context.Context) error   { return nil }
func (e *memExporter) ForceFlush(context.Context) error { return nil }

func run(out io.Writer) error {
	ctx := context.Background()

	// A policy as a server would send it: DEBUG at 5 %, INFO at 10 %,
	// WARNING at 50 %, ERROR kept (implicitly), the first 10 records of
	// each pattern per window kept whole.
	p := policy.Default()
	p.SeverityRates = map[string]float64{policy.SeverityDebug: 0.05, policy.SeverityInfo: 0.1, policy.SeverityWarning: 0.5}
	s, err := sampler.New(sampler.WithPolicy(p))
	if err != nil {
		return err
	}
	defer s.Shutdown(ctx)

	exp := &memExporter{kept: map[string]int{}, weight: map[string]float64{}}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(otelx.NewProcessor(sdklog.NewSimpleProcessor(exp), s)))
	defer lp.Shutdown(ctx)
	h := otelslog.NewHandler("checkout", otelslog.WithLoggerProvider(lp))

	rng := rand.New(rand.NewPCG(1, 2))
	total := 0
	for _, e := range events {
		total += e.weight
	}
	seen := map[string]int{}
	var traceCtx context.Context
	tracedSeen := 0
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	n := int(duration.Seconds()) * perSecond
	for i := range n {
		// Every 20 records a new request trace starts; its request and
		// query records share its trace ID, so they are kept or dropped
		// together.
		if i%20 == 0 {
			var id trace.TraceID
			for j := range id {
				id[j] = byte(rng.UintN(256))
			}
			traceCtx = trace.ContextWithSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: id, SpanID: trace.SpanID{7: 1}, TraceFlags: trace.FlagsSampled,
			}))
		}
		e := pick(rng, total)
		if i == n/2 {
			e = rare
		}
		rctx := ctx
		if e.msg == "request served" || e.msg == "db query" {
			rctx = traceCtx
			tracedSeen++
		}
		r := slog.NewRecord(start.Add(time.Duration(i)*duration/time.Duration(n)), e.level, e.msg, 0)
		r.Add(e.attrs(rng)...)
		if h.Enabled(rctx, r.Level) {
			if err := h.Handle(rctx, r); err != nil {
				return err
			}
		}
		seen[e.msg]++
	}
	if err := lp.ForceFlush(ctx); err != nil {
		return err
	}

	st := s.Stats()
	fmt.Fprintf(out, "%d records in %v of simulated traffic (%d/s) through slog → otelslog → otelx → exporter.\n", st.Seen, duration, perSecond)
	fmt.Fprintf(out, "policy: DEBUG 5%%, INFO 10%%, WARNING 50%%, ERROR 100%%, first %d per pattern per %v window kept whole.\n\n", p.FirstNCount(), p.Window())

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pattern\tlevel\tseen\texported\tdropped\tre-weighted\twhy\t")
	all := append(slices.Clone(events), rare)
	slices.SortStableFunc(all, func(a, b event) int { return seen[b.msg] - seen[a.msg] })
	for _, e := range all {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.0f\t%s\t\n", e.msg, e.level, seen[e.msg], exp.kept[e.msg],
			seen[e.msg]-exp.kept[e.msg], exp.weight[e.msg], why(e, seen[e.msg], p))
	}
	tw.Flush()
	fmt.Fprintf(out, "\nsampler stats: seen %d, kept %d (%.1f%%), dropped %d, patterns %d, internal errors %d\n",
		st.Seen, st.Kept, 100*float64(st.Kept)/float64(st.Seen), st.Dropped, len(st.Patterns), st.Errors)
	fmt.Fprintf(out, "traced records: %d seen, %d exported (past first-N, the records of one trace share one draw)\n", tracedSeen, exp.traced)
	fmt.Fprintln(out, "re-weighted = sum of sample_rate over the exported records: an estimate of seen.")
	return nil
}

// why explains a pattern's outcome from the policy.
func why(e event, seen int, p *policy.Policy) string {
	sev := policy.SeverityOf(e.level)
	switch {
	case e.level >= slog.LevelError:
		return "severity: ERROR is kept at 1.0"
	case seen <= p.FirstNCount():
		return "first-N: a rare pattern is kept whole"
	default:
		return fmt.Sprintf("first-N, then severity rate %s=%g", sev, p.SeverityRates[sev])
	}
}

func pick(r *rand.Rand, total int) event {
	x := r.IntN(total)
	for _, e := range events {
		if x < e.weight {
			return e
		}
		x -= e.weight
	}
	return events[0]
}

// Command slog shows LipService sampling a service's slog output: it logs a
// minute of simulated traffic (requests, cache hits and misses, database
// queries, a few errors and one rare event) through slogx over a JSON
// handler, and prints what was kept, what was dropped and why.
//
// The records carry simulated timestamps, so a minute of traffic runs in
// milliseconds and spans several of the sampler's 10-second windows. The
// workload is generated from a fixed seed; the sampler's own random draws
// are not seeded, so kept counts vary slightly between runs.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
	"github.com/srex-dev/lipservice-go/slogx"
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
	keys   []string // attribute keys, in order
	weight int      // relative frequency
	values func(r *rand.Rand) []any
}

var events = []event{
	{slog.LevelInfo, "request served", []string{"method", "path", "status", "elapsed"}, 500, func(r *rand.Rand) []any {
		paths := []string{"/api/orders", "/api/cart", "/api/search", "/healthz"}
		return []any{"GET", paths[r.IntN(len(paths))], 200, time.Duration(r.IntN(50_000_000))}
	}},
	{slog.LevelDebug, "cache hit", []string{"key"}, 300, func(r *rand.Rand) []any {
		return []any{fmt.Sprintf("user:%d:profile", r.IntN(10_000))}
	}},
	{slog.LevelDebug, "cache miss", []string{"key"}, 60, func(r *rand.Rand) []any {
		return []any{fmt.Sprintf("user:%d:profile", r.IntN(10_000))}
	}},
	{slog.LevelInfo, "db query", []string{"table", "rows", "elapsed"}, 120, func(r *rand.Rand) []any {
		return []any{"orders", r.IntN(100), time.Duration(r.IntN(5_000_000))}
	}},
	{slog.LevelWarn, "slow request", []string{"path", "elapsed"}, 8, func(r *rand.Rand) []any {
		return []any{"/api/search", time.Duration(1+r.IntN(3)) * time.Second}
	}},
	{slog.LevelError, "upstream timeout", []string{"upstream", "attempt"}, 3, func(r *rand.Rand) []any {
		return []any{"payments", 1 + r.IntN(3)}
	}},
}

// rare is logged once, in the middle of the run.
var rare = event{slog.LevelWarn, "certificate expires soon", []string{"days_left"}, 0, func(*rand.Rand) []any { return []any{6} }}

const (
	duration   = time.Minute
	perSecond  = 2000 // records per second of simulated traffic
	targetRate = 40   // kept records per second the policy aims at
)

// counter is the downstream end of the pipeline: it counts what reaches it
// and sums the weights (sample_rate) of the kept records.
type counter struct {
	next   slog.Handler
	kept   map[string]int
	weight map[string]float64
}

func (c *counter) Enabled(ctx context.Context, l slog.Level) bool { return c.next.Enabled(ctx, l) }
func (c *counter) WithAttrs([]slog.Attr) slog.Handler             { return c }
func (c *counter) WithGroup(string) slog.Handler                  { return c }

func (c *counter) Handle(ctx context.Context, r slog.Record) error {
	w := 1.0
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == slogx.DefaultRateKey {
			w = a.Value.Float64()
		}
		return true
	})
	c.kept[r.Message]++
	c.weight[r.Message] += w
	return c.next.Handle(ctx, r)
}

func run(out io.Writer) error {
	ctx := context.Background()

	// Adaptive sampling without a server: the default first-N rule keeps
	// the first 10 records of every pattern in each window, errors are
	// always kept, and the rest is cut towards targetRate records/s, most
	// from the chattiest patterns.
	p := policy.Default()
	p.TargetPerSecond = targetRate
	s, err := sampler.New(sampler.WithPolicy(p))
	if err != nil {
		return err
	}
	defer s.Shutdown(ctx)

	// The first few kept records are printed as the JSON handler writes
	// them; the rest are only counted.
	sink := &firstLines{w: out, n: 4}
	c := &counter{
		next:   slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: slog.LevelDebug}),
		kept:   map[string]int{},
		weight: map[string]float64{},
	}
	logger := slog.New(slogx.New(c, s))

	rng := rand.New(rand.NewPCG(1, 2))
	total := 0
	for _, e := range events {
		total += e.weight
	}
	seen := map[string]int{}
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	n := int(duration.Seconds()) * perSecond
	fmt.Fprintf(out, "First kept records:\n")
	for i := range n {
		t := start.Add(time.Duration(i) * duration / time.Duration(n))
		e := pick(rng, total)
		if i == n/2 {
			e = rare
		}
		// A Record with a simulated time; logger.Log would stamp time.Now.
		r := slog.NewRecord(t, e.level, e.msg, 0)
		r.Add(interleave(e.keys, e.values(rng))...)
		if err := logger.Handler().Handle(ctx, r); err != nil {
			return err
		}
		seen[e.msg]++
	}

	st := s.Stats()
	fmt.Fprintf(out, "\n%d records in %v of simulated traffic (%d/s); policy: first %d per pattern per %v window, errors kept, adaptive target %d/s.\n\n",
		st.Seen, duration, perSecond, p.FirstNCount(), p.Window(), targetRate)

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pattern\tlevel\tseen\tkept\tdropped\tadaptive rate\tre-weighted\twhy\t")
	byPattern := map[signature.Sig]sampler.PatternStats{}
	for _, ps := range st.Patterns {
		byPattern[ps.Pattern] = ps
	}
	all := append(slices.Clone(events), rare)
	slices.SortStableFunc(all, func(a, b event) int { return seen[b.msg] - seen[a.msg] })
	for _, e := range all {
		ps := byPattern[patternOf(e.msg)]
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.4f\t%.0f\t%s\t\n",
			e.msg, e.level, ps.Seen, ps.Kept, ps.Dropped, ps.AdaptiveRate, c.weight[e.msg], why(e, ps, p.FirstNCount()))
	}
	tw.Flush()
	fmt.Fprintf(out, "\ntotal: seen %d, kept %d (%.1f%%), dropped %d; internal errors %d\n",
		st.Seen, st.Kept, 100*float64(st.Kept)/float64(st.Seen), st.Dropped, st.Errors)
	fmt.Fprintln(out, "re-weighted = sum of sample_rate over the kept records: an estimate of seen.")
	fmt.Fprintln(out, "The first window keeps everything: adaptive rates need one window of history.")
	return nil
}

// patternOf is the sampler's pattern ID of a record, as documented on
// sampler.Sampler: the message's signature (attribute keys enter it only
// with sampler.WithAttrKeys(true), which this program does not set).
func patternOf(msg string) signature.Sig { return signature.Of(msg) }

// why explains a pattern's outcome from its counts and the policy.
func why(e event, ps sampler.PatternStats, firstN int) string {
	switch {
	case e.level >= slog.LevelError:
		return "severity: ERROR is kept at 1.0"
	case ps.Seen <= uint64(firstN):
		return "first-N: a rare pattern is kept whole"
	case ps.AdaptiveRate >= 0.5:
		return "adaptive: rare enough to keep most"
	default:
		return "adaptive: chatty, carries the cut"
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

func interleave(keys []string, values []any) []any {
	kv := make([]any, 0, 2*len(keys))
	for i, k := range keys {
		kv = append(kv, k, values[i])
	}
	return kv
}

// firstLines writes the first n writes to w and discards the rest.
type firstLines struct {
	w io.Writer
	n int
}

func (f *firstLines) Write(p []byte) (int, error) {
	if f.n > 0 {
		f.n--
		f.w.Write(p)
	}
	return len(p), nil
}

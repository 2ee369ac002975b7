package slogx_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// BenchmarkHandler_hook measures Handle over slog.DiscardHandler at rate
// 0.1 without a hook (no-hook), with a sampler hook (sampler-hook) and with
// a slogx hook (slogx-hook), each hook counting drops. As in
// BenchmarkHandle_overhead, the variants run in alternation, a chunk of
// records each per round, and the median per-record cost of each is
// reported (variant-ns/rec), so that the rows compare as ratios.
func BenchmarkHandler_hook(b *testing.B) {
	const chunk = 500
	recs := workload()
	ctx := context.Background()
	var n1, n2 int
	sHook := func(_ sampler.Record, d sampler.Decision) {
		if !d.Keep {
			n1++
		}
	}
	xHook := func(_ context.Context, _ slog.Record, d sampler.Decision) {
		if !d.Keep {
			n2++
		}
	}
	variants := []struct {
		name string
		h    slog.Handler
	}{
		{"no-hook", slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1)))},
		{"sampler-hook", slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1), sampler.WithHook(sHook)))},
		{"slogx-hook", slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1)), slogx.WithHook(xHook))},
	}
	perRec := make([][]float64, len(variants))
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range variants {
			start := time.Now()
			for j := range chunk {
				_ = v.h.Handle(ctx, recs[j%len(recs)].slog)
			}
			perRec[i] = append(perRec[i], float64(time.Since(start).Nanoseconds())/chunk)
		}
	}
	for i, v := range variants {
		slices.Sort(perRec[i])
		b.ReportMetric(perRec[i][len(perRec[i])/2], v.name+"-ns/rec")
	}
	if n1 == 0 || n2 == 0 {
		b.Fatalf("the hooks saw %d and %d dropped records", n1, n2)
	}
}

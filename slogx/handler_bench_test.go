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

// BenchmarkHandle_overhead splits the cost of slogx over a downstream that
// does nothing (slog.DiscardHandler) into its parts: a direct Decide on the
// equivalent, prebuilt sampler.Record (decide-*), a nil-sampler handler
// (the record copy and calls: nil-sampler) and the full handler (slogx-*),
// also with attribute keys and value keys in the pattern.
// slogx-* minus decide-* minus nil-sampler is the translation cost. The
// variants run in alternation, a chunk of records each per round, and the
// median per-record cost of each is reported (variant-ns/rec), which keeps
// the comparison steady on a shared machine.
func BenchmarkHandle_overhead(b *testing.B) {
	const chunk = 500
	recs := workload()
	srecs := make([]sampler.Record, len(recs))
	for i := range recs {
		r := &recs[i].slog
		srecs[i] = sampler.Record{Time: r.Time, Level: r.Level, Message: r.Message}
		r.Attrs(func(a slog.Attr) bool {
			var v string
			if a.Value.Kind() == slog.KindString {
				v = a.Value.String()
			}
			srecs[i].Attrs = append(srecs[i].Attrs, sampler.Attr{Key: a.Key, Value: v})
			return true
		})
	}
	ctx := context.Background()
	decide := func(p *policy.Policy) func(int) {
		s := newSampler(b, p)
		return func(i int) { s.Decide(&srecs[i]) }
	}
	handle := func(h slog.Handler) func(int) {
		return func(i int) { _ = h.Handle(ctx, recs[i].slog) }
	}
	variants := []struct {
		name string
		run  func(int)
	}{
		{"decide-keepall", decide(policy.KeepAll())},
		{"decide-10pct", decide(policy.Uniform(0.1))},
		{"nil-sampler", handle(slogx.New(slog.DiscardHandler, nil))},
		{"slogx-keepall", handle(slogx.New(slog.DiscardHandler, newSampler(b, policy.KeepAll())))},
		{"slogx-10pct", handle(slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1))))},
		// Attribute keys in the pattern, and with status and method
		// values too (sampler.WithValueKeys; status is an int).
		{"slogx-keys-10pct", handle(slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1), sampler.WithAttrKeys(true))))},
		{"slogx-valuekeys-10pct", handle(slogx.New(slog.DiscardHandler, newSampler(b, policy.Uniform(0.1), sampler.WithValueKeys("status", "method"))))},
	}
	perRec := make([][]float64, len(variants))
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range variants {
			start := time.Now()
			for j := range chunk {
				v.run(j % len(recs))
			}
			perRec[i] = append(perRec[i], float64(time.Since(start).Nanoseconds())/chunk)
		}
	}
	for i, v := range variants {
		slices.Sort(perRec[i])
		b.ReportMetric(perRec[i][len(perRec[i])/2], v.name+"-ns/rec")
	}
}

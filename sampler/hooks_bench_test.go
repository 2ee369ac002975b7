package sampler_test

import (
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// BenchmarkSampler_DecideHook measures Decide of a constant message at rate
// 0.1 without a hook (no-hook), with a counting hook (hook), with a key
// function that hashes the exact message (key, which also turns the
// signature cache off) and, for scale, the template key without the cache
// (nocache). As in slogx's BenchmarkHandle_overhead, the variants run in
// alternation, a chunk of records each per round, and the median
// per-record cost of each is reported (variant-ns/rec), so that the rows
// compare as ratios within one run on a shared machine.
func BenchmarkSampler_DecideHook(b *testing.B) {
	const chunk = 500
	var kept, dropped int
	hook := func(_ sampler.Record, d sampler.Decision) {
		if d.Keep {
			kept++
		} else {
			dropped++
		}
	}
	key := func(_ slog.Level, msg string, _ []sampler.Attr) signature.Sig { return signature.OfTemplate(msg) }
	r := sampler.Record{Time: benchTime, Level: slog.LevelInfo, Message: "request handled"}
	variants := []struct {
		name string
		opts []sampler.Option
	}{
		{"no-hook", nil},
		{"hook", []sampler.Option{sampler.WithHook(hook)}},
		{"key", []sampler.Option{sampler.WithKey(key)}},
		{"nocache", []sampler.Option{sampler.WithSignatureCache(false)}},
	}
	samplers := make([]*sampler.Sampler, len(variants))
	for i, v := range variants {
		samplers[i] = newBenchSampler(b, policy.Uniform(0.1), v.opts...)
		samplers[i].Decide(&r)
	}
	kept, dropped = 0, 0
	perRec := make([][]float64, len(variants))
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range samplers {
			start := time.Now()
			for range chunk {
				benchSink = s.Decide(&r)
			}
			perRec[i] = append(perRec[i], float64(time.Since(start).Nanoseconds())/chunk)
		}
	}
	for i, v := range variants {
		slices.Sort(perRec[i])
		b.ReportMetric(perRec[i][len(perRec[i])/2], v.name+"-ns/rec")
	}
	if kept+dropped != len(perRec[1])*chunk || kept == 0 || dropped == 0 {
		b.Fatalf("the hook saw %d kept and %d dropped of %d records", kept, dropped, len(perRec[1])*chunk)
	}
}

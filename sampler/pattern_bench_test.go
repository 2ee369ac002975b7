package sampler_test

import (
	"log/slog"
	"strconv"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// BenchmarkSampler_DecideFirstSight decides records whose signature the
// sampler has never seen: each message has a distinct single-quoted user
// name, which signature v3 keeps (it masks e-mail addresses and
// double-quoted text, so those repeat a signature), so every record misses
// the message cache and the miner places a new signature into the family's
// pattern (join), or, with mining off, the table sees a new pattern
// (exact). cpu-ns/op is the process CPU per record: wall time on a shared
// machine mostly measures the other tenants.
func BenchmarkSampler_DecideFirstSight(b *testing.B) {
	const n = 1 << 18
	recs := make([]sampler.Record, n)
	for i := range recs {
		recs[i] = sampler.Record{Time: benchTime, Level: slog.LevelInfo,
			Message: "audit: user '" + letters(i) + "' signed in id=" + strconv.Itoa(i)}
	}
	cases := []struct {
		name string
		opts []sampler.Option
	}{
		{"join", nil},
		{"exact", []sampler.Option{sampler.WithPatternMining(false)}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := newBenchSampler(b, policy.Uniform(0.1), bc.opts...)
			s.Decide(&recs[n-1])
			s.Decide(&recs[n-2])
			b.ReportAllocs()
			i := 0
			cpu0 := processCPU(b)
			for b.Loop() {
				if i == n-2 {
					b.Fatal("more records than prepared")
				}
				benchSink = s.Decide(&recs[i])
				i++
			}
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

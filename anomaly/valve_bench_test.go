package anomaly_test

import (
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

var sinkDecision sampler.Decision

// BenchmarkDecide_Valve measures what the detector adds to the sampler's hot
// path, in one run: sampler.Decide without a valve, with the default
// Detector (the interval and the coarse scales) and with a single-scale one
// (WithInterval(1 s), the detector before coarse scales). 100 patterns,
// 1 000 records per simulated second, so the cost includes the amortized
// roll-over of every shard and scale. Compare the rows as ratios: the
// machine is shared and absolute timings are noisy.
func BenchmarkDecide_Valve(b *testing.B) {
	const n = 100
	recs := make([]sampler.Record, n)
	for i := range recs {
		recs[i] = sampler.Record{Level: slog.LevelInfo,
			Message: "valve bench kind" + strconv.Itoa(i) + " for user 42 took 7 ms"}
	}
	cases := []struct {
		name string
		det  func() (*anomaly.Detector, error)
	}{
		{"no-valve", nil},
		{"detector-default", func() (*anomaly.Detector, error) { return anomaly.New() }},
		{"detector-1s-only", func() (*anomaly.Detector, error) { return anomaly.New(anomaly.WithInterval(time.Second)) }},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			opts := []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1))}
			if bc.det != nil {
				d, err := bc.det()
				if err != nil {
					b.Fatal(err)
				}
				opts = append(opts, sampler.WithValve(d))
			}
			s, err := sampler.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			// Two simulated hours of warm-up: every scale has history.
			i := 0
			for ; i < 2*3600*1000; i += 7 {
				r := recs[i%n]
				r.Time = t0.Add(time.Duration(i) * time.Millisecond)
				s.Decide(&r)
			}
			b.ReportAllocs()
			for b.Loop() {
				r := recs[i%n]
				r.Time = t0.Add(time.Duration(i) * time.Millisecond)
				sinkDecision = s.Decide(&r)
				i++
			}
		})
	}
}

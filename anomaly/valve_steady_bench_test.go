package anomaly_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/sampler"
)

// BenchmarkDecide_ValveSteady is sampler.Decide at 1 000 live patterns, one
// record per pattern and 1 s interval (records 1 ms apart), without a valve
// and with the default Detector, each in a sub-benchmark of its own after
// ten simulated minutes of warm-up (past the history that parks a slot;
// BenchmarkDecide_Valve's two hours take too long under valgrind). It is
// deterministic, for cachegrind's per-function instruction and cache-miss
// counts of the pair: where the time the detector adds to Decide goes
// (the difference of two -benchtime Nx runs divided by the difference of
// N, per function).
func BenchmarkDecide_ValveSteady(b *testing.B) {
	const n = 1000
	recs := make([]sampler.Record, n)
	for i := range recs {
		recs[i] = sampler.Record{Level: slog.LevelInfo,
			Message: "valve bench " + letters(i) + " for user 42 took 7 ms"}
	}
	for _, valve := range []bool{false, true} {
		name := "no-valve"
		if valve {
			name = "detector-default"
		}
		b.Run(name, func(b *testing.B) {
			s := benchSampler(b, valve)
			i := 0
			for ; i < 600*n; i++ {
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

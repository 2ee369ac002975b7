package quality_test

import (
	"context"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
)

var sinkOutcome quality.Outcome

// benchLines returns n lines of the quality stream, built outside the timed
// loop.
func benchLines(b *testing.B, d time.Duration) ([]loggen.Line, time.Duration) {
	b.Helper()
	g := loggen.New(genSeed, loggen.WithDuration(d))
	var lines []loggen.Line
	for {
		l, ok := g.Next()
		if !ok {
			return lines, g.Duration()
		}
		lines = append(lines, l)
	}
}

// BenchmarkLipService_Decide measures the cost per line of the method under
// test (sampler + anomaly valve + the harness's trace-ID draw) on the
// quality stream. The stream is replayed in a loop, shifted in time on
// every pass so that time keeps moving forward.
func BenchmarkLipService_Decide(b *testing.B) {
	lines, d := benchLines(b, 5*time.Minute)
	ls, err := quality.NewLipService(replaySeed, lipServicePolicy(), detectorOptions()...)
	if err != nil {
		b.Fatal(err)
	}
	defer ls.Shutdown(context.Background())
	b.ReportAllocs()
	i, shift, kept := 0, time.Duration(0), 0
	for b.Loop() {
		l := lines[i]
		l.Time = l.Time.Add(shift)
		sinkOutcome = ls.Decide(&l)
		if sinkOutcome.Keep {
			kept++
		}
		if i++; i == len(lines) {
			i, shift = 0, shift+d
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if kept == 0 {
		b.Fatal("nothing kept")
	}
}

// BenchmarkCompare runs the whole harness on a 10-minute stream and reports
// LipService's scores as custom metrics (the -bench form of TestQuality).
func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	var r quality.Result
	lines := 0
	for b.Loop() {
		ls, err := quality.NewLipService(replaySeed, lipServicePolicy(), detectorOptions()...)
		if err != nil {
			b.Fatal(err)
		}
		res := quality.Compare(loggen.New(genSeed, loggen.WithDuration(10*time.Minute)), replaySeed, ls)
		ls.Shutdown(context.Background())
		r = res[0]
		lines += r.Lines
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(100*r.Reduction(), "reduction-%")
	b.ReportMetric(100*r.Coverage(), "coverage-%")
	b.ReportMetric(100*r.ErrorRetention(), "error-retention-%")
	b.ReportMetric(100*r.CountErrMean, "count-err-mean-%")
	b.ReportMetric(100*r.CountErrMax, "count-err-max-%")
}

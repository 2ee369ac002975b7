package loggen_test

import (
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
)

var sink loggen.Line

func BenchmarkGenerator_Next(b *testing.B) {
	b.ReportAllocs()
	g := loggen.New(1, loggen.WithDuration(24*time.Hour))
	lines := 0
	for b.Loop() {
		l, ok := g.Next()
		if !ok {
			b.Fatal("stream ended")
		}
		sink = l
		lines++
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

package cluster_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/benchutil"
)

var benchSystems = []string{"hdfs", "hadoop", "bgl", "thunderbird", "linux", "healthapp", "openssh", "mac"}

var sinkPattern cluster.Pattern
var sinkN int

// BenchmarkMiner_Add measures normalize + mine of real Loghub contents in a
// warmed miner (the steady state: templates already known), with
// strings.Fields over the same lines as a same-run baseline. The "cold"
// sub-benchmark mines the 500 lines into a fresh miner each time.
func BenchmarkMiner_Add(b *testing.B) {
	for _, sys := range benchSystems {
		lines := loadContent(b, sys)
		b.Run(sys, func(b *testing.B) {
			m := cluster.NewMiner()
			for _, l := range lines {
				m.Add(l)
			}
			benchutil.LineLoop(b, lines, func(l string) { sinkPattern = m.Add(l) })
			if got := m.Len(); got == 0 {
				b.Fatal("no patterns mined")
			}
		})
		b.Run(sys+"/cold", func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				m := cluster.NewMiner()
				for _, l := range lines {
					sinkPattern = m.Add(l)
				}
				n += len(lines)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
		})
		b.Run(sys+"/baseline-fields", func(b *testing.B) {
			benchutil.LineLoop(b, lines, func(l string) { sinkN += len(strings.Fields(l)) })
		})
	}
}

// BenchmarkMiner_AddParallel is BenchmarkMiner_Add/hdfs from all Ps.
func BenchmarkMiner_AddParallel(b *testing.B) {
	lines := loadContent(b, "hdfs")
	m := cluster.NewMiner()
	for _, l := range lines {
		m.Add(l)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Add(lines[i%len(lines)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

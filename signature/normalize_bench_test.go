package signature_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/signature"
)

var benchSystems = []string{"hdfs", "hadoop", "bgl", "thunderbird", "linux", "healthapp", "openssh", "mac"}

var sinkSig signature.Sig
var sinkN int

// BenchmarkNormalize measures signature.Of (normalize + hash) over real
// Loghub contents, with strings.Fields over the same lines as a same-run
// baseline.
func BenchmarkNormalize(b *testing.B) {
	for _, sys := range benchSystems {
		lines := readContent(b, sys)
		b.Run(sys, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				sinkSig = signature.Of(lines[n%len(lines)])
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
		})
		b.Run(sys+"/baseline-fields", func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				sinkN += len(strings.Fields(lines[n%len(lines)]))
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

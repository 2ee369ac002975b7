package signature_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/signature"
)

var benchSystems = []string{"hdfs", "hadoop", "bgl", "thunderbird", "linux", "healthapp", "openssh", "mac"}

var sinkSig signature.Sig
var sinkN int

// BenchmarkNormalize measures signature.Of (normalize + hash, the hot path)
// and AppendNormalize (normalize into a buffer) over real Loghub contents,
// with strings.Fields over the same lines as a same-run baseline.
func BenchmarkNormalize(b *testing.B) {
	for _, sys := range benchSystems {
		lines := readContent(b, sys)
		b.Run(sys, func(b *testing.B) {
			benchutil.LineLoop(b, lines, func(l string) { sinkSig = signature.Of(l) })
		})
		b.Run(sys+"/append", func(b *testing.B) {
			buf := make([]byte, 0, 1024)
			benchutil.LineLoop(b, lines, func(l string) { buf = signature.AppendNormalize(buf[:0], l) })
			sinkN += len(buf)
		})
		b.Run(sys+"/baseline-fields", func(b *testing.B) {
			benchutil.LineLoop(b, lines, func(l string) { sinkN += len(strings.Fields(l)) })
		})
	}
}

// BenchmarkOf measures signature.Of on single messages: a short constant
// message (the sampler's common case; its Decide budget of 50 ns includes
// this call), a short message with variables, and a long Loghub line.
func BenchmarkOf(b *testing.B) {
	for _, bench := range []struct{ name, msg string }{
		{"short-constant", "user logged in"},
		{"short-variables", "took 45ms for user 1001"},
		{"long", "Retrying connect to server: msra-sa-41:8030. Already tried 0 time(s); retry policy is RetryUpToMaximumCountWithFixedSleep(maxRetries=10, sleepTime=1000 MILLISECONDS)"},
	} {
		b.Run(bench.name, func(b *testing.B) {
			benchutil.LineLoop(b, []string{bench.msg}, func(l string) { sinkSig = signature.Of(l) })
		})
	}
}

// BenchmarkOf_Parallel is BenchmarkNormalize/hdfs from all Ps, as the
// sampler calls it.
func BenchmarkOf_Parallel(b *testing.B) {
	lines := readContent(b, "hdfs")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var s signature.Sig
		i := 0
		for pb.Next() {
			s ^= signature.Of(lines[i%len(lines)])
			i++
		}
		sinkSig ^= s
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

package signature_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/signature"
)

var benchSystems = []string{"hdfs", "hadoop", "bgl", "thunderbird", "linux", "healthapp", "openssh", "mac"}

var sinkSig signature.Sig
var sinkN int

// lineLoop runs fn over lines, one line per b.Loop iteration, and reports
// the throughput in lines/s (wall time) and cpu-ns/line: the CPU time of the
// benchmark's own thread per line (Linux only), which, unlike wall time,
// does not count the time the thread waited for a core on a loaded machine.
// It does count neither GC work done on other threads, so it flatters code
// that allocates (the strings.Fields baselines).
func lineLoop(b *testing.B, lines []string, fn func(string)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	n := 0
	cpu0, cpuOK := threadCPU()
	for b.Loop() {
		fn(lines[n%len(lines)])
		n++
	}
	cpu1, _ := threadCPU()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/line")
	}
}

// BenchmarkNormalize measures signature.Of (normalize + hash, the hot path)
// and AppendNormalize (normalize into a buffer) over real Loghub contents,
// with strings.Fields over the same lines as a same-run baseline.
func BenchmarkNormalize(b *testing.B) {
	for _, sys := range benchSystems {
		lines := readContent(b, sys)
		b.Run(sys, func(b *testing.B) {
			lineLoop(b, lines, func(l string) { sinkSig = signature.Of(l) })
		})
		b.Run(sys+"/append", func(b *testing.B) {
			buf := make([]byte, 0, 1024)
			lineLoop(b, lines, func(l string) { buf = signature.AppendNormalize(buf[:0], l) })
			sinkN += len(buf)
		})
		b.Run(sys+"/baseline-fields", func(b *testing.B) {
			lineLoop(b, lines, func(l string) { sinkN += len(strings.Fields(l)) })
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
			lineLoop(b, []string{bench.msg}, func(l string) { sinkSig = signature.Of(l) })
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

package benchutil

import (
	"runtime"
	"testing"
)

// LineLoop runs fn over lines, one line per b.Loop iteration, and reports
// the throughput in lines/s (wall time) and cpu-ns/line: the CPU time of the
// benchmark's own thread per line (Linux only), which, unlike wall time,
// does not count the time the thread waited for a core on a loaded machine.
// It does not count GC work done on other threads either, so it flatters
// code that allocates (the strings.Fields baselines).
func LineLoop(b *testing.B, lines []string, fn func(string)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	n := 0
	cpu0, cpuOK := ThreadCPU()
	for b.Loop() {
		fn(lines[n%len(lines)])
		n++
	}
	cpu1, _ := ThreadCPU()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/line")
	}
}

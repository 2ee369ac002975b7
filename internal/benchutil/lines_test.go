package benchutil_test

import (
	"runtime"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
)

func TestCPUClocksAdvance(t *testing.T) {
	runtime.LockOSThread() // thread CPU time is per OS thread
	defer runtime.UnlockOSThread()
	t0, tok := benchutil.ThreadCPU()
	p0, pok := benchutil.ProcessCPU()
	x := 0
	for i := range 20_000_000 {
		x ^= i * i
	}
	sink = x
	if t1, _ := benchutil.ThreadCPU(); tok && t1 <= t0 {
		t.Errorf("thread CPU time did not advance over a busy loop: %d -> %d", t0, t1)
	}
	if p1, _ := benchutil.ProcessCPU(); pok && p1 <= p0 {
		t.Errorf("process CPU time did not advance over a busy loop: %d -> %d", p0, p1)
	}
}

var sink int

func BenchmarkLineLoop(b *testing.B) {
	lines := []string{"a b c", "d e f"}
	benchutil.LineLoop(b, lines, func(l string) { sink += len(l) })
}

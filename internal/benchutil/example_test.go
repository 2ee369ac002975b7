package benchutil_test

import (
	"fmt"
	"runtime"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
)

// Measure the CPU time of a piece of work on the calling thread, which, on a
// shared machine, is steadier than wall time.
func ExampleThreadCPU() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, ok := benchutil.ThreadCPU()
	x := 0
	for i := range 1_000_000 {
		x += i & 7
	}
	t1, _ := benchutil.ThreadCPU()
	fmt.Println(x, !ok || t1 >= t0)
	// Output: 3500000 true
}

//go:build !linux

package benchutil

// ThreadCPU reports that per-thread CPU time is not available here.
func ThreadCPU() (ns int64, ok bool) { return 0, false }

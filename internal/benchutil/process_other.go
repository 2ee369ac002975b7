//go:build !unix

package benchutil

// ProcessCPU reports that process CPU time is not available here.
func ProcessCPU() (ns int64, ok bool) { return 0, false }

//go:build !linux

package cluster_test

// threadCPU reports that per-thread CPU time is not available here.
func threadCPU() (int64, bool) { return 0, false }

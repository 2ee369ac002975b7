//go:build linux

package cluster_test

import (
	"syscall"
	"unsafe"
)

// threadCPU returns the CPU time consumed by the calling OS thread, in
// nanoseconds (CLOCK_THREAD_CPUTIME_ID), and true. Benchmarks lock their
// goroutine to its thread and report it next to wall time because on a
// shared machine wall time mostly measures the other tenants.
func threadCPU() (int64, bool) {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return ts.Nano(), errno == 0
}

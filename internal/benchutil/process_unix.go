//go:build unix

package benchutil

import "syscall"

// ProcessCPU returns the user plus system CPU time of the whole process so
// far, in nanoseconds, and true; false when it cannot be read.
func ProcessCPU() (ns int64, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}

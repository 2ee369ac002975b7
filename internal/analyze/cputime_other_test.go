//go:build !unix

package analyze_test

import "time"

// cpuTime is unavailable on this platform.
func cpuTime() time.Duration { return 0 }

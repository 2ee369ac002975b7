package sampler_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// A hook that counts dropped records by level, a dimension the sampler's
// own counters do not have. The hook runs on the logging goroutine, so it
// only adds to atomic counters.
func ExampleWithHook() {
	var droppedByLevel [4]atomic.Uint64 // DEBUG, INFO, WARN, ERROR
	s, err := sampler.New(
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithHook(func(r sampler.Record, d sampler.Decision) {
			if !d.Keep {
				droppedByLevel[(r.Level+4)/4].Add(1)
			}
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for i := range 10 {
		s.Decide(&sampler.Record{Time: at, Level: slog.LevelDebug, Message: fmt.Sprint("cache hit ", i)})
		s.Decide(&sampler.Record{Time: at, Level: slog.LevelWarn, Message: fmt.Sprint("slow query ", i, " ms")})
	}
	for l, name := range []string{"DEBUG", "INFO", "WARN", "ERROR"} {
		fmt.Println(name, droppedByLevel[l].Load())
	}
	// Output:
	// DEBUG 9
	// INFO 0
	// WARN 9
	// ERROR 0
}

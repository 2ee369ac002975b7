package anomaly_test

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// Example_rateDrop shows a partial drop, which no single second reveals:
// a pattern steady at 20 records/s falls to 12/s (−40 %). The default
// detector watches coarse time scales too, and reports the drop at the
// scale where it is significant, with that scale's baseline: two 10 s
// buckets in a row far below it (the first of them, folded winsorized at
// the run threshold, moved the baseline from 200 to 199).
func Example_rateDrop() {
	var first *anomaly.Event
	d, err := anomaly.New(anomaly.WithCallback(func(e anomaly.Event) {
		if first == nil && e.Active() && e.Type == anomaly.RateDrop {
			first = &e
		}
	}))
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	msg := "order 81 shipped to warehouse 7"
	for sec := range 40 * 60 {
		perSec := 20
		if sec >= 30*60 {
			perSec = 12
		}
		for i := range perSec {
			t := start.Add(time.Duration(sec)*time.Second + time.Duration(i)*time.Second/time.Duration(perSec))
			d.Observe(signature.Of(msg), msg, slog.LevelInfo, t)
		}
	}
	fmt.Printf("%s at scale %v: %.0f records against a baseline of %.0f (%.0f/s), detected %v after the drop\n",
		first.Type, first.Scale, first.Value, first.Baseline, first.Baseline/first.Scale.Seconds(),
		first.Detected.Sub(start.Add(30*time.Minute)))
	// Output:
	// rate_drop at scale 10s: 120 records against a baseline of 199 (20/s), detected 20s after the drop
}

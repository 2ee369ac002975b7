package anomaly_test

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// Example feeds a steady pattern, a 20× burst of it and a brand-new error
// pattern through a detector, printing events as they open and close; the
// final Advance notices that the steady pattern has gone silent.
func Example() {
	d, err := anomaly.New(anomaly.WithCallback(func(e anomaly.Event) {
		state := "open "
		if !e.Active() {
			state = "close"
		}
		fmt.Printf("%s %-11s %-8s value=%.0f baseline=%.1f start=%s %q\n",
			state, e.Type, e.Severity, e.Value, e.Baseline, e.Start.Format("15:04:05"), e.Template)
	}))
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	steady := "GET /api/orders/42 200 in 13 ms"
	fresh := "payment provider timeout after 3000 ms"
	for sec := range 130 {
		perSec := 10
		if sec >= 100 && sec < 105 {
			perSec = 200 // a 20× burst
		}
		for i := range perSec {
			t := start.Add(time.Duration(sec)*time.Second + time.Duration(i)*time.Second/time.Duration(perSec))
			open := d.Observe(signature.Of(steady), steady, slog.LevelInfo, t)
			if sec == 100 && i == 199 {
				fmt.Println("valve open during the burst:", open)
			}
		}
		if sec == 110 {
			t := start.Add(time.Duration(sec) * time.Second)
			fmt.Println("valve open for a new error:", d.Observe(signature.Of(fresh), fresh, slog.LevelError, t))
		}
	}
	// A new ERROR pattern keeps its first window for 300 intervals (see
	// Thresholds.NewWarnWindowIntervals); advance past it.
	d.Advance(start.Add(500 * time.Second))
	fmt.Println("active after Advance:", len(d.Snapshot().Active))
	// Output:
	// open  rate_spike  warning  value=50 baseline=10.0 start=10:01:40 "GET /api/<*> 200 in <*> ms"
	// valve open during the burst: true
	// close rate_spike  warning  value=200 baseline=10.0 start=10:01:40 "GET /api/<*> 200 in <*> ms"
	// open  new_pattern critical value=0 baseline=0.0 start=10:01:50 "payment provider timeout after <*> ms"
	// valve open for a new error: true
	// close new_pattern critical value=1 baseline=0.0 start=10:01:50 "payment provider timeout after <*> ms"
	// open  disappeared warning  value=0 baseline=10.0 start=10:02:10 "GET /api/<*> 200 in <*> ms"
	// active after Advance: 1
}

// ExampleDetector_Snapshot shows the counters after a replay.
func ExampleDetector_Snapshot() {
	d, _ := anomaly.New()
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for i := range 1000 {
		msg := "cache miss"
		if i%10 == 0 {
			msg = "disk full"
		}
		d.Observe(signature.Of(msg), msg, slog.LevelWarn, start.Add(time.Duration(i)*10*time.Millisecond))
	}
	st := d.Snapshot().Stats
	fmt.Println(st.Records, st.Patterns, st.EventsOpened)
	// Output: 1000 2 0
}

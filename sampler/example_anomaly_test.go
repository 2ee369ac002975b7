package sampler_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// An anomaly detector as the valve: a pattern that appears after the
// detector's warm-up opens a new-pattern event, and its records are kept in
// full (its first by the first-N rule, which comes before the valve) while the routine traffic is dropped after its first record per
// window. Stats shows why each
// record was kept or dropped, the event, and how many of the pattern's
// records the valve decided. Time comes from the records.
func Example_anomalyValve() {
	d, err := anomaly.New(anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 5}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Shutdown(context.Background())
	s, err := sampler.New(sampler.WithValve(d),
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	// Ten seconds of routine traffic, 20 records a second, one window.
	for i := range 200 {
		s.Decide(&sampler.Record{Time: t0.Add(time.Duration(i) * 50 * time.Millisecond),
			Level: slog.LevelInfo, Message: "cache refreshed"})
	}
	// Then a pattern never seen before.
	for i := range 3 {
		r := sampler.Record{Time: t0.Add(10*time.Second + time.Duration(i)*time.Millisecond),
			Level: slog.LevelWarn, Message: fmt.Sprintf("disk %d almost full", i+2)}
		dec := s.Decide(&r)
		fmt.Printf("%s: keep=%v rate=%v reason=%v\n", r.Message, dec.Keep, dec.Rate, dec.Reason)
	}

	st := s.Stats()
	for _, r := range st.Reasons {
		fmt.Printf("reason %s: %d decided, %d kept\n", r.Reason, r.Decided, r.Kept)
	}
	for _, e := range st.Anomalies.Active {
		fmt.Printf("active %s event: %q (%s), detected %s\n", e.Type, e.Template, e.Severity, e.Detected.Format(time.TimeOnly))
	}
	for _, p := range st.Patterns {
		fmt.Printf("pattern %q: %d seen, %d kept, %d by the valve\n", p.Template, p.Seen, p.Kept, p.Anomalous)
	}
	// Output:
	// disk 2 almost full: keep=true rate=1 reason=first_n
	// disk 3 almost full: keep=true rate=1 reason=anomaly
	// disk 4 almost full: keep=true rate=1 reason=anomaly
	// reason first_n: 2 decided, 2 kept
	// reason anomaly: 2 decided, 2 kept
	// reason global: 199 decided, 0 kept
	// active new_pattern event: "disk <*> almost full" (warning), detected 10:00:10
	// pattern "cache refreshed": 200 seen, 1 kept, 0 by the valve
	// pattern "disk <*> almost full": 3 seen, 3 kept, 2 by the valve
}

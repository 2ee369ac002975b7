package anomaly_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// FuzzDetector_Observe drives a small detector with arbitrary messages,
// levels and (possibly backwards, zero or extreme) times. Properties: no
// panic, every record is counted (as timed or untimed), the table stays within its cap, and
// every closed event ends no earlier than it started.
func FuzzDetector_Observe(f *testing.F) {
	f.Add("GET /x 200", int64(0), int64(1e9), 8, uint8(5))
	f.Add("", int64(-1), int64(-1e18), -4, uint8(0))
	f.Add("disk full on /dev/sda1", int64(1e18), int64(1), 12, uint8(200))
	f.Add("\xff\xfe", int64(9e18), int64(-9e18), 0, uint8(1))
	f.Fuzz(func(t *testing.T, msg string, base, step int64, level int, n uint8) {
		var events []anomaly.Event
		d, err := anomaly.New(anomaly.WithMaxPatterns(8),
			anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 1, MinHistoryIntervals: 1}),
			anomaly.WithCallback(func(e anomaly.Event) { events = append(events, e) }))
		require.NoError(t, err)
		total := uint64(0)
		for i := range int64(n) + 1 {
			m := msg
			if i%3 == 1 {
				m += " extra"
			}
			ts := time.Unix(0, base+i*step)
			if i%5 == 4 {
				ts = time.Time{}
			}
			total++
			d.Observe(signature.Of(m), m, slog.Level(level), ts)
		}
		d.Advance(time.Unix(0, base).Add(time.Hour))
		st := d.Snapshot().Stats
		require.Equal(t, total, st.Records+st.Untimed, "every record counted once")
		require.LessOrEqual(t, st.Patterns, 8)
		for _, e := range events {
			if !e.Active() {
				require.False(t, e.End.Before(e.Start.Truncate(time.Second)), "event %+v ends before it starts", e)
			}
		}
		require.NoError(t, d.Shutdown(t.Context()))
	})
}

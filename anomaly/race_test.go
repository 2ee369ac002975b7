package anomaly_test

import (
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestDetector_Races is meant for -race: goroutines observe overlapping
// patterns with interleaved (partly out-of-order) times while others take
// snapshots and advance time, with a callback and a channel attached.
func TestDetector_Races(t *testing.T) {
	var calls atomic.Int64
	d, err := anomaly.New(
		anomaly.WithMaxPatterns(64),
		anomaly.WithEventBuffer(16),
		anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 2, MinHistoryIntervals: 2}),
		anomaly.WithCallback(func(anomaly.Event) { calls.Add(1) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	const workers, perWorker = 4, 3000
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				msg := "worker message kind" + strconv.Itoa((i*7+w)%97)
				lvl := slog.LevelInfo
				if i%13 == 0 {
					lvl = slog.LevelError
				}
				// Each worker runs its own clock; they drift by up to 2 s.
				d.Observe(signature.OfTemplate(msg), msg, lvl, at(i/100+w%3, float64(i%100)/100))
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			_ = d.Snapshot()
			d.Advance(at(i/10, 0))
		}
	})
	var reader sync.WaitGroup
	reader.Go(func() {
		for range d.Events() {
		}
	})
	wg.Wait()
	assert.NoError(t, d.Shutdown(t.Context()))
	reader.Wait() // the channel is closed by Shutdown
	st := d.Snapshot().Stats
	assert.Equal(t, uint64(workers*perWorker), st.Records, "every record counted once")
	assert.LessOrEqual(t, st.Patterns, 64)
}

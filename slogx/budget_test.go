package slogx_test

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// newUserRate is the rate of issue 10's new-user scenario: 31.9 M records
// in 12 s from one goroutine. The test runs at newUserScale of it.
const newUserRate = 2_660_000

var newUserScale = flag.Float64("newuser.scale", 0.05, "scale of TestNewUserBudget's record rate (1: 2.66 M records/s)")

// lineCounter counts the records a JSON handler writes, and the ERROR ones.
type lineCounter struct{ lines, errors atomic.Int64 }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.lines.Add(int64(bytes.Count(p, []byte{'\n'})))
	c.errors.Add(int64(bytes.Count(p, []byte(`"level":"ERROR"`))))
	return len(p), nil
}

// TestNewUserBudget reproduces issue 10's new user on record times: the
// setup of README section 1 (the default anomaly detector as the valve,
// policy.Default with TargetPerSecond 50, slogx over a JSON handler), one
// goroutine logging "request served" with attributes for 12 s, 1 record in
// 1000 at ERROR. Before the budget held from the first window, the first
// 10 s kept every record. Now the non-ERROR records kept stay within 2×
// the target per second plus the first N of each window, and every ERROR
// record is kept.
func TestNewUserBudget(t *testing.T) {
	const (
		seconds = 12
		target  = 50
	)
	rate := int(newUserRate * *newUserScale)
	if testing.Short() {
		rate = min(rate, 20_000)
	}
	det, err := anomaly.New()
	require.NoError(t, err)
	p := policy.Default()
	p.TargetPerSecond = target
	s, err := sampler.New(sampler.WithPolicy(p), sampler.WithValve(det))
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, s.Shutdown(context.Background()))
		require.NoError(t, det.Shutdown(context.Background()))
	})
	var out lineCounter
	h := slogx.New(slog.NewJSONHandler(&out, nil), s)
	ctx := context.Background()
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	total := seconds * rate
	step := time.Second / time.Duration(rate)
	for i := range total {
		level, msg := slog.LevelInfo, "request served"
		if i%1000 == 999 {
			level, msg = slog.LevelError, "request failed"
		}
		r := slog.NewRecord(start.Add(time.Duration(i)*step), level, msg, 0)
		r.AddAttrs(slog.String("method", "GET"), slog.Int("status", 200), slog.Int("bytes", i))
		if h.Enabled(ctx, level) {
			require.NoError(t, h.Handle(ctx, r))
		}
	}
	errs, kept := out.errors.Load(), out.lines.Load()
	t.Logf("%d records at %d/s for %d s: kept %d (%d ERROR of %d, %d others)", total, rate, seconds, kept, errs, total/1000, kept-errs)
	assert.Equal(t, int64(total/1000), errs, "every ERROR record is kept")
	// 2 windows of 10 s: first N (10) of each pattern in each.
	bound := 2*target*seconds + 2*policy.DefaultFirstN
	assert.LessOrEqual(t, kept-errs, int64(bound), "non-ERROR kept: at most 2× the target per second plus first-N")
	assert.GreaterOrEqual(t, kept-errs, int64(target*seconds/2), "non-ERROR kept: the budget is used")
}

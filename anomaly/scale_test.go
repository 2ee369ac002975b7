package anomaly_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
)

func TestWithScales_Validate(t *testing.T) {
	tests := []struct {
		name string
		opts []anomaly.Option
		ok   bool
	}{
		{"defaults", nil, true},
		{"interval alone", []anomaly.Option{anomaly.WithInterval(time.Minute)}, true},
		{"interval and scales", []anomaly.Option{anomaly.WithInterval(10 * time.Second), anomaly.WithScales(time.Minute, time.Hour)}, true},
		{"no coarse scale", []anomaly.Option{anomaly.WithScales()}, true},
		{"not a multiple", []anomaly.Option{anomaly.WithInterval(7 * time.Second), anomaly.WithScales(time.Minute)}, false},
		{"not increasing", []anomaly.Option{anomaly.WithScales(time.Minute, 10*time.Second)}, false},
		{"equal to the interval", []anomaly.Option{anomaly.WithScales(time.Second)}, false},
		{"too many", []anomaly.Option{anomaly.WithScales(2*time.Second, 4*time.Second, 8*time.Second, 16*time.Second, 32*time.Second)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := anomaly.New(tc.opts...)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.True(t, errors.Is(err, anomaly.ErrInvalidOption), "error %v wraps ErrInvalidOption", err)
			}
		})
	}
}

// collect returns a detector with the given options whose opened events
// (other than new patterns) are appended to *evs.
func collect(t *testing.T, evs *[]anomaly.Event, opts ...anomaly.Option) *anomaly.Detector {
	t.Helper()
	d, err := anomaly.New(append([]anomaly.Option{anomaly.WithCallback(func(e anomaly.Event) {
		if e.Active() && e.Type != anomaly.NewPattern {
			*evs = append(*evs, e)
		}
	})}, opts...)...)
	require.NoError(t, err)
	return d
}

// TestDetector_RateDrop: a steady 20/s pattern falls to 12/s (−40 %). No
// single second is improbable (the 1 s test would need a drop to about 3),
// but a coarse bucket is: the default detector reports a rate_drop at a
// coarse scale, with the baseline of that scale, and the 1 s-only detector
// (WithInterval) does not.
func TestDetector_RateDrop(t *testing.T) {
	p := newPat("drop", slog.LevelInfo)
	run := func(opts ...anomaly.Option) []anomaly.Event {
		var evs []anomaly.Event
		d := collect(t, &evs, opts...)
		feed(d, p, 0, 1800, 20)
		feed(d, p, 1800, 2400, 12)
		d.Advance(at(2400, 0))
		return evs
	}
	evs := run()
	require.NotEmpty(t, evs, "a 40 %% drop is reported")
	e := evs[0]
	assert.Equal(t, anomaly.RateDrop, e.Type)
	assert.Greater(t, e.Scale, time.Second, "found at a coarse scale")
	perSec := e.Baseline / e.Scale.Seconds()
	assert.InDelta(t, 20, perSec, 1, "baseline is 20/s in units of the scale")
	assert.Less(t, e.Value, e.Baseline, "value below baseline")
	assert.Negative(t, e.Score)
	assert.GreaterOrEqual(t, e.Confidence, 0.99)
	assert.False(t, e.Detected.Before(at(1800, 0)), "not before the drop")
	assert.True(t, e.Detected.Before(at(1800+300, 0)), "within 5 minutes, detected %v", e.Detected)
	for _, e := range evs {
		assert.NotEqual(t, anomaly.RateSpike, e.Type, "a drop is not a spike: %+v", e)
	}

	assert.Empty(t, run(anomaly.WithInterval(time.Second)), "one 1 s scale sees no single improbable second")
}

// TestDetector_HourlyBurstIsNormal: a pattern that bursts 8× during the
// same two minutes of every hour is reported at most in its first hours;
// once the hourly profile has two periods, the bursts are the norm, while
// an 8× burst at another minute is still reported.
func TestDetector_HourlyBurstIsNormal(t *testing.T) {
	p := newPat("hourly", slog.LevelInfo)
	var evs []anomaly.Event
	d := collect(t, &evs)
	rate := func(sec int) int {
		if m := sec % 3600 / 60; m == 17 || m == 18 {
			return 16
		}
		return 2
	}
	for sec := range 6 * 3600 {
		n := rate(sec)
		if sec >= 5*3600+40*60 && sec < 5*3600+42*60 {
			n = 16 // the same burst at minute 40: not the norm
		}
		feed(d, p, sec, sec+1, n)
	}
	d.Advance(at(6*3600, 0))
	var late, at40 int
	for _, e := range evs {
		switch {
		case e.Detected.After(at(5*3600+40*60, 0)) && e.Detected.Before(at(5*3600+50*60, 0)):
			at40++
		case e.Detected.After(at(2*3600+30*60, 0)):
			late++
			t.Logf("late event: %v at %v scale %v value %v baseline %v", e.Type, e.Detected.Sub(t0), e.Scale, e.Value, e.Baseline)
		}
	}
	assert.Zero(t, late, "no event for the hourly bursts after two periods")
	assert.Positive(t, at40, "the burst at an unusual minute is reported")
}

// TestDetector_NoDisappearanceAfterBurst: a sparse pattern (one record a
// minute) bursts for a minute and returns to its pace; the burst must not
// make its next quiet minute look like a disappearance.
func TestDetector_NoDisappearanceAfterBurst(t *testing.T) {
	p := newPat("sparse", slog.LevelInfo)
	var evs []anomaly.Event
	d := collect(t, &evs)
	for sec := 0; sec < 4*3600; sec++ {
		n := 0
		if sec%60 == 0 {
			n = 1
		}
		if sec >= 3*3600 && sec < 3*3600+60 {
			n = 5
		}
		feed(d, p, sec, sec+1, n)
	}
	d.Advance(at(4*3600, 0))
	for _, e := range evs {
		assert.NotEqual(t, anomaly.Disappeared, e.Type, "disappeared after a burst: %+v", e)
	}
	assert.NotEmpty(t, evs, "the burst itself is reported")
}

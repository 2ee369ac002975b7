package anomaly_test

import (
	"errors"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/leaktest"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

// pat is a hand-made pattern for the deterministic tests.
type pat struct {
	sig   signature.Sig
	msg   string
	level slog.Level
}

func newPat(name string, level slog.Level) pat {
	msg := name + " request 17 failed after 3 retries"
	return pat{sig: signature.Of(msg), msg: msg, level: level}
}

// at returns the simulated time of second sec plus frac of a second.
func at(sec int, frac float64) time.Time {
	return t0.Add(time.Duration((float64(sec) + frac) * float64(time.Second)))
}

// feed sends perSec evenly spaced records of p for every second in
// [from, to) and returns, per second, whether the valve was open for the
// last record of that second.
func feed(d *anomaly.Detector, p pat, from, to, perSec int) map[int]bool {
	open := map[int]bool{}
	for sec := from; sec < to; sec++ {
		for i := range perSec {
			open[sec] = d.Observe(p.sig, p.msg, p.level, at(sec, (float64(i)+0.5)/float64(perSec)))
		}
	}
	return open
}

// interleave sends several patterns second by second so that time only
// moves forward.
type stream struct {
	p            pat
	from, to, ps int
}

func interleave(d *anomaly.Detector, streams ...stream) map[signature.Sig]map[int]bool {
	open := map[signature.Sig]map[int]bool{}
	last := 0
	for _, s := range streams {
		open[s.p.sig] = map[int]bool{}
		last = max(last, s.to)
	}
	for sec := range last {
		for _, s := range streams {
			if sec >= s.from && sec < s.to {
				for i := range s.ps {
					open[s.p.sig][sec] = d.Observe(s.p.sig, s.p.msg, s.p.level, at(sec, (float64(i)+0.5)/float64(s.ps)))
				}
			}
		}
	}
	return open
}

func newDetector(t *testing.T, c *collector, opts ...anomaly.Option) *anomaly.Detector {
	t.Helper()
	d, err := anomaly.New(append([]anomaly.Option{anomaly.WithCallback(c.add)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, d.Shutdown(t.Context())) })
	return d
}

func TestDetector_RateSpike(t *testing.T) {
	var c collector
	d := newDetector(t, &c)
	a := newPat("alpha", slog.LevelInfo)
	before := feed(d, a, 0, 100, 10)
	spike := feed(d, a, 100, 105, 200)
	after := feed(d, a, 105, 140, 10)

	require.Equal(t, 1, c.count(anomaly.RateSpike), "one spike: %+v", c.opened)
	ev := c.opened[0]
	assert.Equal(t, a.sig, ev.Pattern)
	assert.Equal(t, signature.Normalize(a.msg), ev.Template)
	assert.Equal(t, at(100, 0), ev.Start, "spike starts with its interval")
	assert.Less(t, ev.Detected.Sub(ev.Start), time.Second, "detected within the first spiked interval")
	assert.InDelta(t, 10, ev.Baseline, 0.5, "baseline is the steady rate")
	assert.Greater(t, ev.Score, 6.0)
	assert.Greater(t, ev.Confidence, 1-1e-6)
	assert.Equal(t, anomaly.SeverityWarning, ev.Severity)

	require.Len(t, c.closed, 1)
	assert.Equal(t, ev.ID, c.closed[0].ID, "close carries the open's ID")
	assert.Equal(t, at(105, 0), c.closed[0].End, "ends at the first quiet interval")
	assert.InDelta(t, 200, c.closed[0].Value, 0.5, "peak per-interval count")

	for sec := 10; sec < 100; sec++ {
		assert.False(t, before[sec], "valve closed before the spike (second %d)", sec)
	}
	for sec := 100; sec < 105; sec++ {
		assert.True(t, spike[sec], "valve open during the spike (second %d)", sec)
	}
	// Quiet 105, 106 close it (end of 106); decay 10 intervals keeps 107..116 open.
	for sec := 105; sec <= 116; sec++ {
		assert.True(t, after[sec], "valve open in the decay window (second %d)", sec)
	}
	for sec := 117; sec < 140; sec++ {
		assert.False(t, after[sec], "valve closed after the decay window (second %d)", sec)
	}
}

func TestDetector_NewPattern(t *testing.T) {
	const warnWindow = 40 // Thresholds.NewWarnWindowIntervals, to keep the test short
	tests := []struct {
		name     string
		level    slog.Level
		from     int
		want     bool
		severity anomaly.Severity
		window   int // intervals
	}{
		{name: "error-after-warmup", level: slog.LevelError, from: 80, want: true, severity: anomaly.SeverityCritical, window: warnWindow},
		{name: "warn-after-warmup", level: slog.LevelWarn, from: 80, want: true, severity: anomaly.SeverityWarning, window: warnWindow},
		{name: "info-after-warmup", level: slog.LevelInfo, from: 80, want: true, severity: anomaly.SeverityInfo, window: anomaly.DefaultNewWindowIntervals},
		{name: "debug-after-warmup", level: slog.LevelDebug, from: 80, want: true, severity: anomaly.SeverityInfo, window: anomaly.DefaultNewWindowIntervals},
		{name: "during-warmup", level: slog.LevelError, from: 30, want: false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var c collector
			d := newDetector(t, &c, anomaly.WithThresholds(anomaly.Thresholds{NewWarnWindowIntervals: warnWindow}))
			bg := newPat("background", slog.LevelInfo)
			// Steady background errors, so that one more error a second
			// is no error surge (which would open the valve for all).
			bgErr := newPat("background failure", slog.LevelError)
			nw := newPat("brand new", test.level)
			open := interleave(d, stream{bg, 0, 160, 5}, stream{bgErr, 0, 160, 3}, stream{nw, test.from, 160, 1})
			if !test.want {
				assert.Zero(t, c.count(anomaly.NewPattern), "no new pattern during warm-up: %+v", c.opened)
				return
			}
			require.Equal(t, 1, c.count(anomaly.NewPattern), "events: %+v", c.opened)
			ev := c.opened[0]
			assert.Equal(t, nw.sig, ev.Pattern)
			assert.Equal(t, signature.Normalize(nw.msg), ev.Template)
			assert.Equal(t, test.severity, ev.Severity)
			assert.Equal(t, test.level, ev.Level)
			assert.Equal(t, at(test.from, 0.5), ev.Start)
			for sec := test.from; sec < test.from+test.window; sec++ {
				assert.True(t, open[nw.sig][sec], "valve open in the first window (second %d)", sec)
			}
			assert.False(t, open[nw.sig][test.from+test.window], "window over")
			require.Len(t, c.closed, 1)
			assert.Equal(t, at(test.from+test.window, 0), c.closed[0].End)
			assert.InDelta(t, test.window, c.closed[0].Value, 0.5, "records in the window")
		})
	}
}

func TestDetector_Disappeared(t *testing.T) {
	var c collector
	d := newDetector(t, &c)
	steady := newPat("steady", slog.LevelInfo)
	bg := newPat("background", slog.LevelInfo)
	open := interleave(d, stream{bg, 0, 200, 3}, stream{steady, 0, 100, 10}, stream{steady, 150, 200, 10})

	require.Equal(t, 1, c.count(anomaly.Disappeared), "events: %+v", c.opened)
	ev := c.opened[0]
	assert.Equal(t, steady.sig, ev.Pattern)
	assert.Equal(t, signature.Normalize(steady.msg), ev.Template, "steady patterns keep their template")
	assert.Equal(t, at(100, 0), ev.Start, "silence starts after the last record")
	assert.Equal(t, at(100+anomaly.DefaultMinSilentIntervals, 0), ev.Detected, "MinSilentIntervals of silence at presence 1")
	require.Len(t, c.closed, 1)
	assert.Equal(t, at(150, 0), c.closed[0].End, "closed by the first record after the silence")
	for sec := 150; sec <= 160; sec++ {
		assert.True(t, open[steady.sig][sec], "valve open after the return (second %d)", sec)
	}
	assert.False(t, open[steady.sig][161])
}

func TestDetector_ErrorSurge(t *testing.T) {
	tests := []struct {
		name      string
		scope     anomaly.Scope
		infoKept  bool
		errsPerS  int
		wantSurge bool
	}{
		{name: "service-scope", scope: anomaly.ScopeService, infoKept: true, errsPerS: 40, wantSurge: true},
		{name: "errors-scope", scope: anomaly.ScopeErrors, infoKept: false, errsPerS: 40, wantSurge: true},
		{name: "small-bump", scope: anomaly.ScopeService, errsPerS: 2, wantSurge: false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var c collector
			d := newDetector(t, &c, anomaly.WithSurgeScope(test.scope))
			info := newPat("served", slog.LevelInfo)
			// Errors spread over 20 patterns: no single pattern reaches
			// MinCount in an interval.
			infoOpen := map[int]bool{}
			for sec := range 140 {
				for i := range 100 {
					o := d.Observe(info.sig, info.msg, info.level, at(sec, float64(i)/100))
					if i == 0 {
						infoOpen[sec] = o
					}
				}
				n := 1
				if sec >= 100 && sec < 110 {
					n = test.errsPerS
				}
				for i := range n {
					e := newPat("failure"+strconv.Itoa((sec*7+i)%20), slog.LevelError)
					d.Observe(e.sig, e.msg, e.level, at(sec, (float64(i)+0.5)/float64(n)))
				}
			}
			if !test.wantSurge {
				assert.Zero(t, c.count(anomaly.ErrorSurge), "events: %+v", c.opened)
				return
			}
			var surge anomaly.Event
			for _, e := range c.opened {
				if e.Type == anomaly.ErrorSurge {
					surge = e
				}
			}
			require.Equal(t, 1, c.count(anomaly.ErrorSurge), "events: %+v", c.opened)
			assert.Equal(t, at(100, 0), surge.Start)
			assert.Less(t, surge.Detected.Sub(surge.Start), time.Second)
			assert.Equal(t, anomaly.SeverityCritical, surge.Severity)
			assert.InDelta(t, 1, surge.Baseline, 0.5)
			// Quiet 110 and 111 close it; decay keeps the valve open through 121.
			// (Each error pattern also rose 40×, from 0.05/s to 2/s: the
			// low-rate CUSUM reports those as rate spikes.)
			var closed []anomaly.Event
			for _, e := range c.closed {
				if e.Type == anomaly.ErrorSurge {
					closed = append(closed, e)
				}
			}
			require.Len(t, closed, 1)
			assert.Equal(t, at(110, 0), closed[0].End)
			assert.False(t, infoOpen[100], "first INFO record precedes the surge")
			for sec := 101; sec <= 121; sec++ {
				assert.Equal(t, test.infoKept, infoOpen[sec], "INFO record during surge or decay (second %d)", sec)
			}
			assert.False(t, infoOpen[122], "decay over")
			old := newPat("failure0", slog.LevelError)
			assert.False(t, d.Observe(old.sig, old.msg, old.level, at(139, 0.99)), "no surge at the end")
		})
	}
}

func TestDetector_TimeEdgeCases(t *testing.T) {
	var c collector
	d := newDetector(t, &c)
	p := newPat("p", slog.LevelInfo)
	assert.False(t, d.Observe(p.sig, p.msg, p.level, time.Time{}), "untimed record before any time")
	feed(d, p, 0, 20, 5)
	// Late and out-of-order records are counted in the current interval.
	for i := range 10 {
		d.Observe(p.sig, p.msg, p.level, at(19-i, 0))
	}
	d.Observe(p.sig, p.msg, p.level, time.Time{})
	// Times before 1970 and a far jump forward must not panic.
	d.Observe(p.sig, p.msg, p.level, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC))
	d.Observe(p.sig, p.msg, p.level, at(100000, 0))
	d.Advance(at(200000, 0))
	st := d.Snapshot().Stats
	assert.Equal(t, uint64(1), st.Untimed)
	assert.Equal(t, uint64(10), st.Late, "9 out-of-order + the 1960 record; at(19) is in the current interval")
	assert.Equal(t, uint64(100+10+1+1+1), st.Records)
}

func TestDetector_Eviction(t *testing.T) {
	var c collector
	d := newDetector(t, &c, anomaly.WithMaxPatterns(32))
	for i := range 2000 {
		msg := "unique message " + strconv.Itoa(i)
		d.Observe(signature.OfTemplate(msg), msg, slog.LevelInfo, at(i/100, float64(i%100)/100))
	}
	st := d.Snapshot().Stats
	assert.LessOrEqual(t, st.Patterns, 32, "table capped")
	assert.Equal(t, uint64(2000-st.Patterns), st.Evicted, "every other pattern was evicted")
	assert.Equal(t, uint64(2000), st.Records)
}

func TestDetector_NewPatternBudget(t *testing.T) {
	var c collector
	d := newDetector(t, &c, anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 1, MaxNewPerInterval: 5}))
	bg := newPat("bg", slog.LevelInfo)
	feed(d, bg, 0, 3, 1)
	for i := range 50 {
		msg := "flood " + strconv.Itoa(i)
		d.Observe(signature.OfTemplate(msg), msg, slog.LevelInfo, at(3, float64(i)/100))
	}
	assert.Equal(t, 5, c.count(anomaly.NewPattern))
	assert.Equal(t, uint64(45), d.Snapshot().Stats.SuppressedNew)
}

// TestDetector_NewErrorKeptInFull checks that every record of a new ERROR
// pattern is kept for its first window, at a high rate (no other detector
// helps: the pattern's own spike test needs history) and when a flood of new
// INFO patterns has used up the new-pattern event budget of the interval.
func TestDetector_NewErrorKeptInFull(t *testing.T) {
	tests := []struct {
		name      string
		perSec    int
		flood     int // new INFO patterns just before the ERROR one
		window    int // intervals kept in full
		wantEvent bool
	}{
		// Under NewWarnMaxRecords (300 < 1000): the whole extended window.
		{name: "1-per-second", perSec: 1, window: anomaly.DefaultNewWarnWindowIntervals, wantEvent: true},
		// 1000 records within NewWindowIntervals: no extension.
		{name: "200-per-second", perSec: 200, window: anomaly.DefaultNewWindowIntervals, wantEvent: true},
		// 20/s reaches 1000 records in interval 49.
		{name: "20-per-second", perSec: 20, window: 50, wantEvent: true},
		// No event over the budget, and no extension either.
		{name: "after-budget-flood", perSec: 20, flood: 150, window: anomaly.DefaultNewWindowIntervals, wantEvent: false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var c collector
			d := newDetector(t, &c)
			bg := newPat("background", slog.LevelInfo)
			bgErr := newPat("background failure", slog.LevelError)
			nw := newPat("never seen", slog.LevelError)
			feedBoth := func(from, to int) {
				for sec := from; sec < to; sec++ {
					feed(d, bg, sec, sec+1, 50)
					feed(d, bgErr, sec, sec+1, 60)
				}
			}
			feedBoth(0, 100)
			for i := range test.flood {
				msg := "flood " + strconv.Itoa(i)
				d.Observe(signature.OfTemplate(msg), msg, slog.LevelInfo, at(100, 0))
			}
			window := test.window
			var kept, total int
			for sec := 100; sec < 100+window; sec++ {
				for i := range test.perSec {
					total++
					if d.Observe(nw.sig, nw.msg, nw.level, at(sec, (float64(i)+0.5)/float64(test.perSec))) {
						kept++
					}
				}
				feed(d, bg, sec, sec+1, 50)
				feed(d, bgErr, sec, sec+1, 60)
			}
			assert.Equal(t, total, kept, "every record of the first window kept")
			assert.False(t, d.Observe(nw.sig, nw.msg, nw.level, at(100+window, 0.5)), "window over")
			var got bool
			for _, e := range c.opened {
				if e.Type == anomaly.NewPattern && e.Pattern == nw.sig {
					got = true
				}
			}
			assert.Equal(t, test.wantEvent, got, "NewPattern event (budget: %d)", anomaly.DefaultMaxNewPerInterval)
		})
	}
}

func TestDetector_Channel(t *testing.T) {
	d, err := anomaly.New(anomaly.WithEventBuffer(2), anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 1}))
	require.NoError(t, err)
	bg := newPat("bg", slog.LevelInfo)
	feed(d, bg, 0, 3, 1)
	for i := range 10 {
		msg := "new " + strconv.Itoa(i)
		d.Observe(signature.OfTemplate(msg), msg, slog.LevelWarn, at(3, float64(i)/100))
	}
	snap := d.Snapshot()
	assert.Equal(t, uint64(10), snap.Stats.EventsOpened)
	assert.Equal(t, uint64(8), snap.Stats.DroppedEvents, "buffer of 2, never blocks")
	assert.Len(t, snap.Active, 10)
	require.NoError(t, d.Shutdown(t.Context()))
	require.NoError(t, d.Shutdown(t.Context()), "idempotent")
	var got []anomaly.Event
	for e := range d.Events() {
		got = append(got, e)
	}
	assert.Len(t, got, 2, "buffered events stay readable after Shutdown closes the channel")
	assert.NotPanics(t, func() { d.Observe(bg.sig, bg.msg, bg.level, at(4, 0)) }, "Observe after Shutdown")
}

func TestDetector_CallbackPanic(t *testing.T) {
	calls := 0
	d, err := anomaly.New(anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 1}),
		anomaly.WithCallback(func(anomaly.Event) { calls++; panic("boom") }))
	require.NoError(t, err)
	bg := newPat("bg", slog.LevelInfo)
	feed(d, bg, 0, 3, 1)
	nw := newPat("fresh", slog.LevelError)
	assert.NotPanics(t, func() { d.Observe(nw.sig, nw.msg, nw.level, at(3, 0)) })
	assert.Equal(t, 1, calls)
	assert.Equal(t, uint64(1), d.Snapshot().Stats.CallbackPanics)
	require.NoError(t, d.Shutdown(t.Context()))
}

func TestDetector_Snapshot(t *testing.T) {
	d, err := anomaly.New(anomaly.WithRecent(2), anomaly.WithThresholds(anomaly.Thresholds{WarmupIntervals: 1, NewWindowIntervals: 1, NewWarnWindowIntervals: 1}))
	require.NoError(t, err)
	bg := newPat("bg", slog.LevelInfo)
	feed(d, bg, 0, 3, 1)
	names := []string{"alpha", "beta", "gamma", "delta"}
	for i, name := range names {
		p := newPat(name, slog.LevelWarn)
		d.Observe(p.sig, p.msg, p.level, at(3+i, 0))
	}
	d.Advance(at(10, 0))
	snap := d.Snapshot()
	assert.Empty(t, snap.Active)
	require.Len(t, snap.Recent, 2, "bounded by WithRecent")
	assert.Equal(t, signature.Normalize(newPat("gamma", 0).msg), snap.Recent[0].Template, "oldest first")
	assert.Equal(t, signature.Normalize(newPat("delta", 0).msg), snap.Recent[1].Template)
	require.NoError(t, d.Shutdown(t.Context()))
}

func TestNew_Options(t *testing.T) {
	tests := []struct {
		name string
		opt  anomaly.Option
		ok   bool
	}{
		{name: "defaults", opt: anomaly.WithThresholds(anomaly.Thresholds{}), ok: true},
		{name: "interval", opt: anomaly.WithInterval(time.Minute), ok: true},
		{name: "negative-interval", opt: anomaly.WithInterval(-1)},
		{name: "negative-patterns", opt: anomaly.WithMaxPatterns(-1)},
		{name: "negative-recent", opt: anomaly.WithRecent(-1)},
		{name: "negative-buffer", opt: anomaly.WithEventBuffer(-1)},
		{name: "bad-scope", opt: anomaly.WithSurgeScope(7)},
		{name: "alpha-too-big", opt: anomaly.WithThresholds(anomaly.Thresholds{Alpha: 0.5})},
		{name: "smoothing-one", opt: anomaly.WithThresholds(anomaly.Thresholds{Smoothing: 1})},
		{name: "presence-above-one", opt: anomaly.WithThresholds(anomaly.Thresholds{MinPresence: 1.5})},
		{name: "negative-min-count", opt: anomaly.WithThresholds(anomaly.Thresholds{MinCount: -1})},
		{name: "nan-ratio", opt: anomaly.WithThresholds(anomaly.Thresholds{SpikeRatio: nanValue()})},
		{name: "nil-option", opt: nil, ok: true},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			d, err := anomaly.New(test.opt)
			if test.ok {
				require.NoError(t, err)
				require.NotNil(t, d)
				return
			}
			assert.True(t, errors.Is(err, anomaly.ErrInvalidOption), "err = %v", err)
			assert.Nil(t, d)
		})
	}
}

func nanValue() float64 { z := 0.0; return z / z }

func TestType_String(t *testing.T) {
	tests := []struct {
		typ  anomaly.Type
		sev  anomaly.Severity
		want string
		sevs string
	}{
		{anomaly.RateSpike, anomaly.SeverityInfo, "rate_spike", "info"},
		{anomaly.ErrorSurge, anomaly.SeverityWarning, "error_surge", "warning"},
		{anomaly.NewPattern, anomaly.SeverityCritical, "new_pattern", "critical"},
		{anomaly.Disappeared, 0, "disappeared", "unknown"},
		{0, 9, "unknown", "unknown"},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, test.typ.String())
		assert.Equal(t, test.sevs, test.sev.String())
		b, err := test.typ.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, test.want, string(b))
	}
}

// valve is the method set of the sampler's Valve interface, restated here
// because anomaly must not import sampler.
type valve interface {
	Observe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool)
}

var _ valve = (*anomaly.Detector)(nil)

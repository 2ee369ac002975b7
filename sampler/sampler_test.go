package sampler_test

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestDecideOrder(t *testing.T) {
	const msg = "cache miss"
	sig := patternOf(msg)
	open := valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { return true })
	tests := []struct {
		name   string
		pol    *policy.Policy
		valve  sampler.Valve
		prior  int // records of the pattern decided before the one checked
		rec    *sampler.Record
		want   sampler.Decision
		reason string
	}{
		{name: "global 0 drops", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0)},
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal}},
		{name: "global 1 keeps", pol: policy.KeepAll(),
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal}},
		{name: "severity beats global", pol: &policy.Policy{GlobalRate: new(1.0), SeverityRates: map[string]float64{"DEBUG": 0}, FirstN: new(0)},
			rec:  rec(msg, slog.LevelDebug, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonSeverity}},
		{name: "ERROR is 1.0 by default", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0)},
			rec:  rec(msg, slog.LevelError, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonSeverity}},
		{name: "CRITICAL is 1.0 by default", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0)},
			rec:  rec(msg, slog.LevelError+4, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonSeverity}},
		{name: "ERROR explicitly 0", pol: &policy.Policy{GlobalRate: new(1.0), SeverityRates: map[string]float64{"ERROR": 0}, FirstN: new(0)},
			rec:  rec(msg, slog.LevelError, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonSeverity}},
		{name: "pattern beats severity", pol: &policy.Policy{SeverityRates: map[string]float64{"INFO": 1},
			PatternRates: map[signature.Sig]float64{sig: 0}, FirstN: new(0)},
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonPattern}},
		{name: "pattern beats implicit ERROR", pol: &policy.Policy{PatternRates: map[signature.Sig]float64{sig: 0}, FirstN: new(0)},
			rec:  rec(msg, slog.LevelError, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonPattern}},
		{name: "other pattern unaffected", pol: &policy.Policy{PatternRates: map[signature.Sig]float64{sig + 1: 0}, FirstN: new(0)},
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal}},
		{name: "valve beats pattern", pol: &policy.Policy{PatternRates: map[signature.Sig]float64{sig: 0}, FirstN: new(0)}, valve: open,
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonAnomaly}},
		{name: "valve with boost multiplies", pol: &policy.Policy{PatternRates: map[signature.Sig]float64{sig: 0.125}, AnomalyBoost: 4, FirstN: new(0)},
			valve: open, rec: &sampler.Record{Time: t0, Message: msg, TraceID: traceWithLow(0)},
			want: sampler.Decision{Keep: true, Rate: 0.5, Pattern: sig, Signature: sig, Reason: sampler.ReasonAnomaly}},
		{name: "valve boost capped at 1", pol: &policy.Policy{GlobalRate: new(0.5), AnomalyBoost: 4, FirstN: new(0)}, valve: open,
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonAnomaly}},
		{name: "first N beats valve and rates", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(2)}, valve: open, prior: 1,
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonFirstN}},
		{name: "after first N", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(2)}, prior: 2,
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal}},
		{name: "exempt level", pol: &policy.Policy{GlobalRate: new(0.0), Exempt: &policy.Exemptions{Levels: []string{"WARNING"}}},
			prior: 50, rec: rec(msg, slog.LevelWarn, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonExempt}},
		{name: "exempt attr key", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "audit"}}}},
			rec:  rec(msg, slog.LevelInfo, t0, sampler.Attr{Key: "user", Value: "u"}, sampler.Attr{Key: "audit"}),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonExempt}},
		{name: "exempt attr value", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "tenant", Value: "vip"}}}},
			rec:  rec(msg, slog.LevelInfo, t0, sampler.Attr{Key: "tenant", Value: "vip"}),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonExempt}},
		{name: "attr value mismatch", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "tenant", Value: "vip"}}}},
			rec:  rec(msg, slog.LevelInfo, t0, sampler.Attr{Key: "tenant", Value: "free"}),
			want: sampler.Decision{Keep: false, Rate: 0, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal}},
		{name: "exempt beats pattern", pol: &policy.Policy{PatternRates: map[signature.Sig]float64{sig: 0}, FirstN: new(0),
			Exempt: &policy.Exemptions{Levels: []string{"DEBUG"}}},
			rec:  rec(msg, slog.LevelDebug, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonExempt}},
		{name: "dry run", pol: &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), DryRun: true},
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal, DryRun: true, WouldDrop: true}},
		{name: "dry run keep", pol: &policy.Policy{FirstN: new(0), DryRun: true},
			rec:  rec(msg, slog.LevelInfo, t0),
			want: sampler.Decision{Keep: true, Rate: 1, Pattern: sig, Signature: sig, Reason: sampler.ReasonGlobal, DryRun: true}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			opts := []sampler.Option{sampler.WithPolicy(test.pol)}
			if test.valve != nil {
				opts = append(opts, sampler.WithValve(test.valve))
			}
			s := newSampler(t, opts...)
			for range test.prior {
				s.Decide(rec(test.rec.Message, test.rec.Level, test.rec.Time))
			}
			got := s.Decide(test.rec)
			assert.Equal(t, test.want, got)
		})
	}
}

// traceWithLow returns a trace ID whose bytes 8-15 are v (big endian).
func traceWithLow(v uint64) [16]byte {
	var id [16]byte
	id[0] = 0x4b
	binary.BigEndian.PutUint64(id[8:], v)
	return id
}

func TestDecidePattern(t *testing.T) {
	for _, cache := range []bool{true, false} {
		s := newSampler(t, sampler.WithSignatureCache(cache), sampler.WithAttrKeys(true))
		a := s.Decide(rec("user 42 logged in", slog.LevelInfo, t0, sampler.Attr{Key: "ip"}, sampler.Attr{Key: "ua"}))
		b := s.Decide(rec("user 7 logged in", slog.LevelInfo, t0, sampler.Attr{Key: "ua"}, sampler.Attr{Key: "ip"}))
		c := s.Decide(rec("user 7 logged in", slog.LevelInfo, t0, sampler.Attr{Key: "ua"}))
		again := s.Decide(rec("user 42 logged in", slog.LevelInfo, t0, sampler.Attr{Key: "ip"}, sampler.Attr{Key: "ua"}))
		assert.Equal(t, patternOf("user 42 logged in", "ip", "ua"), a.Pattern, "cache %v", cache)
		assert.Equal(t, a.Pattern, b.Pattern, "same template, same key set in another order (cache %v)", cache)
		assert.NotEqual(t, a.Pattern, c.Pattern, "another key set is another pattern (cache %v)", cache)
		assert.Equal(t, a.Pattern, again.Pattern, "cache %v", cache)
	}
	for _, opts := range [][]sampler.Option{nil, {sampler.WithAttrKeys(false)}} {
		s := newSampler(t, opts...)
		d := s.Decide(rec("user 42 logged in", slog.LevelInfo, t0, sampler.Attr{Key: "ip"}))
		assert.Equal(t, signature.Of("user 42 logged in"), d.Pattern, "keys are not in the pattern by default or with WithAttrKeys(false)")
	}
}

func TestFirstNPerWindow(t *testing.T) {
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(3)}))
	steps := []struct {
		at   time.Duration // after t0
		want sampler.Reason
	}{
		{0, sampler.ReasonFirstN},
		{time.Second, sampler.ReasonFirstN},
		{2 * time.Second, sampler.ReasonFirstN},
		{3 * time.Second, sampler.ReasonGlobal},
		{9 * time.Second, sampler.ReasonGlobal},
		{10 * time.Second, sampler.ReasonFirstN}, // a new 10 s window
		{5 * time.Second, sampler.ReasonFirstN},  // late record: counted in the current window
		{11 * time.Second, sampler.ReasonFirstN},
		{12 * time.Second, sampler.ReasonGlobal},
		{45 * time.Second, sampler.ReasonFirstN}, // windows may be skipped
	}
	for i, st := range steps {
		d := s.Decide(rec("tick", slog.LevelInfo, t0.Add(st.at)))
		assert.Equal(t, st.want, d.Reason, "step %d at +%v", i, st.at)
	}
}

func TestFirstNWindowFromPolicy(t *testing.T) {
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1), WindowSeconds: 1}))
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, t0)).Reason)
	assert.Equal(t, sampler.ReasonGlobal, s.Decide(rec("tick", 0, t0.Add(999*time.Millisecond))).Reason)
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, t0.Add(time.Second))).Reason)

	// A policy with another window length restarts the windows.
	require.NoError(t, s.SetPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1), WindowSeconds: 60}))
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, t0.Add(2*time.Second))).Reason)
	assert.Equal(t, sampler.ReasonGlobal, s.Decide(rec("tick", 0, t0.Add(30*time.Second))).Reason)
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, t0.Add(60*time.Second))).Reason)
}

func TestClockForZeroTime(t *testing.T) {
	clk := &fakeClock{t: t0}
	var seen []time.Time
	v := valveFunc(func(_ signature.Sig, _ string, _ slog.Level, at time.Time) bool {
		seen = append(seen, at)
		return false
	})
	s := newSampler(t, sampler.WithClock(clk), sampler.WithValve(v),
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}))
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, time.Time{})).Reason)
	assert.Equal(t, sampler.ReasonGlobal, s.Decide(rec("tick", 0, time.Time{})).Reason)
	clk.Set(t0.Add(10 * time.Second))
	assert.Equal(t, sampler.ReasonFirstN, s.Decide(rec("tick", 0, time.Time{})).Reason, "the clock moved to the next window")
	own := t0.Add(time.Hour)
	s.Decide(rec("tick", 0, own))
	assert.Equal(t, []time.Time{t0, t0, t0.Add(10 * time.Second), own}, seen, "the valve sees the record's time, or the clock's")
}

func TestTraceConsistent(t *testing.T) {
	rate := 0.3
	p := policy.Uniform(rate)
	s1 := newSampler(t, sampler.WithPolicy(p))
	s2 := newSampler(t, sampler.WithPolicy(p))
	s3 := newSampler(t, sampler.WithPolicy(policy.Uniform(0.6)))
	const n = 20000
	kept := 0
	for i := range n {
		var id [16]byte
		binary.BigEndian.PutUint64(id[0:], uint64(i)*0x9e3779b97f4a7c15)
		binary.BigEndian.PutUint64(id[8:], uint64(i)*0xbf58476d1ce4e5b9+0x94d049bb133111eb)
		r1 := &sampler.Record{Time: t0, Message: "a", TraceID: id}
		r2 := &sampler.Record{Time: t0, Message: "other service, other message", TraceID: id, Level: slog.LevelWarn}
		d1, d2, d3 := s1.Decide(r1), s2.Decide(r2), s3.Decide(r2)
		require.Equal(t, d1.Keep, d2.Keep, "trace %x: same rate, same decision", id)
		if d1.Keep {
			kept++
			require.True(t, d3.Keep, "trace %x kept at 0.3 must be kept at 0.6", id)
		}
		// The rule of OpenTelemetry's TraceIDRatioBased sampler.
		bound := rate * (1 << 63)
		want := binary.BigEndian.Uint64(id[8:])>>1 < uint64(bound)
		require.Equal(t, want, d1.Keep, "trace %x", id)
	}
	assert.InDelta(t, rate, float64(kept)/n, 0.02)

	// Boundary vectors: low bits 0 are kept at any rate > 0; all ones are
	// dropped at any rate < 1.
	assert.True(t, s1.Decide(&sampler.Record{Time: t0, Message: "a", TraceID: traceWithLow(0)}).Keep)
	assert.False(t, s3.Decide(&sampler.Record{Time: t0, Message: "a", TraceID: traceWithLow(math.MaxUint64)}).Keep)
}

func TestRateIsHonest(t *testing.T) {
	// Without a trace ID the draw is random: the kept fraction and the
	// re-weighted count (sum of 1/Rate over kept records) must match.
	s := newSampler(t, sampler.WithPolicy(policy.Uniform(0.1)))
	const n = 200000
	kept, weight := 0, 0.0
	for range n {
		d := s.Decide(rec("GET /health 200", slog.LevelInfo, t0))
		if d.Keep {
			kept++
			weight += 1 / d.Rate
		}
	}
	// Binomial(200000, 0.1): sd 134; 6 sd = 805.
	assert.InDelta(t, n/10, kept, 805)
	assert.InDelta(t, n, weight, 8050)
	st := s.Stats()
	assert.Equal(t, uint64(n), st.Seen)
	assert.Equal(t, uint64(kept), st.Kept)
	assert.Equal(t, uint64(n-kept), st.Dropped)
}

func TestKillSwitch(t *testing.T) {
	s := newSampler(t, sampler.WithPolicy(dropAll()))
	assert.False(t, s.Decide(rec("a", 0, t0)).Keep)
	s.Disable()
	assert.True(t, s.Disabled())
	d := s.Decide(rec("a", 0, t0))
	assert.Equal(t, sampler.Decision{Keep: true, Rate: 1, Reason: sampler.ReasonDisabled}, d)
	assert.Equal(t, uint64(1), s.Stats().Seen, "records decided under the kill switch are not counted")
	assert.True(t, s.Stats().Disabled)
	s.Enable()
	assert.False(t, s.Decide(rec("a", 0, t0)).Keep)
}

func TestSetPolicy(t *testing.T) {
	p := &policy.Policy{Version: 1, GlobalRate: new(0.0), FirstN: new(0)}
	s := newSampler(t, sampler.WithPolicy(p))
	*p.GlobalRate = 1 // the sampler copied the policy
	assert.False(t, s.Decide(rec("a", 0, t0)).Keep, "changing the policy after New has no effect")

	bad := &policy.Policy{Version: 2, GlobalRate: new(math.NaN())}
	err := s.SetPolicy(bad)
	require.Error(t, err)
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	assert.False(t, s.Decide(rec("a", 0, t0)).Keep, "a rejected policy does not replace the one in force")
	assert.Equal(t, int64(1), s.Policy().Version)
	assert.Equal(t, int64(1), s.Stats().PolicyVersion)
	require.Error(t, s.SetPolicy(nil))

	require.NoError(t, s.SetPolicy(&policy.Policy{Version: 3, FirstN: new(0)}))
	assert.True(t, s.Decide(rec("a", 0, t0)).Keep)
	assert.Equal(t, int64(3), s.Policy().Version)
}

func TestNewErrors(t *testing.T) {
	_, err := sampler.New(sampler.WithPolicy(&policy.Policy{GlobalRate: new(2.0)}))
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	_, err = sampler.New(sampler.WithMaxPatterns(-1))
	assert.Error(t, err)
	s, err := sampler.New(sampler.WithPolicy(nil), sampler.WithClock(nil), sampler.WithValve(nil), sampler.WithMaxPatterns(0))
	require.NoError(t, err)
	assert.Equal(t, policy.Default(), s.Policy(), "nil policy means Default")
	assert.NoError(t, s.Shutdown(t.Context()))
}

func TestStats(t *testing.T) {
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{Version: 9, GlobalRate: new(0.0), FirstN: new(2)}))
	for i := range 5 {
		s.Decide(rec("alpha event 1", slog.Level(i*4-4), t0.Add(time.Duration(i)*time.Second)))
	}
	for range 3 {
		s.Decide(rec("beta event", slog.LevelDebug, t0))
	}
	s.Decide(rec("gamma event", slog.LevelError, t0.Add(50*time.Millisecond)))
	st := s.Stats()
	assert.Equal(t, sampler.Stats{
		Seen: 9, Kept: 7, Dropped: 2, // alpha: 2 first-N, WARNING dropped, ERROR and CRITICAL kept
		Reasons: []sampler.ReasonStats{
			{Reason: sampler.ReasonFirstN, Decided: 5, Kept: 5}, // alpha 2, beta 2, gamma 1
			{Reason: sampler.ReasonSeverity, Decided: 2, Kept: 2},
			{Reason: sampler.ReasonGlobal, Decided: 2, Kept: 0},
		},
		Patterns: []sampler.PatternStats{
			{Pattern: patternOf("alpha event 1"), Seen: 5, Kept: 4, Dropped: 1, Template: signature.Normalize("alpha event 1"),
				FirstSeen: t0, LastSeen: t0.Add(4 * time.Second), Levels: [5]uint64{1, 1, 1, 1, 1}},
			{Pattern: patternOf("beta event"), Seen: 3, Kept: 2, Dropped: 1, Template: "beta event",
				FirstSeen: t0, LastSeen: t0, Levels: [5]uint64{3, 0, 0, 0, 0}},
			{Pattern: patternOf("gamma event"), Seen: 1, Kept: 1, Dropped: 0, Template: "gamma event",
				FirstSeen: t0.Add(50 * time.Millisecond), LastSeen: t0.Add(50 * time.Millisecond), Levels: [5]uint64{0, 0, 0, 1, 0}},
		},
		PolicyVersion: 9,
		// First-N keeps per second: alpha 1, beta 2 and gamma 1 in the
		// first second, alpha's second record in the next.
		Seconds: []sampler.SecondStats{{Start: t0, FirstN: 4}, {Start: t0.Add(time.Second), FirstN: 1}},
	}, st)

	ps := s.PatternStats()
	require.Len(t, ps, 3)
	assert.Equal(t, policy.PatternStat{Pattern: patternOf("alpha event 1"), Template: signature.Normalize("alpha event 1"),
		Seen: 5, Kept: 4, FirstSeen: t0, LastSeen: t0.Add(4 * time.Second),
		Levels: policy.LevelCounts{Debug: 1, Info: 1, Warning: 1, Error: 1, Critical: 1}}, ps[0])
}

func TestTemplateCapped(t *testing.T) {
	s := newSampler(t)
	long := strings.Repeat("word ", 100) + strings.Repeat("é", 200) // 500 + 400 bytes
	s.Decide(rec(long, 0, t0))
	tmpl := s.Stats().Patterns[0].Template
	assert.LessOrEqual(t, len(tmpl), 512)
	assert.Greater(t, len(tmpl), 500)
	assert.True(t, utf8.ValidString(tmpl), "cut on a rune boundary")
	assert.True(t, strings.HasPrefix(signature.Normalize(long), tmpl))
}

func TestLastSeenGranularity(t *testing.T) {
	s := newSampler(t)
	s.Decide(rec("a", 0, t0))
	s.Decide(rec("a", 0, t0.Add(50*time.Millisecond))) // within 100 ms: not stored
	assert.Equal(t, t0, s.Stats().Patterns[0].LastSeen)
	s.Decide(rec("a", 0, t0.Add(150*time.Millisecond)))
	assert.Equal(t, t0.Add(150*time.Millisecond), s.Stats().Patterns[0].LastSeen)
	s.Decide(rec("a", 0, t0.Add(100*time.Millisecond))) // older: ignored
	assert.Equal(t, t0.Add(150*time.Millisecond), s.Stats().Patterns[0].LastSeen)
}

func TestDryRunCounts(t *testing.T) {
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1), DryRun: true}))
	for range 4 {
		d := s.Decide(rec("a", 0, t0))
		assert.True(t, d.Keep)
		assert.True(t, d.DryRun)
	}
	st := s.Stats()
	assert.True(t, st.DryRun)
	assert.Equal(t, uint64(1), st.Kept, "Stats count what the rules decided")
	assert.Equal(t, uint64(3), st.Dropped)
}

func TestValvePanics(t *testing.T) {
	var got []error
	v := valveFunc(func(_ signature.Sig, msg string, _ slog.Level, _ time.Time) bool {
		if strings.HasPrefix(msg, "boom") {
			panic(msg)
		}
		return false
	})
	s := newSampler(t, sampler.WithPolicy(dropAll()), sampler.WithValve(v),
		sampler.WithErrorHandler(func(err error) {
			got = append(got, err)
			panic("the handler panics too")
		}))
	d := s.Decide(rec("boom 1", 0, t0))
	assert.Equal(t, sampler.Decision{Keep: true, Rate: 1, Pattern: patternOf("boom 1"), Signature: patternOf("boom 1"), Reason: sampler.ReasonError}, d)
	assert.False(t, s.Decide(rec("calm", 0, t0)).Keep, "the sampler still works after a panic")
	s.Decide(rec("boom 2", 0, t0))
	require.Len(t, got, 2)
	assert.EqualError(t, got[0], "sampler: valve panicked: boom 1")
	st := s.Stats()
	assert.Equal(t, uint64(2), st.Errors)
	assert.Equal(t, uint64(3), st.Seen)
	assert.Equal(t, uint64(2), st.Kept)

	err := errors.New("typed")
	s2 := newSampler(t, sampler.WithValve(valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { panic(err) })),
		sampler.WithErrorHandler(func(e error) { got = append(got, e) }))
	s2.Decide(rec("x", 0, t0))
	assert.ErrorIs(t, got[len(got)-1], err, "an error panic value is wrapped")
}

func TestDecideNil(t *testing.T) {
	var got error
	s := newSampler(t, sampler.WithErrorHandler(func(err error) { got = err }))
	assert.Equal(t, sampler.Decision{Keep: true, Rate: 1, Reason: sampler.ReasonError}, s.Decide(nil))
	assert.EqualError(t, got, "sampler: Decide called with a nil record")
	assert.Equal(t, uint64(1), s.Stats().Errors)
}

func TestValveSeesEveryRecord(t *testing.T) {
	calls := 0
	v := valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { calls++; return false })
	s := newSampler(t, sampler.WithValve(v), sampler.WithPolicy(&policy.Policy{FirstN: new(1),
		Exempt: &policy.Exemptions{Levels: []string{"ERROR"}}}))
	s.Decide(rec("a", 0, t0))               // first N
	s.Decide(rec("a", 0, t0))               // global
	s.Decide(rec("a", slog.LevelError, t0)) // exempt
	s.Disable()
	s.Decide(rec("a", 0, t0)) // kill switch: nothing runs
	assert.Equal(t, 3, calls)
}

func TestSlowValve(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	v := valveFunc(func(_ signature.Sig, msg string, _ slog.Level, _ time.Time) bool {
		if msg == "slow" {
			close(entered)
			<-release
			return true
		}
		return false
	})
	s := newSampler(t, sampler.WithValve(v), sampler.WithPolicy(dropAll()))
	done := make(chan sampler.Decision)
	go func() { done <- s.Decide(rec("slow", 0, t0)) }()
	<-entered
	// While one goroutine is stuck in the valve, others decide and swap
	// policies.
	for range 100 {
		assert.False(t, s.Decide(rec("fast", 0, t0)).Keep)
	}
	require.NoError(t, s.SetPolicy(policy.KeepAll()))
	assert.True(t, s.Decide(rec("fast", 0, t0)).Keep)
	_ = s.Stats()
	close(release)
	d := <-done
	assert.Equal(t, sampler.ReasonAnomaly, d.Reason)
	assert.Equal(t, uint64(1), s.Stats().Anomalous)
	assert.Equal(t, uint64(102), s.Stats().Seen)
}

// snapValve is a Valve that is also a Snapshotter.
type snapValve struct {
	open bool
	snap func() anomaly.Snapshot
}

func (v snapValve) Observe(signature.Sig, string, slog.Level, time.Time) bool { return v.open }
func (v snapValve) Snapshot() anomaly.Snapshot                                { return v.snap() }

var _ sampler.Snapshotter = snapValve{}

func TestStats_anomalies(t *testing.T) {
	ev := anomaly.Event{ID: 1, Type: anomaly.RateSpike, Pattern: 7, Start: t0}
	tests := []struct {
		name       string
		valve      sampler.Valve
		want       *anomaly.Snapshot
		wantErrors uint64
	}{
		{"no valve", nil, nil, 0},
		{"valve without snapshot", valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { return true }), nil, 0},
		{"snapshotter", snapValve{open: true, snap: func() anomaly.Snapshot { return anomaly.Snapshot{Active: []anomaly.Event{ev}} }},
			&anomaly.Snapshot{Active: []anomaly.Event{ev}}, 0},
		{"panicking snapshot", snapValve{open: true, snap: func() anomaly.Snapshot { panic("boom") }}, nil, 1},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			s := newSampler(t, sampler.WithValve(test.valve), sampler.WithPolicy(dropAll()))
			for range 3 {
				s.Decide(rec("spiky", slog.LevelInfo, t0))
			}
			st := s.Stats()
			assert.Equal(t, test.want, st.Anomalies)
			assert.Equal(t, test.wantErrors, st.Errors)
			require.Len(t, st.Patterns, 1)
			wantAnomalous := uint64(0)
			if test.valve != nil {
				wantAnomalous = 3
			}
			assert.Equal(t, wantAnomalous, st.Patterns[0].Anomalous, "records decided by the valve")
			assert.Equal(t, wantAnomalous, st.Anomalous)
		})
	}
}

// TestStats_mixedReasons checks the per-reason counts of a pattern whose
// records past first-N alternate between two rules, which the striped
// counters count in the stripe word (one reason) and apart (the other),
// across several folds of the stripe word (at 2^13 records).
func TestStats_mixedReasons(t *testing.T) {
	s := newSampler(t, sampler.WithAttrKeys(false), sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1),
		Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "audit"}}}}))
	const n = 40_000
	s.Decide(rec("mixed event", slog.LevelInfo, t0))
	for i := range n {
		if i%2 == 0 {
			s.Decide(rec("mixed event", slog.LevelInfo, t0, sampler.Attr{Key: "audit"}))
		} else {
			s.Decide(rec("mixed event", slog.LevelInfo, t0))
		}
	}
	st := s.Stats()
	assert.Equal(t, []sampler.ReasonStats{
		{Reason: sampler.ReasonExempt, Decided: n / 2, Kept: n / 2},
		{Reason: sampler.ReasonFirstN, Decided: 1, Kept: 1},
		{Reason: sampler.ReasonGlobal, Decided: n / 2, Kept: 0},
	}, st.Reasons)
	assert.Equal(t, uint64(n+1), st.Seen, "seen")
	assert.Equal(t, uint64(n/2+1), st.Kept, "kept")
	require.Len(t, st.Patterns, 1)
	assert.Equal(t, uint64(n+1), st.Patterns[0].Seen, "pattern seen")
	assert.Equal(t, uint64(n/2+1), st.Patterns[0].Kept, "pattern kept")
}

// safeValve is a SafeValve whose ObserveSafe fails for messages starting
// with "boom"; its Observe panics, to show that the sampler never calls it.
type safeValve struct{ open bool }

func (safeValve) Observe(signature.Sig, string, slog.Level, time.Time) bool {
	panic("Observe called on a SafeValve")
}

func (v safeValve) ObserveSafe(_ signature.Sig, msg string, _ slog.Level, _ time.Time) (bool, error) {
	if strings.HasPrefix(msg, "boom") {
		return true, errors.New("recovered: " + msg)
	}
	return v.open, nil
}

var _ sampler.SafeValve = safeValve{}

func TestSafeValve(t *testing.T) {
	tests := []struct {
		name       string
		open       bool
		msg        string
		wantReason sampler.Reason
		wantKeep   bool
		wantErrs   uint64
	}{
		{"closed: the rate rules decide", false, "calm", sampler.ReasonSeverity, false, 0},
		{"open: the valve keeps", true, "calm", sampler.ReasonAnomaly, true, 0},
		{"failed: kept as for a panicking valve", true, "boom 1", sampler.ReasonError, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []error
			s := newSampler(t, sampler.WithPolicy(dropAll()), sampler.WithValve(safeValve{open: tt.open}),
				sampler.WithErrorHandler(func(err error) { got = append(got, err) }))
			d := s.Decide(rec(tt.msg, 0, t0))
			assert.Equal(t, tt.wantReason, d.Reason)
			assert.Equal(t, tt.wantKeep, d.Keep)
			assert.Equal(t, tt.wantErrs, s.Stats().Errors)
			require.Len(t, got, int(tt.wantErrs))
			if tt.wantErrs > 0 {
				assert.Equal(t, 1.0, d.Rate)
				assert.EqualError(t, got[0], "sampler: valve panicked: recovered: boom 1")
			}
		})
	}
}

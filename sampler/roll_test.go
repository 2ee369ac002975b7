package sampler_test

import (
	"context"
	"log/slog"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

func TestAdaptiveRates(t *testing.T) {
	// Window 1 s, target 100 kept records per second: a goal of 100 per
	// window. Counts 10000, 100, 10, 1. By hand (dynsampler's allocation):
	//   log sum = 4 + 2 + 1 + 0 = 7, ratio = 100/7 = 14.2857
	//   "d" (1):      goal max(1, 0) = 1         -> rate 1, extra 0
	//   "c" (10):     goal 14.2857               -> rate 1, extra 4.2857
	//   "b" (100):    goal 28.5714 + 4.2857/2    -> rate 0.307143, extra 2.142857
	//   "a" (10000):  goal 57.1429 + 2.142857    -> rate 0.00592857
	//
	// In the first window no pattern has history: each is sampled from its
	// first record on an estimate (see budget.go): its records so far over
	// their span, at least 1 ms (all records here share one time, so 1
	// record per ms = 1000/s), against the share target/(patterns so far):
	//   alpha 100/1/1000 = 0.1, beta 100/2/1000 = 0.05,
	//   gamma 100/3/1000 = 0.0333, delta 100/4/1000 = 0.025.
	// A new pattern in the second window: 100/(4 allocated + 1)/1000 = 0.02.
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{TargetPerSecond: 100, WindowSeconds: 1, FirstN: new(0)}))
	counts := []struct {
		msg  string
		n    int
		rate float64
	}{{"alpha", 10000, 0.1}, {"beta", 100, 0.05}, {"gamma", 10, 1.0 / 30}, {"delta", 1, 0.025}}
	for _, c := range counts {
		for range c.n {
			d := s.Decide(rec(c.msg, slog.LevelInfo, t0))
			require.Equal(t, sampler.ReasonAdaptive, d.Reason)
			require.InDelta(t, c.rate, d.Rate, 1e-9, "no history yet: %s sampled on its first estimate", c.msg)
		}
	}
	next := t0.Add(time.Second)
	want := map[string]float64{"alpha": 0.005928571, "beta": 0.307142857, "gamma": 1, "delta": 1, "new pattern": 0.02}
	for msg, rate := range want {
		d := s.Decide(rec(msg, slog.LevelInfo, next))
		assert.Equal(t, sampler.ReasonAdaptive, d.Reason, msg)
		assert.InDelta(t, rate, d.Rate, 1e-6, msg)
	}
	for _, ps := range s.Stats().Patterns {
		if ps.Pattern == patternOf("alpha") {
			assert.InDelta(t, 0.005928571, ps.AdaptiveRate, 1e-6)
		}
	}
	// Errors stay at 1.0: the severity rule comes before the adaptive one.
	d := s.Decide(rec("alpha", slog.LevelError, next))
	assert.Equal(t, sampler.Decision{Keep: true, Rate: 1, Pattern: patternOf("alpha"), Signature: patternOf("alpha"), Reason: sampler.ReasonSeverity}, d)
}

func TestAdaptiveConverges(t *testing.T) {
	// A skewed workload over 20 windows: the kept volume approaches the
	// target, every pattern keeps some records, and the re-weighted counts
	// match the true counts.
	const target = 50.0
	// "event <letters>" is one family to the pattern miner (an open set of
	// words); this test needs each to be a pattern of its own.
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{TargetPerSecond: target, WindowSeconds: 1, FirstN: new(1)}),
		sampler.WithPatternMining(false))
	perWindow := []int{5000, 1000, 200, 50, 10, 3, 1}
	var kept [20]int
	weights := make([]float64, len(perWindow))
	for w := range 20 {
		at := t0.Add(time.Duration(w) * time.Second)
		for i, n := range perWindow {
			msg := "event " + letters(i)
			for range n {
				d := s.Decide(rec(msg, slog.LevelInfo, at))
				if d.Keep {
					kept[w]++
					// The re-weighted counts are checked from the
					// second window on. In the first, the flood of
					// pattern 0 spends the first second's budget
					// before the rare patterns arrive, so their rate
					// is tiny (0.004) and a record kept at it weighs
					// hundreds: unbiased, but with a variance that
					// put a 200-record total more than 20 % off in
					// about 5 % of runs (10 of 200).
					if w > 0 {
						weights[i] += 1 / d.Rate
					}
				}
			}
		}
	}
	for w := 5; w < 20; w++ {
		// 7 first-N records plus the adaptive goal of 50.
		assert.InDelta(t, target+7, kept[w], 25, "window %d kept %d", w, kept[w])
	}
	for i, n := range perWindow {
		assert.InEpsilon(t, float64(19*n), weights[i], 0.2, "pattern %d re-weighted count", i)
	}
}

func TestSummary(t *testing.T) {
	got := make(chan sampler.Summary, 4)
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithSummary(func(sum sampler.Summary) { got <- sum }))
	for range 5 {
		s.Decide(rec("alpha", 0, t0))
	}
	s.Decide(rec("beta", 0, t0))
	for range 3 {
		s.Decide(rec("gamma", 0, t0.Add(time.Second)))
	}
	s.Decide(rec("alpha", 0, t0.Add(10*time.Second))) // ends the window
	sum := <-got
	assert.Equal(t, sampler.Summary{
		Start: t0, End: t0.Add(10 * time.Second),
		Seen: 9, Kept: 3, Dropped: 6,
		Patterns: []sampler.PatternSummary{
			{Pattern: patternOf("alpha"), Seen: 5, Kept: 1, Dropped: 4},
			{Pattern: patternOf("gamma"), Seen: 3, Kept: 1, Dropped: 2},
		},
		// Per second: the first record of alpha and of beta at t0, of
		// gamma a second later (first-N 1).
		Seconds: []sampler.SecondStats{
			{Start: t0, FirstN: 2},
			{Start: t0.Add(time.Second), FirstN: 1},
		},
	}, sum)
	s.Decide(rec("alpha", 0, t0.Add(25*time.Second)))
	sum = <-got
	assert.Equal(t, t0.Add(10*time.Second), sum.Start)
	assert.Equal(t, uint64(1), sum.Seen)
	assert.Empty(t, sum.Patterns, "nothing was dropped")
	assert.Equal(t, "window "+sum.Start.Format(time.RFC3339)+" +10s: 1 seen, 1 kept, 0 dropped", sum.String())
}

func TestSummaryBackpressure(t *testing.T) {
	entered, release := make(chan struct{}, 8), make(chan struct{})
	var errs []error
	s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()),
		sampler.WithErrorHandler(func(err error) { errs = append(errs, err) }),
		sampler.WithSummary(func(sampler.Summary) {
			entered <- struct{}{}
			<-release
			panic("hook panics")
		}))
	require.NoError(t, err)
	s.Decide(rec("a", 0, t0))
	s.Decide(rec("a", 0, t0.Add(10*time.Second))) // summary 1: delivered, hook blocks
	<-entered
	s.Decide(rec("a", 0, t0.Add(20*time.Second))) // summary 2: queued
	s.Decide(rec("a", 0, t0.Add(30*time.Second))) // summary 3: dropped, never blocks
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "summary dropped")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, s.Shutdown(ctx), context.Canceled, "the hook is still running")
	close(release)
	require.NoError(t, s.Shutdown(t.Context()))
	require.NoError(t, s.Shutdown(t.Context()), "Shutdown is idempotent")
	assert.GreaterOrEqual(t, s.Stats().Errors, uint64(2), "the dropped summary and the hook's panic")
	assert.True(t, s.Decide(rec("a", 0, t0.Add(40*time.Second))).Keep, "Decide works after Shutdown")
}

func TestEviction(t *testing.T) {
	// One bucket of 4 slots.
	// Mining off: "pattern <letters>" would be one family to the miner.
	s := newSampler(t, sampler.WithMaxPatterns(4), sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithPatternMining(false))
	for i := range 4 {
		s.Decide(rec("pattern "+letters(i), 0, t0))
	}
	d := s.Decide(rec("pattern overflow", 0, t0))
	assert.Equal(t, sampler.ReasonFirstN, d.Reason, "the overflow bucket's first record")
	d = s.Decide(rec("pattern other", 0, t0))
	assert.Equal(t, sampler.ReasonGlobal, d.Reason, "first-N is shared in the overflow bucket")
	assert.Equal(t, patternOf("pattern other"), d.Pattern, "the pattern ID is still the record's own")
	st := s.Stats()
	assert.Len(t, st.Patterns, 4)
	assert.Equal(t, uint64(2), st.Overflow)

	// Two windows later the old patterns are stale and may be evicted.
	later := t0.Add(20 * time.Second)
	s.Decide(rec("pattern a", 0, later)) // still live
	s.Decide(rec("pattern new", 0, later))
	st = s.Stats()
	assert.Len(t, st.Patterns, 4)
	var sigs []string
	for _, p := range st.Patterns {
		sigs = append(sigs, p.Pattern.String())
	}
	assert.Contains(t, sigs, patternOf("pattern new").String())
	assert.Contains(t, sigs, patternOf("pattern a").String())
	assert.Equal(t, uint64(8), st.Seen, "evicted patterns' counts stay in the totals")
	assert.Equal(t, uint64(7), st.Kept, "4+1 first-N in the first window, 2 in the later one")
}

func TestBoundedMemory(t *testing.T) {
	n := 1_000_000
	if raceEnabled || testing.Short() {
		n = 100_000
	}
	s := newSampler(t, sampler.WithMaxPatterns(1024), sampler.WithPolicy(policy.Default()))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Millisecond) // 100 windows of 10 s
		s.Decide(rec("unique "+letters(i)+" thing", slog.LevelInfo, at))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, growth, int64(1<<20), "heap grew by %d bytes over %d distinct messages", growth, n)
	st := s.Stats()
	assert.Equal(t, uint64(n), st.Seen)
	assert.LessOrEqual(t, len(st.Patterns), 1024)
	t.Logf("%d distinct messages: heap growth %d B, %d tracked, %d in overflow", n, growth, len(st.Patterns), st.Overflow)
}

func TestReasonString(t *testing.T) {
	tests := []struct {
		r    sampler.Reason
		want string
	}{
		{sampler.ReasonUnknown, "unknown"},
		{sampler.ReasonDisabled, "disabled"},
		{sampler.ReasonError, "error"},
		{sampler.ReasonExempt, "exempt"},
		{sampler.ReasonFirstN, "first_n"},
		{sampler.ReasonAnomaly, "anomaly"},
		{sampler.ReasonPattern, "pattern"},
		{sampler.ReasonSeverity, "severity"},
		{sampler.ReasonAdaptive, "adaptive"},
		{sampler.ReasonGlobal, "global"},
		{sampler.Reason(200), "reason(200)"},
	}
	for _, test := range tests {
		t.Run(strconv.Itoa(int(test.r)), func(t *testing.T) {
			assert.Equal(t, test.want, test.r.String())
		})
	}
}

func TestSummaryString_perSecond(t *testing.T) {
	sum := sampler.Summary{
		Start: t0, End: t0.Add(3 * time.Second), Seen: 100, Kept: 40, Dropped: 60, Target: 10,
		Seconds: []sampler.SecondStats{
			{Start: t0, Target: 10, Adaptive: 11, FirstN: 5},
			{Start: t0.Add(time.Second), Target: 10, Adaptive: 9},
			{Start: t0.Add(2 * time.Second), Target: 10, Adaptive: 10, Anomaly: 2},
		},
	}
	assert.Equal(t, "window "+t0.Format(time.RFC3339)+" +3s: 100 seen, 40 kept, 60 dropped\n"+
		"kept per second vs target 10: 11/10+5 9/10 10/10+2a", sum.String())
	assert.Equal(t, uint64(16), sum.Seconds[0].Kept(), "adaptive + first-N + anomaly")
}

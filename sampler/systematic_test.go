package sampler_test

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// The count error of systematic sampling (see Sampler.Decide).
//
// A pattern's records without a trace ID are drawn from at most
// maxSequences accumulators (one per stripe; the package has 8). Over a
// run of L consecutive records of one accumulator at one rate r, the
// accumulator a (fractional part, uniform by the random phase) keeps
//
//	k = ⌊a + L·r⌋ − ⌊a⌋ ∈ {⌊L·r⌋, ⌈L·r⌉}
//
// records, so the estimate k/r differs from L by less than 1/r, and with a
// uniform a, E[k] = L·r exactly. So for a pattern whose records were decided
// at one rate, |Σ 1/rate − n| < maxSequences/r, against a standard deviation
// of √(n(1−r)/r) for independent draws (for n = 20 000 at r = 0.01: a bound
// of 800, against 1 407 for a single standard deviation; a single goroutine
// uses one or two accumulators, so the chi-square check below is the
// sharper one).
const maxSequences = 8

// word returns a word of the letters g-z (never hexadecimal, never a
// number) for i, so that distinct i give distinct templates.
func word(i int) string {
	b := []byte{'q'}
	for {
		b = append(b, byte('g'+i%20))
		i /= 20
		if i == 0 {
			return string(b)
		}
	}
}

// estimate replays records of the messages msgs (the i-th record is of
// msgs[order[i]]) at 1 ms apart from t0 and returns, per message, the
// records decided and Σ 1/Rate over the kept ones.
func estimate(t *testing.T, s *sampler.Sampler, msgs []string, order []int) (n []int, est []float64) {
	t.Helper()
	n, est = make([]int, len(msgs)), make([]float64, len(msgs))
	r := sampler.Record{Level: slog.LevelInfo}
	for i, m := range order {
		r.Time, r.Message = t0.Add(time.Duration(i)*time.Millisecond), msgs[m]
		d := s.Decide(&r)
		require.False(t, d.Keep && d.Rate == 0, "kept at rate 0")
		n[m]++
		if d.Keep {
			est[m] += 1 / d.Rate
		}
	}
	return n, est
}

// TestSystematic_countBound checks the bound above for patterns of 1 000 to
// 20 000 records at rates from 0.5 to 0.001, interleaved at random and
// spread over several windows, with and without first-N, and checks that
// the error is far below what independent draws would give.
func TestSystematic_countBound(t *testing.T) {
	rates := []float64{0.5, 0.3, 0.1, 0.07, 0.02, 0.01, 0.003, 0.001}
	const perRate = 6
	for _, firstN := range []int{0, 10} {
		t.Run("firstN="+strconv.Itoa(firstN), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(firstN)))
			pr := map[signature.Sig]float64{}
			var msgs []string
			var want []float64
			var order []int
			for i := range len(rates) * perRate {
				m := "job " + word(i) + " finished"
				msgs = append(msgs, m)
				r := rates[i%len(rates)]
				want = append(want, r)
				pr[signature.Of(m)] = r
				for range 1000 + rng.IntN(19000) {
					order = append(order, i)
				}
			}
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			s := newSampler(t, sampler.WithPolicy(&policy.Policy{PatternRates: pr, FirstN: new(firstN)}))
			n, est := estimate(t, s, msgs, order)
			windows := len(order)/10000 + 1 // 1 ms apart, 10 s windows
			var chi2 float64
			for i, r := range want {
				// The first N of each window are kept at rate 1, exactly.
				bound := maxSequences / r
				err := est[i] - float64(n[i])
				assert.Less(t, math.Abs(err), bound, "%s: %d records at rate %v, %d windows: estimate %.1f",
					msgs[i], n[i], r, windows, est[i])
				chi2 += err * err / (float64(n[i]) * (1 - r) / r)
			}
			// Independent draws give chi2 ≈ the number of patterns (48);
			// systematic sampling a small fraction of it.
			assert.Less(t, chi2, float64(len(want))/10, "sum of squared standardized errors")
		})
	}
}

// TestSystematic_unbiased checks E[Σ 1/rate] = n where the bound above
// leaves room for bias: 20 000 patterns (independent phases; those that do
// not fit in the table share the overflow slot's accumulators, which
// changes nothing here) of 7 records
// each, the first 4 at rate 0.3 and the last 3 at rate 0.55 (the policy
// changes between them). Per pattern the estimate has a standard deviation
// below 2 (it is within 8/0.3 + 8/0.55 of n, and much closer in practice),
// so the mean of 20 000 is within 0.015 of 7 at one standard deviation;
// the test allows 0.1 (over 6 standard deviations). Independent draws, the
// only other unbiased scheme, would give the same mean: this test is about
// bias, TestSystematic_countBound about variance.
func TestSystematic_unbiased(t *testing.T) {
	const patterns, first, second = 20000, 4, 3
	// Mining off: "task <word> done" would be one family to the miner.
	s := newSampler(t, sampler.WithPolicy(policy.Uniform(0.3)), sampler.WithMaxPatterns(1<<15),
		sampler.WithSignatureCache(false), sampler.WithPatternMining(false))
	msgs := make([]string, patterns)
	for i := range msgs {
		msgs[i] = "task " + word(i) + " done"
	}
	var order []int
	for range first {
		for i := range patterns {
			order = append(order, i)
		}
	}
	n1, est1 := estimate(t, s, msgs, order)
	require.NoError(t, s.SetPolicy(policy.Uniform(0.55)))
	order = order[:0]
	for range second {
		for i := range patterns {
			order = append(order, i)
		}
	}
	n2, est2 := estimate(t, s, msgs, order)
	sigs := map[signature.Sig]bool{}
	for _, m := range msgs {
		sigs[signature.Of(m)] = true
	}
	require.Len(t, sigs, patterns, "distinct templates")
	var sum, sum2 float64
	for i := range patterns {
		require.Equal(t, first+second, n1[i]+n2[i])
		e := est1[i] + est2[i]
		sum += e
		sum2 += e * e
	}
	mean := sum / patterns
	sd := math.Sqrt(sum2/patterns - mean*mean)
	assert.InDelta(t, first+second, mean, 0.1, "mean estimate over %d patterns (sd %.3f)", patterns, sd)
	assert.Less(t, sd, 2.0, "standard deviation of the estimate")
}

// TestSystematic_concurrent checks the bound when 8 goroutines log the
// same patterns at once: however they share the stripes, every
// accumulator position is used by one record.
func TestSystematic_concurrent(t *testing.T) {
	const goroutines, perG = 8, 5000
	rates := []float64{0.2, 0.01}
	pr := map[signature.Sig]float64{}
	for i, r := range rates {
		pr[signature.Of("rpc "+word(i))] = r
	}
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{PatternRates: pr, FirstN: new(0)}))
	var mu sync.Mutex
	est := make([]float64, len(rates))
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			local := make([]float64, len(rates))
			r := sampler.Record{Time: t0, Level: slog.LevelInfo}
			for j := range perG {
				i := (g + j) % len(rates)
				r.Message = "rpc " + word(i)
				if d := s.Decide(&r); d.Keep {
					local[i] += 1 / d.Rate
				}
			}
			mu.Lock()
			for i := range local {
				est[i] += local[i]
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for i, r := range rates {
		n := float64(goroutines * perG / len(rates))
		assert.Less(t, math.Abs(est[i]-n), maxSequences/r, "rate %v: estimate %.1f of %v", r, est[i], n)
	}
}

// TestStats_manyRecords checks that Stats stays exact past the point where
// the striped counters fold into the pattern's own (2^13 records per
// stripe), and that the per-reason counts agree.
func TestStats_manyRecords(t *testing.T) {
	const n = 200000
	s := newSampler(t, sampler.WithPolicy(policy.Uniform(0.3)))
	r := sampler.Record{Time: t0, Level: slog.LevelDebug, Message: "tick"}
	kept := 0
	for range n {
		if s.Decide(&r).Keep {
			kept++
		}
	}
	st := s.Stats()
	require.Len(t, st.Patterns, 1)
	p := st.Patterns[0]
	assert.Equal(t, uint64(n), p.Seen, "seen")
	assert.Equal(t, uint64(kept), p.Kept, "kept")
	assert.Equal(t, [5]uint64{n, 0, 0, 0, 0}, p.Levels, "levels")
	assert.InDelta(t, 0.3*n, kept, maxSequences/0.3, "kept of %d at rate 0.3", n)
	assert.Equal(t, []sampler.ReasonStats{{Reason: sampler.ReasonSeverity, Decided: n, Kept: uint64(kept)}}, st.Reasons)
}

// TestWithSeed_reproducible replays one stream twice with the same seed and
// requires identical decisions, and requires a different seed to change
// some of them (the phases differ).
func TestWithSeed_reproducible(t *testing.T) {
	replay := func(seed uint64) []bool {
		p := policy.Uniform(0.1)
		s, err := sampler.New(sampler.WithPolicy(p), sampler.WithSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Shutdown(context.Background())
		base := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
		msgs := []string{"cache hit", "request served", "db query"}
		var got []bool
		for i := range 3000 {
			r := sampler.Record{Time: base.Add(time.Duration(i) * time.Millisecond), Level: slog.LevelInfo, Message: msgs[i%len(msgs)]}
			got = append(got, s.Decide(&r).Keep)
		}
		return got
	}
	a, b, c := replay(7), replay(7), replay(8)
	if !slices.Equal(a, b) {
		t.Fatal("two replays with seed 7 made different decisions")
	}
	if slices.Equal(a, c) {
		t.Error("seeds 7 and 8 made identical decisions on 3000 records; the seed has no effect")
	}
	kept := 0
	for _, k := range a {
		if k {
			kept++
		}
	}
	if kept < 290 || kept > 310 {
		t.Errorf("kept %d of 3000 at rate 0.1; systematic sampling keeps 300±10", kept)
	}
}

// TestDecideInto_matchesDecide replays one stream with Decide and with
// DecideInto into a Decision holding garbage, under the same seed and
// policies that exercise every field: the decisions must be identical.
func TestDecideInto_matchesDecide(t *testing.T) {
	tests := []struct {
		name string
		p    *policy.Policy
	}{
		{"global", policy.Uniform(0.1)},
		{"first N", &policy.Policy{GlobalRate: new(0.5), FirstN: new(3)}},
		{"exempt", &policy.Policy{GlobalRate: new(0.0), Exempt: &policy.Exemptions{Levels: []string{"WARNING"}}}},
		{"dry run", &policy.Policy{GlobalRate: new(0.2), DryRun: true}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			replay := func(into bool) []sampler.Decision {
				s, err := sampler.New(sampler.WithPolicy(test.p), sampler.WithSeed(3))
				require.NoError(t, err)
				base := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
				var got []sampler.Decision
				for i := range 200 {
					r := sampler.Record{Time: base.Add(time.Duration(i) * time.Millisecond),
						Level: []slog.Level{slog.LevelInfo, slog.LevelWarn}[i%2], Message: []string{"a b", "c d", "e f"}[i%3]}
					if !into {
						got = append(got, s.Decide(&r))
						continue
					}
					d := sampler.Decision{Keep: true, Rate: 7, Pattern: 9, Reason: sampler.ReasonAnomaly, DryRun: true, WouldDrop: true}
					s.DecideInto(&r, &d)
					got = append(got, d)
				}
				return got
			}
			assert.Equal(t, replay(false), replay(true))
		})
	}
}

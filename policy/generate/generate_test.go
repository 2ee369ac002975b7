package generate_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/signature"
)

func info(sig signature.Sig, count uint64) generate.PatternVolume {
	return generate.PatternVolume{Pattern: sig, Count: count, Levels: policy.LevelCounts{Info: count}}
}

type wantRate struct {
	sig  signature.Sig
	rate float64
}

// TestGenerate_handComputed checks Generate against allocations worked out
// by hand. Each case picks the water level τ first, computes the kept
// records k(c, τ) = τ·(1 + ln(c/τ)) for c > τ, and sets the target to the
// resulting budget; Generate must find τ again and the rates k/c.
func TestGenerate_handComputed(t *testing.T) {
	tests := []struct {
		name      string
		in        generate.Input
		wantLevel float64
		wantRates []wantRate // in output order: largest count first
		wantKept  float64
		reachable bool
	}{
		{
			// τ = 100; counts 10, 1 000, 100 000 (total 101 010).
			//   k(10)      = 10 (rare)
			//   k(1 000)   = 100·(1 + ln 10)    = 100·3.302585093 = 330.2585093
			//   k(100 000) = 100·(1 + ln 1 000) = 100·7.907755279 = 790.7755279
			//   kept = 1 131.0340372; fraction = 1 131.0340372 / 101 010.
			name: "three patterns, fraction target",
			in: generate.Input{
				Patterns: []generate.PatternVolume{info(1, 10), info(2, 1000), info(3, 100000)},
				Target:   generate.Target{KeepFraction: 1131.0340372 / 101010},
			},
			wantLevel: 100,
			wantRates: []wantRate{{3, 0.007907755279}, {2, 0.3302585093}, {1, 1}},
			wantKept:  1131.0340372,
			reachable: true,
		},
		{
			// Budget 1.0·30 = 30 covers every record: all rates 1, level 0.
			name: "under target",
			in: generate.Input{
				Patterns: []generate.PatternVolume{info(1, 10), info(2, 20)},
				Target:   generate.Target{KeepFraction: 1},
			},
			wantRates: []wantRate{{2, 1}, {1, 1}},
			wantKept:  30,
			reachable: true,
		},
		{
			// Exempt: 10 (500 records, one ERROR), 11 (300, new), 12 (200,
			// anomalous): 1 000 records charged first. Cuttable: 13 (10 000)
			// and 14 (50). Pick τ = 50:
			//   k(50)     = 50 (rare, c ≤ τ)
			//   k(10 000) = 50·(1 + ln 200) = 50·6.298317367 = 314.9158684
			//   budget = 1 000 + 50 + 314.9158684 = 1 364.9158684 records
			//   over a 100 s window: 13.649158684 records/s.
			name: "exemptions, per-second target",
			in: generate.Input{
				Patterns: []generate.PatternVolume{
					{Pattern: 10, Count: 500, Levels: policy.LevelCounts{Info: 499, Error: 1}},
					{Pattern: 11, Count: 300, New: true, Levels: policy.LevelCounts{Info: 300}},
					{Pattern: 12, Count: 200, Anomalous: true, Levels: policy.LevelCounts{Warning: 200}},
					info(13, 10000),
					info(14, 50),
				},
				Window: 100 * time.Second,
				Target: generate.Target{RecordsPerSecond: 13.649158684},
			},
			wantLevel: 50,
			wantRates: []wantRate{{13, 0.03149158684}, {10, 1}, {11, 1}, {12, 1}, {14, 1}},
			wantKept:  1364.9158684,
			reachable: true,
		},
		{
			// Exempt errors (1 000) exceed the budget 0.1·2 000 = 200: the
			// chatty pattern goes to the floor 0.001 (1 record).
			name: "unreachable: exempt volume over budget",
			in: generate.Input{
				Patterns: []generate.PatternVolume{{Pattern: 1, Count: 1000, Levels: policy.LevelCounts{Error: 1000}}, info(2, 1000)},
				Target:   generate.Target{KeepFraction: 0.1},
			},
			wantRates: []wantRate{{1, 1}, {2, 0.001}},
			wantKept:  1001,
			reachable: false,
		},
		{
			// Reserved records (kept by the anomaly valve whatever the
			// rate) are charged first; the rate applies to the rest.
			// Pattern 1: 1 000 records, 400 reserved, so c = 600;
			// pattern 2: 100 000 records, none reserved. Pick τ = 100:
			//   k(600)     = 100·(1 + ln 6)     = 100·2.791759469 = 279.1759469
			//   k(100 000) = 100·(1 + ln 1 000) = 790.7755279
			//   budget = 400 + 279.1759469 + 790.7755279 = 1 469.9514748
			//   rate of 1 = 279.1759469 / 600 = 0.4652932448.
			name: "reserved records charged first",
			in: generate.Input{
				Patterns: []generate.PatternVolume{
					{Pattern: 1, Count: 1000, Reserved: 400, Levels: policy.LevelCounts{Info: 1000}},
					info(2, 100000),
				},
				Target: generate.Target{KeepFraction: 1469.9514748 / 101000},
			},
			wantLevel: 100,
			wantRates: []wantRate{{2, 0.007907755279}, {1, 0.4652932448}},
			wantKept:  1469.9514748,
			reachable: true,
		},
		{
			// Reserved records over the budget 0.1·2 000 = 200: pattern 1
			// (1 000 records, 500 reserved) goes to the floor on its 500
			// other records (0.5 kept), pattern 2 (5 000 reserved, read as
			// its 1 000 records; nothing left to rate) keeps its 1 000:
			// kept 500 + 0.5 + 1 000.
			name: "unreachable: reserved records over budget",
			in: generate.Input{
				Patterns: []generate.PatternVolume{
					{Pattern: 1, Count: 1000, Reserved: 500, Levels: policy.LevelCounts{Info: 1000}},
					{Pattern: 2, Count: 1000, Reserved: 5000, Levels: policy.LevelCounts{Info: 1000}},
				},
				Target: generate.Target{KeepFraction: 0.1},
			},
			wantRates: []wantRate{{1, 0.001}, {2, 0.001}},
			wantKept:  1500.5,
			reachable: false,
		},
		{
			// MinRate 0.01 binds for the loud pattern. τ = 100:
			//   k(10 000)    = 100·(1 + ln 100) = 100·5.605170186 = 560.5170186
			//   k(1 000 000) = max(0.01·1e6 = 10 000, 100·(1 + ln 1e4) = 1 021.03) = 10 000
			//   budget = 10 560.5170186 of 1 010 000.
			name: "rate floor binds",
			in: generate.Input{
				Patterns: []generate.PatternVolume{info(1, 1000000), info(2, 10000)},
				Target:   generate.Target{KeepFraction: 10560.5170186 / 1010000},
				MinRate:  0.01,
			},
			wantLevel: 100,
			wantRates: []wantRate{{1, 0.01}, {2, 0.05605170186}},
			wantKept:  10560.5170186,
			reachable: true,
		},
		{
			// Bytes target: 1 000 records of 100 B and 1 000 of 10 B. τ = 100:
			// each keeps 100·(1 + ln 10) = 330.2585093 records, i.e.
			// 330.2585093·(100 + 10) = 36 328.436023 bytes; over 10 s,
			// 3 632.8436023 bytes/s.
			name: "bytes per second target",
			in: generate.Input{
				Patterns: []generate.PatternVolume{
					{Pattern: 1, Count: 1000, Bytes: 100000, Levels: policy.LevelCounts{Info: 1000}},
					{Pattern: 2, Count: 1000, Bytes: 10000, Levels: policy.LevelCounts{Debug: 1000}},
				},
				Window: 10 * time.Second,
				Target: generate.Target{BytesPerSecond: 3632.8436023},
			},
			wantLevel: 100,
			wantRates: []wantRate{{1, 0.3302585093}, {2, 0.3302585093}},
			wantKept:  660.5170186,
			reachable: true,
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			g, err := generate.Policy(test.in)
			require.NoError(t, err)
			require.NoError(t, g.Policy.Validate(), "generated policy must validate")
			assert.InDelta(t, test.wantLevel, g.Level, 1e-6, "water level")
			assert.InDelta(t, test.wantKept, g.Kept, 1e-6, "projected kept")
			assert.Equal(t, test.reachable, g.Reachable)
			require.Len(t, g.Rates, len(test.wantRates))
			for i, w := range test.wantRates {
				r := g.Rates[i]
				assert.Equal(t, w.sig, r.Pattern, "rate %d", i)
				assert.InDelta(t, w.rate, r.Rate, 1e-9, "rate of %v", w.sig)
				assert.NotEmpty(t, r.Reason, "every rate has a reason")
				got, listed := g.Policy.PatternRates[w.sig]
				if w.rate < 1 {
					assert.True(t, listed, "%v listed in pattern_rates", w.sig)
					assert.InDelta(t, w.rate, got, 1e-9)
				} else {
					assert.False(t, listed, "rate-1 pattern %v not listed", w.sig)
				}
			}
			assert.InDelta(t, g.Kept/g.Total, g.KeptFraction, 1e-12)
			assert.InDelta(t, 1-g.KeptFraction, g.Savings, 1e-12)
			assert.Equal(t, []string{"ERROR", "CRITICAL"}, g.Policy.Exempt.Levels)
			assert.Contains(t, g.Policy.Reasoning, "Projected: keep")
		})
	}
}

func TestGenerate_reasons(t *testing.T) {
	g, err := generate.Policy(generate.Input{
		Patterns: []generate.PatternVolume{
			{Pattern: 1, Count: 5, Levels: policy.LevelCounts{Critical: 5}},
			{Pattern: 2, Count: 5, New: true},
			{Pattern: 3, Count: 5, Anomalous: true, Levels: policy.LevelCounts{Error: 5}},
			info(4, 100000),
			info(5, 3),
		},
		Target: generate.Target{KeepFraction: 0.01},
	})
	require.NoError(t, err)
	reasons := map[signature.Sig]string{}
	for _, r := range g.Rates {
		reasons[r.Pattern] = r.Reason
	}
	assert.Contains(t, reasons[1], "ERROR/CRITICAL")
	assert.Contains(t, reasons[2], "new pattern")
	assert.Contains(t, reasons[3], "anomalous", "anomaly wins over errors")
	assert.Contains(t, reasons[4], "chatty")
	assert.Contains(t, reasons[5], "rare")
	assert.Contains(t, g.Policy.Reasoning, "1 with errors, 1 anomalous, 1 new, 1 rare")
}

func TestGenerate_deterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := make([]generate.PatternVolume, 200)
	for i := range ps {
		c := uint64(math.Exp(rng.Float64() * 14))
		ps[i] = generate.PatternVolume{Pattern: signature.Sig(rng.Uint64()), Count: c, Levels: policy.LevelCounts{Info: c}}
	}
	in := generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: 0.05}, Version: 9}
	a, err := generate.Policy(in)
	require.NoError(t, err)
	shuffled := append([]generate.PatternVolume(nil), ps...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	in.Patterns = shuffled
	b, err := generate.Policy(in)
	require.NoError(t, err)
	assert.Equal(t, a, b, "input order must not matter")
	assert.Equal(t, int64(9), a.Policy.Version)
	assert.InDelta(t, 0.05, a.KeptFraction, 1e-9, "reachable target is met")
	for _, r := range a.Rates {
		assert.GreaterOrEqual(t, r.Rate, generate.DefaultMinRate)
		assert.LessOrEqual(t, r.Rate, 1.0)
	}
	// Louder patterns never keep fewer records than quieter ones.
	for i := 1; i < len(a.Rates); i++ {
		assert.GreaterOrEqual(t, a.Rates[i-1].Kept, a.Rates[i].Kept-1e-9, "kept is monotone in count")
	}
}

func TestGenerate_duplicatesMerged(t *testing.T) {
	g, err := generate.Policy(generate.Input{
		Patterns: []generate.PatternVolume{info(7, 600), {Pattern: 7, Count: 400, Template: "t", Levels: policy.LevelCounts{Info: 400}}},
		Target:   generate.Target{KeepFraction: 1},
	})
	require.NoError(t, err)
	require.Len(t, g.Rates, 1)
	assert.Equal(t, uint64(1000), g.Rates[0].Count)
	assert.Equal(t, "t", g.Rates[0].Template)
}

func TestGenerate_errors(t *testing.T) {
	ps := []generate.PatternVolume{info(1, 10)}
	tests := []struct {
		name string
		in   generate.Input
	}{
		{"no target", generate.Input{Patterns: ps}},
		{"fraction above 1", generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: 1.5}}},
		{"fraction NaN", generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: math.NaN()}}},
		{"negative fraction", generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: -0.1}}},
		{"per second without window", generate.Input{Patterns: ps, Target: generate.Target{RecordsPerSecond: 5}}},
		{"negative per second", generate.Input{Patterns: ps, Window: time.Second, Target: generate.Target{RecordsPerSecond: -5}}},
		{"infinite bytes", generate.Input{Patterns: ps, Window: time.Second, Target: generate.Target{BytesPerSecond: math.Inf(1)}}},
		{"min rate above 1", generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: 0.5}, MinRate: 2}},
		{"negative min rate", generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: 0.5}, MinRate: -1}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, err := generate.Policy(test.in)
			assert.Error(t, err)
		})
	}
	_, err := generate.Policy(generate.Input{Patterns: ps})
	assert.ErrorIs(t, err, generate.ErrNoTarget)
}

func TestGenerate_empty(t *testing.T) {
	g, err := generate.Policy(generate.Input{Target: generate.Target{KeepFraction: 0.1}})
	require.NoError(t, err)
	assert.Empty(t, g.Rates)
	assert.Zero(t, g.Total)
	assert.Zero(t, g.KeptFraction)
	require.NoError(t, g.Policy.Validate())
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{100, 10000} {
		rng := rand.New(rand.NewPCG(1, 1))
		ps := make([]generate.PatternVolume, n)
		for i := range ps {
			c := uint64(math.Exp(rng.Float64() * 14))
			ps[i] = generate.PatternVolume{Pattern: signature.Sig(rng.Uint64()), Count: c, Levels: policy.LevelCounts{Info: c}}
		}
		in := generate.Input{Patterns: ps, Target: generate.Target{KeepFraction: 0.1}}
		b.Run(formatN(n)+"-patterns", func(b *testing.B) {
			b.ReportAllocs()
			var g *generate.Result
			for b.Loop() {
				g, _ = generate.Policy(in)
			}
			if g == nil || len(g.Rates) != n {
				b.Fatal("bad result")
			}
		})
	}
}

func formatN(n int) string { return strconv.Itoa(n) }

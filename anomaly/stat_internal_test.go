package anomaly

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/srex-dev/lipservice-go/signature"
)

// TestPoissonUpper checks the threshold quantile against gonum's Poisson
// survival function: exact for λ ≤ 30, within one count above.
func TestPoissonUpper(t *testing.T) {
	for _, alpha := range []float64{1e-3, 1e-6, 1e-9} {
		th := newThresholds(Thresholds{Alpha: alpha})
		for _, lambda := range []float64{0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 30.5, 50, 100, 1000, 1e4, 1e5} {
			k := th.poissonUpper(lambda)
			p := distuv.Poisson{Lambda: lambda}
			tail := func(k float64) float64 { return p.Survival(k - 1) } // P(X ≥ k)
			// The exact quantile q: P(X ≥ q) ≤ α < P(X ≥ q−1).
			q := k
			for tail(q) > alpha {
				q++
			}
			for q > 1 && tail(q-1) <= alpha {
				q--
			}
			if lambda <= 30 {
				assert.Equal(t, q, k, "λ=%g α=%g", lambda, alpha)
			} else {
				assert.InDelta(t, q, k, 1, "λ=%g α=%g", lambda, alpha)
			}
		}
	}
}

func TestSpikeAt(t *testing.T) {
	th := newThresholds(Thresholds{SpikeRatio: 3, SpikeZ: 6, MinCount: 10, Alpha: 1e-6})
	tests := []struct {
		name         string
		lambda, v    float64
		want         uint32
		wantAtLeast  uint32
		checkPoisson bool
	}{
		{name: "empty", lambda: 0, v: 0, want: DefaultMinCount},
		{name: "nan", lambda: math.NaN(), v: math.NaN(), want: DefaultMinCount},
		{name: "negative", lambda: -3, v: -1, want: DefaultMinCount},
		{name: "ratio-binds", lambda: 100, v: 100, want: 300},
		{name: "z-binds", lambda: 100, v: 2500, want: 400}, // 100 + 6·50
		{name: "poisson-binds", lambda: 4, v: 0, checkPoisson: true},
		{name: "huge", lambda: 1e12, v: 1e12, want: math.MaxUint32},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := th.spikeAt(test.lambda, test.v)
			if test.checkPoisson {
				// 3·4 = 12, 4 + 6·2 = 16; the Poisson term is 18:
				// P(X ≥ 17 | 4) = 1.13e-6 > α ≥ P(X ≥ 18 | 4) = 2.5e-7.
				assert.Equal(t, uint32(18), got)
				p := distuv.Poisson{Lambda: test.lambda}
				assert.LessOrEqual(t, p.Survival(float64(got)-1), DefaultAlpha)
				assert.Greater(t, p.Survival(float64(got)-2), DefaultAlpha)
				return
			}
			assert.Equal(t, test.want, got)
		})
	}
}

func TestEWMAZeros(t *testing.T) {
	for _, g := range []int64{1, 2, 7, 50} {
		m, v := 12.0, 30.0
		const w = 0.05
		for range g {
			m, v = ewma(m, v, 0, w)
		}
		cm, cv := ewmaZeros(12, 30, w, g)
		assert.InDelta(t, m, cm, 1e-9, "mean after %d zeros", g)
		assert.InDelta(t, v, cv, 1e-9, "variance after %d zeros", g)
	}
}

func TestRobust(t *testing.T) {
	tests := []struct {
		name       string
		x          []float64
		lambda, sd float64
	}{
		{name: "empty", x: nil, lambda: 0, sd: 0},
		{name: "constant", x: []float64{3, 3, 3, 3}, lambda: 3, sd: 0},
		{name: "outlier", x: []float64{1, 2, 2, 3, 100}, lambda: 21.6, sd: 1.4826}, // median 2, MAD 1; mean 21.6
		{name: "zeros-with-some", x: []float64{0, 0, 0, 4}, lambda: 1, sd: 0},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			scratch := make([]float64, len(test.x))
			in := append([]float64(nil), test.x...)
			l, v := robust(test.x, scratch)
			assert.InDelta(t, test.lambda, l, 1e-12)
			assert.InDelta(t, test.sd, math.Sqrt(v), 1e-12)
			assert.Equal(t, in, test.x, "input not modified")
		})
	}
}

func TestShardRemove(t *testing.T) {
	// Fill one shard, remove in a scrambled order, and check every
	// remaining key is still found after each backward-shift deletion.
	d, err := New(WithMaxPatterns(8))
	if err != nil {
		t.Fatal(err)
	}
	sh := &d.shards[0]
	var keys []uint64
	for i := uint64(0); len(keys) < sh.cap; i++ {
		h := mix(i)
		if h&d.shardMask != 0 {
			continue
		}
		sh.insert(sigOf(i), h)
		keys = append(keys, i)
	}
	for len(keys) > 0 {
		victim := keys[len(keys)/2]
		sh.remove(sh.find(sigOf(victim), mix(victim)))
		keys = append(keys[:len(keys)/2], keys[len(keys)/2+1:]...)
		for _, k := range keys {
			assert.GreaterOrEqual(t, sh.find(sigOf(k), mix(k)), 0, "key %d lost", k)
		}
		assert.Equal(t, len(keys), sh.n)
	}
}

func sigOf(i uint64) signature.Sig { return signature.Sig(i) }

// TestSpikeAt_Shortcuts checks that the lookup and Chernoff shortcuts give
// the same threshold as always taking the exact Poisson term.
func TestSpikeAt_Shortcuts(t *testing.T) {
	for _, th := range []Thresholds{{}, {SpikeRatio: 2}, {MinCount: 1, SpikeZ: 1, SpikeRatio: 1.1}, {Alpha: 1e-3}} {
		x := newThresholds(th)
		for lambda := 0.01; lambda < 2000; lambda *= 1.07 {
			for _, v := range []float64{0, lambda, 4 * lambda} {
				sd := math.Sqrt(max(v, lambda))
				want := max(float64(x.MinCount), math.Ceil(x.SpikeRatio*lambda), math.Ceil(lambda+x.SpikeZ*sd), 1, x.poissonUpper(lambda))
				assert.Equal(t, uint32(want), x.spikeAt(lambda, v), "th=%+v λ=%g v=%g", th, lambda, v)
			}
		}
	}
}

func TestPoissonTail(t *testing.T) {
	for _, k := range []int{1, 2, 5, 10, 30, 64} {
		for _, lambda := range []float64{0.001, 0.1, 0.9, 3, 9.5, 29, 63} {
			if lambda >= float64(k) {
				continue
			}
			p := distuv.Poisson{Lambda: lambda}
			got := poissonTail(lambda, k)
			// Geometric bounds: p(k) ≤ P(X ≥ k) ≤ p(k) / (1 − λ/(k+1)).
			pk := math.Exp(p.LogProb(float64(k)))
			assert.GreaterOrEqual(t, got, pk*(1-1e-12), "λ=%g k=%d", lambda, k)
			assert.LessOrEqual(t, got, pk/(1-lambda/float64(k+1))*(1+1e-12), "λ=%g k=%d", lambda, k)
			if want := p.Survival(float64(k) - 1); want > 1e-10 {
				// gonum computes 1 − CDF, exact enough only away from 0.
				assert.InEpsilon(t, want, got, 1e-6, "λ=%g k=%d", lambda, k)
			}
		}
	}
}

// TestCUSUM checks the low-rate CUSUM helpers against values worked out by
// hand for the defaults: r = 5, h = −ln 1e-6 = 13.8155, ln r = 1.6094,
// floor f = ln r / (r − 1) = 0.40236, where the drift (r − 1)·f is ln r.
func TestCUSUM(t *testing.T) {
	th := newThresholds(Thresholds{})
	lnR, h := math.Log(5), -math.Log(1e-6)
	t.Run("low-rate", func(t *testing.T) {
		tests := []struct {
			lambda float64
			want   bool
		}{
			{0, true}, {0.2, true}, {1.99, true}, {2, false}, {50, false}, {math.NaN(), false},
		}
		for _, test := range tests {
			assert.Equal(t, test.want, th.lowRate(test.lambda), "λ=%g (MinCount/SpikeRatio = 2)", test.lambda)
		}
	})
	t.Run("step", func(t *testing.T) {
		tests := []struct {
			name         string
			s, k, lambda float64
			want         float64
		}{
			{name: "empty-interval", s: 5, k: 0, lambda: 1, want: 5 - 4*1},
			{name: "empty-interval-at-floor", s: 5, k: 0, lambda: 0.2, want: 5 - lnR},
			{name: "floored-at-zero", s: 0.1, k: 0, lambda: 0.2, want: 0},
			// At the floor an interval's increment is (k − 1)·ln r.
			{name: "one-record-at-floor-is-no-evidence", s: 0, k: 1, lambda: 0.2, want: 0},
			{name: "two-records-at-floor", s: 0, k: 2, lambda: 0.2, want: lnR},
			{name: "one-record", s: 3, k: 1, lambda: 1, want: 3 + lnR - 4},
			{name: "zero-baseline-uses-floor", s: 0, k: 2, lambda: 0, want: lnR},
			{name: "nan", s: math.NaN(), k: 3, lambda: math.NaN(), want: 2 * lnR},
		}
		for _, test := range tests {
			assert.InDelta(t, test.want, th.cusumStep(test.s, test.k, test.lambda), 1e-12, test.name)
		}
	})
	t.Run("at", func(t *testing.T) {
		tests := []struct {
			name      string
			lambda, s float64
			want      uint32
		}{
			// ⌈(13.8155 + 4) / 1.6094⌉ = ⌈11.07⌉
			{name: "fresh", lambda: 1, s: 0, want: 12},
			// ⌈(13.8155 + 1.6094) / 1.6094⌉ = ⌈9.58⌉: MinCount, as the
			// single-interval test.
			{name: "fresh-at-floor", lambda: 0.2, s: 0, want: 10},
			// ⌈(13.8155 − 10 + 1.6094) / 1.6094⌉ = ⌈3.37⌉
			{name: "evidence", lambda: 0.2, s: 10, want: 4},
			{name: "at-threshold", lambda: 0.2, s: 20, want: 1},
			{name: "zero-baseline", lambda: 0, s: 0, want: 10},
		}
		for _, test := range tests {
			got := th.cusumAt(test.lambda, test.s)
			assert.Equal(t, test.want, got, test.name)
			// The count reaches h when folded, one less does not.
			assert.GreaterOrEqual(t, th.cusumStep(test.s, float64(got), test.lambda), h-1e-9, test.name)
			if got > 1 {
				assert.Less(t, th.cusumStep(test.s, float64(got-1), test.lambda), h, test.name)
			}
		}
	})
	t.Run("drain", func(t *testing.T) {
		// g empty intervals stepped one by one: the j-th is charged
		// 4·max(f, λ·0.98ʲ). From λ = 1 the mean stays above f for
		// j ≤ 45 (0.98⁴⁵ = 0.403, 0.98⁴⁶ = 0.395), so a gap of 60
		// crosses the floor.
		f := lnR / 4
		for _, lambda := range []float64{1, 0.6, 0.2, 0} {
			want := 500.0
			m := lambda
			for range 60 {
				want -= 4 * max(f, m)
				m *= 0.98
			}
			assert.InDelta(t, want, th.cusumDrain(500, lambda, 0.02, 60), 1e-9, "λ=%g", lambda)
		}
		assert.InDelta(t, 10-3*lnR, th.cusumDrain(10, 0.2, 0.02, 3), 1e-12, "at the floor: ln r per interval")
		assert.Zero(t, th.cusumDrain(1, 0.5, 0.02, 7), "floored at zero")
		assert.Zero(t, th.cusumDrain(math.NaN(), 0.5, 0.02, 7), "NaN")
	})
	t.Run("ref", func(t *testing.T) {
		assert.InDelta(t, 4*1.5/lnR, th.cusumRef(1.5), 1e-12)
		assert.InDelta(t, 1, th.cusumRef(0.2), 1e-12, "at least 1: an empty interval is quiet")
	})
	t.Run("disabled", func(t *testing.T) {
		off := newThresholds(Thresholds{SpikeRatio: 1})
		assert.False(t, off.lowRate(0.1))
		assert.Equal(t, uint32(math.MaxUint32), off.cusumAt(0.1, 0))
	})
}

// TestWeight checks that the division-free EWMA weight is exactly the
// bias-corrected one, max(w, 1/(n+1)), around the switch-over.
func TestWeight(t *testing.T) {
	for _, w := range []float64{0.02, 0.1, 1.0 / 3, 0.3, 0.5, 0.999, 1e-4} {
		th := newThresholds(Thresholds{Smoothing: w})
		for n := int64(0); n < int64(3/w)+10; n++ {
			want := max(w, 1/float64(n+1))
			if got := th.weight(n); got != want {
				t.Fatalf("w %v: weight(%d) = %v, want %v", w, n, got, want)
			}
		}
	}
}

// TestSpikeFloor checks the lazy threshold's floor: max(MinCount,
// ⌈SpikeRatio·λ⌉, 1) computed here in floating point, and never above the
// threshold itself, so a count below it is below the threshold.
func TestSpikeFloor(t *testing.T) {
	for _, th := range []Thresholds{{}, {SpikeRatio: 2}, {MinCount: 1, SpikeZ: 1, SpikeRatio: 1.1}, {Alpha: 1e-3}} {
		x := newThresholds(th)
		for _, lambda := range []float64{math.NaN(), -1, 0, 1e-9, 0.5, 1.999, 2, 2.0000001, 7.3, 1e3, 1e12, math.Inf(1)} {
			l := lambda
			if !(l > 0) {
				l = 0
			}
			want := max(float64(x.MinCount), math.Ceil(x.SpikeRatio*l), 1)
			if want >= math.MaxUint32 {
				want = math.MaxUint32
			}
			got := x.spikeFloor(lambda)
			assert.Equal(t, uint32(want), got, "spikeFloor(%v) with %+v", lambda, th)
			if lambda >= 0 {
				for _, v := range []float64{0, lambda, 4 * lambda} {
					assert.LessOrEqual(t, got, x.spikeAt(lambda, v), "floor above the threshold at λ %v, v %v", lambda, v)
				}
			}
		}
	}
}

// TestLazyThreshold follows one steady pattern through the lazy spike
// threshold: after a roll-over the slot holds only the floor
// max(MinCount, ⌈SpikeRatio·m⌉); the record that reaches it computes the
// threshold, and the spike opens only if the count reached that.
func TestLazyThreshold(t *testing.T) {
	tests := []struct {
		name      string
		perSecond int
		floor     uint32 // max(10, ⌈5·perSecond⌉) at the defaults
		spike     bool   // the floor is the threshold
	}{
		// At 20/s the floor 100 is the threshold (the z and Poisson
		// terms, about 47 and 45, are below it).
		{"floor is the threshold", 20, 100, true},
		// At 2/s the floor is MinCount (10); the z term ⌈2 + 6·√2⌉ = 11
		// is above it.
		{"threshold above the floor", 2, 10, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			d, err := New()
			require.NoError(t, err)
			sig := signature.Sig(0x9e3779b97f4a7c15)
			t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
			observe := func(sec, i, n int) {
				d.Observe(sig, "steady", slog.LevelInfo, t0.Add(time.Duration(sec)*time.Second+time.Duration(i)*time.Second/time.Duration(n+1)))
			}
			for sec := range 200 {
				for i := range test.perSecond {
					observe(sec, i, test.perSecond)
				}
			}
			observe(200, 0, 1000) // roll over into second 200
			h := mix(uint64(sig))
			sh := &d.shards[h&d.shardMask]
			p := sh.find(sig, h)
			s := &sh.slots[p]
			assert.InDelta(t, float64(test.perSecond), s.mean, 1e-9, "steady mean")
			require.True(t, s.lazy, "a steady pattern's threshold is lazy after the roll-over")
			assert.Equal(t, test.floor, s.spikeAt, "lazy spikeAt is the floor")
			// The records of the interval so far: the slot's count and
			// those counted in its fast word (see fits).
			count := func() uint32 { fold(s, sh.fast[p], sh.cur.Load()); return s.count }
			for count() < test.floor {
				observe(200, int(count()), 1000)
			}
			assert.False(t, s.lazy, "the record that reached the floor computed the threshold")
			if test.spike {
				assert.Equal(t, test.floor, s.spikeAt, "threshold")
				assert.NotNil(t, s.spike, "no spike at the threshold")
			} else {
				assert.Greater(t, s.spikeAt, test.floor, "threshold")
				assert.Nil(t, s.spike, "a spike opened below the threshold %d", s.spikeAt)
			}
		})
	}
}

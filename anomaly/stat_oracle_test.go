package anomaly

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The production code computes its few statistics with package math only,
// so that a program that imports the sampler does not build gonum; these
// tests keep gonum as the oracle.

func TestPoissonCDF_gonum(t *testing.T) {
	lambdas := []float64{1e-6, 0.01, 0.5, 1, 2.5, 7, 30, 31, 100, 999.5, 1e4, 1e6}
	for _, lambda := range lambdas {
		p := distuv.Poisson{Lambda: lambda}
		sd := math.Sqrt(lambda)
		for _, off := range []float64{-10, -4, -2, -1, -0.5, 0, 0.5, 1, 2, 4, 10} {
			n := math.Floor(lambda + off*sd)
			for _, n := range []float64{n, 0, 1, 3, -1} {
				// ln p(n) is of order λ, so its rounding grows with λ:
				// the tolerance is 1e-12 up to λ = 100, then grows with λ.
				tol := 1e-12 * max(1, lambda/100)
				got, want := poissonCDF(n, lambda), p.CDF(n)
				assert.InDelta(t, want, got, tol, "λ=%g n=%g", lambda, n)
			}
		}
	}
	assert.Equal(t, 0.0, poissonCDF(-1, 3), "n < 0")
	assert.Equal(t, 1.0, poissonConfidence(1, 0), "λ = 0")
	assert.Equal(t, 0.0, poissonConfidence(0, 3), "k = 0")
	assert.Equal(t, 1.0, poissonConfidence(1, math.NaN()), "λ NaN is treated as no baseline")
}

func TestNormalQuantile_gonum(t *testing.T) {
	for _, a := range []float64{0.1, 0.05, 1e-3, 1e-6, 1e-9, 1e-12} {
		want := distuv.UnitNormal.Quantile(1 - a)
		assert.InEpsilon(t, want, normalUpper(a), 1e-6, "a=%g", a) // gonum rounds 1−a
		assert.InDelta(t, distuv.UnitNormal.CDF(-want), normalLower(want), 1e-15, "a=%g", a)
	}
	assert.InDelta(t, 0.0, normalUpper(0.5), 1e-15, "median of the unit normal")
	for _, z := range []float64{2, 3, 4.5, 6, 8} {
		for _, L := range []int{2, 3, 4} {
			p := distuv.UnitNormal.CDF(-z)
			want := -distuv.UnitNormal.Quantile(math.Pow(p, 1/float64(L)))
			assert.InDelta(t, want, runZ(z, L), 1e-9, "z=%g L=%d", z, L)
		}
	}
}

func TestRobust_gonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 4, 7, 60, 61} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(20)) + rng.Float64()*float64(i%2)
		}
		s := slices.Sorted(slices.Values(x))
		med := stat.Quantile(0.5, stat.Empirical, s, nil)
		mean := stat.Mean(s, nil)
		dev := make([]float64, n)
		for i, v := range x {
			dev[i] = math.Abs(v - med)
		}
		slices.Sort(dev)
		sd := 1.4826 * stat.Quantile(0.5, stat.Empirical, dev, nil)
		gotL, gotV := robust(x, make([]float64, n))
		assert.InDelta(t, max(med, mean), gotL, 1e-12, "n=%d location", n)
		assert.InDelta(t, sd*sd, gotV, 1e-12, "n=%d variance", n)
	}
	l, v := robust(nil, nil)
	assert.Equal(t, [2]float64{0, 0}, [2]float64{l, v}, "empty input")
}

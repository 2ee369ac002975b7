package anomaly

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// thresholds holds the per-detector constants derived from Thresholds once,
// in New.
type thresholds struct {
	Thresholds
	zAlpha     float64 // upper 1−Alpha quantile of the unit normal
	logA       float64 // ln Alpha
	ratioBound float64 // 1 − ln SpikeRatio if SpikeRatio > e, else +Inf (no shortcut)
	// lamMax[k] is the largest λ with P(X ≥ k | λ) ≤ Alpha (bisection on
	// gonum's Poisson survival function at New), so that thresholds up to
	// len(lamMax)−1 need no log or exp per roll-over.
	lamMax [65]float64
}

// poissonBelow reports whether P(X ≥ t | λ) ≤ Alpha by table lookup; false
// when t is beyond the table.
func (th *thresholds) poissonBelow(lambda, t float64) bool {
	return t < float64(len(th.lamMax)) && lambda <= th.lamMax[int(t)]
}

// fillLamMax computes lamMax by bisection (P(X ≥ k | λ) increases with λ)
// on poissonTail; the tests check poissonTail against gonum.
func (th *thresholds) fillLamMax() {
	for k := 1; k < len(th.lamMax); k++ {
		lo, hi := 0.0, float64(k)
		for range 40 {
			mid := (lo + hi) / 2
			if poissonTail(mid, k) <= th.Alpha {
				lo = mid
			} else {
				hi = mid
			}
		}
		th.lamMax[k] = lo
	}
}

// poissonTail returns P(X ≥ k | X ~ Poisson(λ)) for 0 < λ < k by summing
// the pmf upwards from k, starting from ln p(k) = k·ln λ − λ − ln k!, until
// the terms no longer change the sum.
func poissonTail(lambda float64, k int) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	p := math.Exp(float64(k)*math.Log(lambda) - lambda - lg)
	sum := p
	for j := k + 1; p > sum*1e-17; j++ {
		p *= lambda / float64(j)
		sum += p
	}
	return sum
}

func newThresholds(th Thresholds) thresholds {
	th = th.withDefaults()
	rb := math.Inf(1)
	if th.SpikeRatio > math.E {
		rb = 1 - math.Log(th.SpikeRatio)
	}
	t := thresholds{
		Thresholds: th,
		zAlpha:     distuv.UnitNormal.Quantile(1 - th.Alpha),
		logA:       math.Log(th.Alpha),
		ratioBound: rb,
	}
	t.fillLamMax()
	return t
}

// spikeAt returns the smallest interval count that is anomalous for a series
// with baseline mean lambda and variance v:
//
//	t = max(MinCount, ⌈SpikeRatio·λ⌉, ⌈λ + SpikeZ·sd⌉, q)
//	sd = √max(v, λ)
//	q = min{k : P(X ≥ k | X ~ Poisson(λ)) ≤ Alpha}
//
// sd is never below the Poisson sd, so an over-dispersed series widens the
// band and an under-dispersed one does not narrow it below Poisson noise.
// NaN or negative inputs count as zero. The result saturates at MaxUint32.
// It does not allocate; its cost is a few ns unless the Poisson term binds
// (then at most ~60 steps of a pmf recurrence, or a closed-form
// approximation for λ > 30).
func (th *thresholds) spikeAt(lambda, v float64) uint32 {
	if !(lambda > 0) {
		lambda = 0
	}
	if !(v > 0) {
		v = 0
	}
	sd := math.Sqrt(max(v, lambda))
	t := max(float64(th.MinCount), math.Ceil(th.SpikeRatio*lambda), math.Ceil(lambda+th.SpikeZ*sd), 1)
	// Skip the exact quantile when the Chernoff bound already puts
	// P(X ≥ t) below Alpha. Since t ≥ SpikeRatio·λ, the exponent is at most
	// −λ + t·(1 − ln SpikeRatio), which costs no log when SpikeRatio > e.
	if lambda > 0 && !th.poissonBelow(lambda, t) && -lambda+t*th.ratioBound > th.logA && chernoffExp(lambda, t) > th.logA {
		t = max(t, th.poissonUpper(lambda))
	}
	if t >= math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(t)
}

// chernoffExp returns the log of the Chernoff bound on the Poisson upper
// tail,
//
//	ln P(X ≥ k) ≤ −λ + k − k·ln(k/λ)   for k > λ > 0,
//
// and 0 (probability 1) for k ≤ λ. It is used to skip the exact quantile
// when another term of the threshold already guarantees a tail below Alpha.
func chernoffExp(lambda, k float64) float64 {
	if k <= lambda {
		return 0
	}
	return -lambda + k - k*math.Log(k/lambda)
}

// poissonUpper returns min{k : P(X ≥ k | λ) ≤ Alpha}. For λ ≤ 30 it sums the
// pmf with the recurrence p(k+1) = p(k)·λ/(k+1), exactly up to rounding; for
// larger λ it uses the Cornish–Fisher expansion of the Poisson quantile,
//
//	k ≈ λ + z√λ + (z² + 2)/6 + 1/2,
//
// where z is the unit-normal 1−Alpha quantile (the +1/2 is the continuity
// correction; within ±1 of the exact value for λ ≤ 10⁶, checked against
// gonum's distuv.Poisson in the tests).
func (th *thresholds) poissonUpper(lambda float64) float64 {
	if lambda <= 0 {
		return 1
	}
	if lambda > 30 {
		z := th.zAlpha
		return math.Ceil(lambda + z*math.Sqrt(lambda) + (z*z+2)/6 + 0.5)
	}
	p := math.Exp(-lambda)
	cdf := p
	k := 0.0
	for 1-cdf > th.Alpha && k < 1000 {
		k++
		p *= lambda / k
		cdf += p
	}
	return k + 1
}

// poissonConfidence returns 1 − P(X ≥ k | λ) using gonum's distuv.Poisson.
// It is called once per event, never per record. λ ≤ 0 gives 1 for k ≥ 1.
func poissonConfidence(k, lambda float64) float64 {
	if k <= 0 {
		return 0
	}
	if !(lambda > 0) {
		return 1
	}
	return distuv.Poisson{Lambda: lambda}.CDF(k - 1)
}

// ewma folds x into the exponentially weighted mean m and variance v with
// weight w (West 1979; Finch 2009, "Incremental calculation of weighted mean
// and variance"):
//
//	d  = x − m
//	m' = m + w·d
//	v' = (1 − w)·(v + w·d²)
func ewma(m, v, x, w float64) (mean, variance float64) {
	d := x - m
	return m + w*d, (1 - w) * (v + w*d*d)
}

// ewmaZeros folds g zero observations into (m, v) in closed form. With
// a = 1 − w:
//
//	m_g = aᵍ·m
//	v_g = aᵍ·(v + m²·(1 − aᵍ))
func ewmaZeros(m, v, w float64, g int64) (mean, variance float64) {
	ag := math.Pow(1-w, float64(g))
	return ag * m, ag * (v + m*m*(1-ag))
}

// robust returns a robust location and squared scale of x:
//
//	λ  = max(median(x), mean(x))
//	sd = 1.4826 · MAD(x) = 1.4826 · median(|xᵢ − median(x)|)
//
// (Hampel 1974; Rousseeuw & Croux 1993). The mean guards the low-count case
// where the median is 0 although errors do occur; it is fed only intervals
// outside surges. scratch must have room for len(x) values; x is not
// modified. Empty x gives (0, 0).
func robust(x, scratch []float64) (lambda, variance float64) {
	if len(x) == 0 {
		return 0, 0
	}
	s := append(scratch[:0], x...)
	slices.Sort(s)
	med := stat.Quantile(0.5, stat.Empirical, s, nil)
	mean := stat.Mean(s, nil)
	for i, v := range x {
		s[i] = math.Abs(v - med)
	}
	slices.Sort(s)
	mad := stat.Quantile(0.5, stat.Empirical, s, nil)
	sd := 1.4826 * mad
	return max(med, mean), sd * sd
}

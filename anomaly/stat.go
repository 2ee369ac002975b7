package anomaly

import (
	"math"
	"slices"
)

// thresholds holds the per-detector constants derived from Thresholds once,
// in New.
type thresholds struct {
	Thresholds
	zAlpha     float64 // upper 1−Alpha quantile of the unit normal
	logA       float64 // ln Alpha
	ratioBound float64 // 1 − ln SpikeRatio if SpikeRatio > e, else +Inf (no shortcut)
	// The low-rate CUSUM (see cusumAt): h = −ln Alpha, ln r and r − 1
	// with r = SpikeRatio, the largest baseline it runs for, and the
	// history it needs. lnRatio is 0 when SpikeRatio ≤ 1 (no CUSUM).
	cusumH, lnRatio, ratioM1 float64
	cusumBelow               float64 // MinCount / SpikeRatio; −Inf without CUSUM (lowRate is one comparison)
	cusumHistory             int64   // ⌈1 / Smoothing⌉ intervals
	cusumFloor               float64 // max(ln r / (r − 1), 1 / cusumHistory): the smallest baseline the CUSUM assumes
	// steadyN is the smallest n with 1/n ≤ Smoothing in floating point,
	// so that from the n-th folded value on the EWMA weight is Smoothing
	// without a division per roll-over (see weight).
	steadyN int64
	// steadyHist is the history from which every test of the roll-over
	// that depends on n alone has its final outcome (the baseline and
	// the CUSUM are ready, the EWMA weight is Smoothing, the presence is
	// an EWMA): a slot past it takes the steady roll (see rollNext).
	steadyHist int64
	// lamMax[k] is the largest λ with P(X ≥ k | λ) ≤ Alpha (bisection on
	// the Poisson survival function poissonTail at New), so that thresholds up to
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
func poissonTail(lambda float64, k int) float64 { return poissonTailF(lambda, float64(k)) }

// poissonTailF is [poissonTail] with a float k (a whole number > λ).
func poissonTailF(lambda, k float64) float64 {
	lg, _ := math.Lgamma(k + 1)
	p := math.Exp(k*math.Log(lambda) - lambda - lg)
	sum := p
	for j := k + 1; p > sum*1e-17; j++ {
		p *= lambda / j
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
		zAlpha:     normalUpper(th.Alpha),
		logA:       math.Log(th.Alpha),
		ratioBound: rb,
	}
	t.cusumBelow = math.Inf(-1)
	if th.SpikeRatio > 1 {
		t.cusumH = -t.logA
		t.lnRatio = math.Log(th.SpikeRatio)
		t.ratioM1 = th.SpikeRatio - 1
		t.cusumBelow = float64(th.MinCount) / th.SpikeRatio
		t.cusumHistory = int64(math.Ceil(1 / th.Smoothing))
		t.cusumFloor = max(t.lnRatio/t.ratioM1, 1/float64(t.cusumHistory))
	}
	t.fillLamMax()
	t.steadyN = math.MaxInt64
	if w := th.Smoothing; w > 0 {
		// 1/n is monotone in n (correctly rounded division), so every
		// n ≥ steadyN has 1/n ≤ w too.
		n := max(1, int64(1/w)-2)
		for 1/float64(n) > w {
			n++
		}
		t.steadyN = n
	}
	t.steadyHist = max(int64(th.MinHistoryIntervals), t.cusumHistory, t.steadyN, 2)
	return t
}

// weight returns the weight of the value folded after n earlier ones,
// max(Smoothing, 1/(n + 1)): the running mean for the first 1/Smoothing
// values (a bias-corrected start), then the EWMA.
func (th *thresholds) weight(n int64) float64 {
	if n+1 >= th.steadyN {
		return th.Smoothing
	}
	return max(th.Smoothing, 1/float64(n+1))
}

// lowRate reports whether the CUSUM runs for a series with baseline mean
// lambda: r·λ < MinCount, where the single-interval threshold is held up by
// MinCount rather than by the baseline.
func (th *thresholds) lowRate(lambda float64) bool {
	return lambda < th.cusumBelow // −Inf when lnRatio is 0
}

// cusumStep folds one finalized interval count k into the CUSUM statistic
// s of a series with baseline mean lambda (Page 1954; for Poisson counts
// Lucas 1985):
//
//	s' = max(0, s + k·ln r − (r − 1)·λ)
//
// The increment is the log-likelihood ratio of Poisson(r·λ) against
// Poisson(λ) for k, with r = SpikeRatio: s is the evidence, accumulated
// over the recent intervals, that the rate has risen r-fold. NaN or
// negative inputs count as zero.
func (th *thresholds) cusumStep(s, k, lambda float64) float64 {
	lambda = th.cusumBase(lambda)
	if !(s > 0) {
		s = 0
	}
	return max(0, s+k*th.lnRatio-th.ratioM1*lambda)
}

// cusumDrain returns s after g intervals without records, during which the
// baseline mean decays from lambda as an EWMA with weight w (λ·aʲ in the
// j-th, a = 1 − w), each charged at no less than the floor f (cusumBase):
//
//	s' = max(0, s − (r − 1)·Σ_{j<g} max(f, λ·aʲ))
//	   = max(0, s − (r − 1)·(λ·(1 − aᴶ)/w + f·(g − J)))
//
// where J ≤ g counts the intervals whose decayed mean is still above f,
// so that a gap drains exactly as g empty intervals stepped one by one.
func (th *thresholds) cusumDrain(s, lambda, w float64, g int64) float64 {
	if !(s > 0) {
		return 0
	}
	f := th.cusumFloor
	if !(lambda > f) {
		return max(0, s-th.ratioM1*f*float64(g))
	}
	a := 1 - w
	// λ·aʲ > f  ⇔  j < ln(f/λ) / ln a.
	j := min(float64(g), math.Ceil(math.Log(f/lambda)/math.Log(a)))
	drift := lambda*(1-math.Pow(a, j))/w + f*(float64(g)-j)
	return max(0, s-th.ratioM1*drift)
}

// cusumAt returns the smallest count in the next interval that takes the
// CUSUM statistic s to its threshold h = ln(1/Alpha),
//
//	s + k·ln r − (r − 1)·λ ≥ h  ⇔  k ≥ (h − s + (r − 1)·λ) / ln r,
//
// at least 1. The whole interval's drift (r − 1)·λ is charged up front, so
// a count that reaches the value within the interval has reached it for
// the interval too. By Lorden (1971) the CUSUM of a log-likelihood ratio
// with threshold h raises a false alarm at most once per e^h intervals on
// average when the baseline is right (10⁶ intervals, about 11.6 days at
// 1 s and the default Alpha). A series at or below the floor (see
// cusumBase) needs h/ln r (8.6 at the defaults) records beyond the first
// of their intervals, within a run of intervals none of which drains the
// evidence to 0: from a standing start, 10 in one interval (MinCount, at
// the defaults), or for example 4 per interval for 3 intervals. It
// returns MaxUint32 (no alarm possible) when the CUSUM does not run
// (lnRatio 0).
func (th *thresholds) cusumAt(lambda, s float64) uint32 {
	if th.lnRatio == 0 {
		return math.MaxUint32
	}
	lambda = th.cusumBase(lambda)
	if !(s > 0) {
		s = 0
	}
	k := math.Ceil((th.cusumH - s + th.ratioM1*lambda) / th.lnRatio)
	switch {
	case !(k >= 1):
		return 1
	case k >= math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(k)
}

// cusumRef returns the CUSUM's reference count (r − 1)·λ / ln r: the count
// whose log-likelihood ratio is zero, halfway (in evidence) between the
// baseline λ and r·λ. A spike or surge that the CUSUM opened closes after
// intervals below it (see closeBelow for the others).
// The result is at least 1, so that an empty interval is always quiet.
func (th *thresholds) cusumRef(lambda float64) float64 {
	if th.lnRatio == 0 {
		return 1
	}
	return max(1, th.ratioM1*th.cusumBase(lambda)/th.lnRatio)
}

// cusumBase returns the baseline the CUSUM assumes for an estimated mean
// lambda: at least the floor f = max(ln r / (r − 1), 1/⌈1/Smoothing⌉), so
// that an interval with at most one record is never evidence of a rise.
// At the floor the increment k·ln r − (r − 1)·f is (k − 1)·ln r: a sparse
// series accumulates evidence only from records beyond the first of an
// interval, and the reference count cusumRef, below which an interval
// is quiet and closes the spike, is 1. A lower floor would let isolated
// single records, each one an interval the close rule calls quiet, add up
// to an alarm: at f = 1/50 (one record over the EWMA's memory), any ten
// records within 28 intervals did, and clumps of 10 to 16 records over 5
// to 30 s, after hours of silence, were reported as spikes in HDFS logs
// (see the package documentation). The second term keeps the drift positive for very
// large r (an estimate of 0 does not mean the rate is 0). NaN counts as
// zero.
func (th *thresholds) cusumBase(lambda float64) float64 {
	if !(lambda > th.cusumFloor) {
		return th.cusumFloor
	}
	return lambda
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

// spikeFloor returns a lower bound of spikeAt(lambda, v) for any v, its
// terms that cost no square root or quantile:
//
//	max(MinCount, ⌈SpikeRatio·λ⌉, 1)
//
// A count below it is below the threshold, so the threshold itself is
// computed only for an interval whose count reaches the floor.
func (th *thresholds) spikeFloor(lambda float64) uint32 {
	// Branches instead of a float max (whose NaN and signed-zero rules
	// cost more than the rest): ⌈r·λ⌉ ≤ MinCount exactly when r·λ ≤
	// MinCount, since MinCount is an integer.
	rl := th.SpikeRatio * lambda
	if !(rl > float64(th.MinCount)) {
		return uint32(min(max(th.MinCount, 1), math.MaxUint32))
	}
	if t := math.Ceil(rl); t < math.MaxUint32 {
		return uint32(t)
	}
	return math.MaxUint32
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

// poissonConfidence returns 1 − P(X ≥ k | λ) = P(X ≤ k − 1 | λ) (see
// [poissonCDF]). It is called once per event, never per record. λ ≤ 0
// gives 1 for k ≥ 1.
func poissonConfidence(k, lambda float64) float64 {
	if k <= 0 {
		return 0
	}
	if !(lambda > 0) {
		return 1
	}
	return poissonCDF(k-1, lambda)
}

// poissonCDF returns P(X ≤ ⌊n⌋ | X ~ Poisson(λ)) for λ > 0, and 0 for
// n < 0. It sums the pmf from ⌊n⌋ away from the mode, where the terms
// decrease, until they no longer change the sum:
//
//	n ≥ λ:  1 − Σ_{j>n} p(j)     (upper tail, [poissonTail])
//	n < λ:  Σ_{j≤n} p(j)         (p(j−1) = p(j)·j/λ)
//
// with p(j) = e^(j·ln λ − λ − ln j!). It costs O(√λ) terms and is called
// off the hot path only (events, roll-overs of coarse scales); the tests
// check it against gonum's distuv.Poisson.CDF within 1e-12 for λ ≤ 100
// (the rounding of ln p(j), of order λ, widens that to 1e-8 at λ = 10⁶).
func poissonCDF(n, lambda float64) float64 {
	n = math.Floor(n)
	if n < 0 {
		return 0
	}
	if n >= lambda {
		return 1 - poissonTailF(lambda, n+1)
	}
	lg, _ := math.Lgamma(n + 1)
	p := math.Exp(n*math.Log(lambda) - lambda - lg)
	sum := p
	for j := n; j > 0 && p > sum*1e-17; j-- {
		p *= j / lambda
		sum += p
	}
	return min(sum, 1)
}

// normalUpper returns the upper a-quantile of the unit normal, the z with
// P(Z > z) = a:
//
//	z = Φ⁻¹(1 − a) = √2 · erfc⁻¹(2a)
//
// computed from erfc⁻¹ so that small a keeps its precision (the tests check
// it against gonum's distuv.UnitNormal.Quantile).
func normalUpper(a float64) float64 { return math.Sqrt2 * math.Erfcinv(2*a) }

// normalLower returns Φ(−z) = P(Z > z) = erfc(z/√2)/2.
func normalLower(z float64) float64 { return math.Erfc(z/math.Sqrt2) / 2 }

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
	med := lowerMedian(s)
	var sum float64
	for _, v := range s {
		sum += v
	}
	mean := sum / float64(len(s))
	for i, v := range x {
		s[i] = math.Abs(v - med)
	}
	slices.Sort(s)
	mad := lowerMedian(s)
	sd := 1.4826 * mad
	return max(med, mean), sd * sd
}

// lowerMedian returns the empirical median of the sorted, non-empty s: the
// smallest s[i] with (i+1)/n ≥ 1/2, that is s[(n−1)/2] (the lower of the
// two middle values when n is even; gonum's stat.Quantile(0.5,
// stat.Empirical, …), checked in the tests).
func lowerMedian(s []float64) float64 { return s[(len(s)-1)/2] }

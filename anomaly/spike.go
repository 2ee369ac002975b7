package anomaly

import "math"

// Spike reports whether count records in a window are a rate spike against
// a baseline of baseline expected records in a window of the same length,
// by the Detector's single-interval rule with th (zero fields mean the
// defaults): count must reach all of
//
//	MinCount,  SpikeRatio·λ,  λ + SpikeZ·√λ,  and  P(X ≥ count | X ~ Poisson(λ)) ≤ Alpha
//
// with λ = baseline (a non-positive or NaN baseline is 0, where any count
// of at least MinCount is a spike). It is for callers that compare two
// aggregated windows instead of running a Detector, such as the server's
// policy generator, so that the product has one spike rule. It costs a
// Poisson tail sum (O(√λ) terms); it is not meant for the hot path.
func (th Thresholds) Spike(count, baseline float64) bool {
	th = th.withDefaults()
	lambda := baseline
	if !(lambda > 0) {
		lambda = 0
	}
	t := max(float64(th.MinCount), th.SpikeRatio*lambda, lambda+th.SpikeZ*math.Sqrt(lambda), 1)
	if !(count >= t) {
		return false
	}
	return poissonUpperTail(math.Floor(count), lambda) <= th.Alpha
}

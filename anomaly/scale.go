package anomaly

import (
	"math"
	"math/bits"
	"time"
)

// maxScales is the number of coarse time scales a Detector runs at most
// besides its interval (see [WithScales]).
const maxScales = 4

// DefaultScales are the coarse time scales run besides the 1 s interval when
// neither [WithInterval] nor [WithScales] is given: 10 s, 1 min, 5 min and
// 1 h.
// Together with the interval they cover request logs (seconds) to batch jobs
// (minutes); see the package documentation, section "Time scales".
var DefaultScales = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, time.Hour}

// scaleState is one pattern's baseline at one coarse scale: where the
// current bucket starts in the pattern's running total (the bucket's count
// is the total minus mark) and an EWMA mean and variance of completed
// bucket counts. Guarded by the shard's mutex.
type scaleState struct {
	mark  uint64  // the slot's total at the start of the current bucket
	runs  [3]int8 // consecutive buckets past z_L for L = 2, 3, 4: > 0 above, < 0 below
	quiet uint8   // consecutive quiet buckets of the event this scale owns
	age   int32   // buckets since this scale's event opened
	n     int32   // completed buckets folded into the baseline
	mean  float64 // EWMA of bucket counts
	vr    float64 // EWMA variance of bucket counts
}

// Owners of a slot's spike and drop events: which scale's rules close them.
const (
	ownNone int8 = 0 // no event
	ownBase int8 = 1 // the interval's own tests (rate spike within an interval; drop at its end)
)

// own returns the owner code of coarse scale j.
func own(j int) int8 { return int8(j + 2) }

// floorDiv returns ⌊a / b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a < 0 && q*b != a {
		q--
	}
	return q
}

// runZ returns the z-score z_L that L consecutive buckets must all pass
// for a run alarm: the one-sided normal tail of z_L to the power L equals
// the tail of SpikeZ,
//
//	Φ(−z_L)^L = Φ(−SpikeZ)      (z₂ = 4.0, z₃ = 3.1, z₄ = 2.5 at SpikeZ 6)
//
// so that a run of L independent buckets is as improbable under the
// baseline as one bucket past SpikeZ.
func runZ(z float64, L int) float64 {
	return normalUpper(math.Pow(normalLower(z), 1/float64(L)))
}

// poissonLower returns P(X ≤ k | X ~ Poisson(λ)); λ ≤ 0 gives 1.
func poissonLower(k, lambda float64) float64 {
	if !(lambda > 0) {
		return 1
	}
	return poissonCDF(k, lambda)
}

// poissonUpperTail returns P(X ≥ k | X ~ Poisson(λ)); λ ≤ 0 gives 0 for k ≥ 1.
func poissonUpperTail(k, lambda float64) float64 { return 1 - poissonConfidence(k, lambda) }

// rollScales finalizes the buckets of the coarse scales that end before
// interval to (b, computed once per shard roll-over; their counts:
// s.total, which includes interval from, minus the bucket's mark, at most
// MaxUint32), and folds whole empty buckets between from and to. Called from rollSlot with the shard's mutex held,
// when b says a bucket ends.
func (d *Detector) rollScales(s *slot, b *bounds) {
	// The scales whose bucket ends (the others' buckets go on), in
	// order.
	for m := b.scales; m != 0; m &= m - 1 {
		j := bits.TrailingZeros8(m)
		sc := &s.x.sc[j]
		f := d.scaleN[j]
		end := b.end[j] // last interval of from's bucket
		d.bucket(s, j, end, b.minute1[j], float64(min(s.total-sc.mark, math.MaxUint32)))
		sc.mark = s.total
		nb := b.empty[j] // whole empty buckets before to
		if nb <= 0 {
			continue
		}
		d.bucket(s, j, end+f, d.minuteOf(end+1, end+f), 0)
		if nb--; nb > 0 && sc.n > 0 {
			if s.spikeOwn == own(j) {
				d.closeScaleSpike(s, j, end+f+1)
			}
			if s.dropOwn != own(j) {
				sc.mean, sc.vr = ewmaZeros(sc.mean, sc.vr, d.th.Smoothing, nb)
			}
			sc.n += int32(min(nb, math.MaxInt32-int64(sc.n)))
		}
	}
	d.syncCoarse(s)
}

// bucket applies the rules of coarse scale j to a finished bucket whose last
// interval is end and whose count is k. See the package documentation,
// section "Time scales".
func (d *Detector) bucket(s *slot, j int, end, minute int64, k float64) {
	f := d.scaleN[j]
	sc := &s.x.sc[j]
	startIdx := end - f + 1
	if startIdx <= s.first {
		return // the pattern's first, partial bucket
	}
	th := &d.th
	up, dn := d.bucketSeason(s, startIdx, end, minute)
	sd := math.Sqrt(max(sc.vr, sc.mean))
	eUp, sdUp := sc.mean*up, sd*up
	eDn, sdDn := sc.mean*dn, sd*dn
	hiRun, loRun := eUp+d.zRun*sdUp, eDn-d.zRun*sdDn
	ready := sc.n >= int32(th.MinHistoryIntervals)

	// Events this scale owns: close, or turn into a level shift.
	owned := false
	if s.spikeOwn == own(j) {
		owned = true
		ev := s.spike
		ev.Value = max(ev.Value, k)
		if k < eUp+d.zRun*sdUp/2 {
			sc.quiet++
		} else {
			sc.quiet = 0
		}
		sc.age++
		switch {
		case sc.quiet >= closeQuiet:
			d.closeScaleSpike(s, j, end+1-int64(closeQuiet-1)*f)
		case sc.age >= int32(th.MinHistoryIntervals):
			d.closeScaleSpike(s, j, end+1)
			d.levelShift(s, k/float64(f))
		}
	}
	if s.dropOwn == own(j) {
		owned = true
		ev := s.drop
		ev.Value = min(ev.Value, k)
		if k > eDn-d.zRun*sdDn/2 {
			sc.quiet++
		} else {
			sc.quiet = 0
		}
		sc.age++
		switch {
		case sc.quiet >= closeQuiet:
			d.closeDrop(s, end+1-int64(closeQuiet-1)*f, end)
		case sc.age >= int32(th.MinHistoryIntervals):
			d.closeDrop(s, end+1, end)
			d.levelShift(s, k/float64(f))
		}
	}
	if owned {
		return // the baseline is frozen while its own event is open
	}

	// Tests: one bucket past SpikeZ, or a run of L buckets each past z_L.
	if ready && d.insideRuns(k, eUp, sdUp, eDn, sdDn) {
		// The common bucket: no test passes and every run restarts.
		sc.runs = [len(sc.runs)]int8{}
	} else if ready {
		z := th.SpikeZ
		rise, drop := k >= eUp+z*sdUp, k <= eDn-z*sdDn
		runUp, runDn := d.bucketRuns(&sc.runs, k, eUp, sdUp, eDn, sdDn)
		if s.spike == nil && !th.lowRate(sc.mean) && k >= float64(th.MinCount) && (rise || runUp > 0) {
			alpha, L := th.Alpha, 1
			if !rise {
				alpha, L = math.Pow(alpha, 1/float64(runUp)), runUp
			}
			if p := poissonUpperTail(k, eUp); p <= alpha {
				d.openScaleSpike(s, j, k, eUp, sdUp, 1-p, startIdx-int64(L-1)*f, end)
				sc.runs = [len(sc.runs)]int8{}
				return
			}
		}
		if s.drop == nil && (drop || runDn > 0) {
			alpha, L := th.Alpha, 1
			if !drop {
				alpha, L = math.Pow(alpha, 1/float64(runDn)), runDn
			}
			if p := poissonLower(k, eDn); p <= alpha {
				d.openDrop(s, own(j), time.Duration(f)*d.cfg.interval, k, eDn, sdDn, 1-p, startIdx-int64(L-1)*f, end+1)
				sc.runs = [len(sc.runs)]int8{}
				return
			}
		}
	}

	// Fold the bucket, winsorized at the run thresholds once tested.
	x := k
	if ready {
		x = min(max(x, max(loRun, 0)), hiRun)
	}
	if sc.n == 0 {
		sc.mean, sc.vr = x, x
	} else {
		sc.mean, sc.vr = ewma(sc.mean, sc.vr, x, th.weight(int64(sc.n)))
	}
	sc.n++
}

// bucketRuns updates the runs of a bucket with count k against the run
// thresholds z_L (e ± z_L·sd, above and below) and returns the length L
// of the shortest run up and down that reached L buckets (0: none).
func (d *Detector) bucketRuns(runs *[3]int8, k, eUp, sdUp, eDn, sdDn float64) (runUp, runDn int) {
	for i, zl := range d.zRuns {
		r := &runs[i]
		switch {
		case k >= eUp+zl*sdUp:
			*r = max(*r, 0) + 1
		case k <= eDn-zl*sdDn:
			*r = min(*r, 0) - 1
		default:
			*r = 0
		}
		if L := i + 2; int(*r) >= L && runUp == 0 {
			runUp = L
		} else if int(-*r) >= L && runDn == 0 {
			runDn = L
		}
	}
	return runUp, runDn
}

// insideRuns reports whether a bucket with count k lies inside the lowest
// run threshold on both sides (and SpikeZ is not below it): then k is
// inside every z_L and SpikeZ, since a threshold e ± z·sd is monotone in z
// for sd ≥ 0 (in floating point too: a product and a sum of rounded
// monotone operations), so no test passes and bucketRuns would set every
// run to 0 and return none. TestInsideRuns checks it against bucketRuns.
func (d *Detector) insideRuns(k, eUp, sdUp, eDn, sdDn float64) bool {
	return sdUp >= 0 && sdDn >= 0 && d.th.SpikeZ >= d.zMin && k < eUp+d.zMin*sdUp && k > eDn-d.zMin*sdDn
}

// bucketSeason returns seasonFactor(s, a, b) for the bucket of intervals
// [a, b], whose minute is m (minuteOf). A bucket within one minute (the
// 10 s scale's) has the factors of that minute, which the slot caches
// (seasonIn): the roll-over of a slot in the middle of a minute then reads
// no seasonal profile.
func (d *Detector) bucketSeason(s *slot, a, b, m int64) (up, dn float64) {
	if m != none {
		return d.seasonIn(s, b, m)
	}
	return d.seasonFactor(s, a, b)
}

// minuteOf returns the minute of the intervals [a, b] when they lie within
// one minute and the seasonal profile runs, or none.
func (d *Detector) minuteOf(a, b int64) int64 {
	if d.minuteN > 0 {
		if m := floorDiv(b, d.minuteN); a >= m*d.minuteN {
			return m
		}
	}
	return none
}

// openScaleSpike opens a RateSpike owned by coarse scale j.
func (d *Detector) openScaleSpike(s *slot, j int, k, e, sd, conf float64, startIdx, end int64) {
	s.spikeOwn = own(j)
	s.x.sc[j].quiet, s.x.sc[j].age = 0, 0
	s.cusum = 0
	s.spike = d.newEvent(Event{
		Type:       RateSpike,
		Pattern:    s.x.sig,
		Template:   s.x.template,
		Level:      s.maxLevel,
		Severity:   severityOf(s.maxLevel, d.cfg.errLevel, SeverityWarning),
		Scale:      time.Duration(d.scaleN[j]) * d.cfg.interval,
		Value:      k,
		Baseline:   e,
		Score:      (k - e) / max(sd, 1e-9),
		Confidence: conf,
		Start:      d.start(startIdx),
		Detected:   d.start(end + 1),
	})
}

// closeScaleSpike closes a RateSpike owned by a coarse scale at the start of
// interval endIdx.
func (d *Detector) closeScaleSpike(s *slot, j int, endIdx int64) {
	d.closeSlotEvent(s, &s.spike, endIdx, endIdx-1+int64(d.th.DecayIntervals))
}

// openDrop opens a RateDrop owned by scale own (ownBase: the interval).
func (d *Detector) openDrop(s *slot, owner int8, scale time.Duration, k, e, sd, conf float64, startIdx, detIdx int64) {
	s.dropOwn = owner
	if owner >= own(0) {
		s.x.sc[owner-own(0)].quiet, s.x.sc[owner-own(0)].age = 0, 0
	} else {
		s.x.dropQuiet, s.dropAge = 0, 0
	}
	s.drop = d.newEvent(Event{
		Type:       RateDrop,
		Pattern:    s.x.sig,
		Template:   s.x.template,
		Level:      s.maxLevel,
		Severity:   severityOf(s.maxLevel, d.cfg.errLevel, SeverityWarning),
		Scale:      scale,
		Value:      k,
		Baseline:   e,
		Score:      (k - e) / max(sd, 1e-9),
		Confidence: conf,
		Start:      d.start(startIdx),
		Detected:   d.start(detIdx),
	})
}

// closeDrop closes the RateDrop at the start of interval endIdx.
func (d *Detector) closeDrop(s *slot, endIdx, openTill int64) {
	d.closeSlotEvent(s, &s.drop, endIdx, openTill)
}

// levelShift restarts every baseline of s from rate records per interval:
// an anomaly that lasted MinHistoryIntervals buckets of its scale is the
// new normal, which each scale relearns from this rate.
func (d *Detector) levelShift(s *slot, rate float64) {
	s.mean, s.vr = rate, rate
	for j := range d.nScales {
		sc := &s.x.sc[j]
		m := rate * float64(d.scaleN[j])
		sc.mean, sc.vr, sc.n, sc.runs = m, m, 1, [len(sc.runs)]int8{}
	}
	d.syncCoarse(s)
}

// baseDrop applies the drop rule to interval from of the interval's own
// scale (count k, baseline s.mean and s.vr before folding k). Called from
// rollSlot when the interval is finalized.
func (d *Detector) baseDrop(s *slot, from, minute int64, k float64) {
	th := &d.th
	if s.dropOwn != ownBase && (s.drop != nil || s.n < int64(th.MinHistoryIntervals) || s.mean < -th.logA/2) {
		// Nothing to close, or no drop can pass: below a mean of
		// ln(1/Alpha)/2 even an empty interval has P(X = 0) = e^(−m) above
		// the run's Alpha^(1/2).
		return
	}
	_, dn := d.seasonIn(s, from, minute)
	sd := math.Sqrt(max(s.vr, s.mean)) * dn
	e := s.mean * dn
	lo := e - d.zRun*sd
	if s.dropOwn == ownBase {
		if k > e-d.zRun*sd/2 {
			s.x.dropQuiet++
		} else {
			s.x.dropQuiet = 0
		}
		s.dropAge++
		switch {
		case s.x.dropQuiet >= closeQuiet:
			d.closeDrop(s, from+2-closeQuiet, from)
		case s.dropAge >= int32(th.MinHistoryIntervals):
			d.closeDrop(s, from+1, from)
			d.levelShift(s, k)
		}
		return
	}
	if s.drop != nil || s.n < int64(th.MinHistoryIntervals) {
		return
	}
	if k <= lo {
		s.dropRun++
	} else {
		s.dropRun = 0
	}
	if k <= e-th.SpikeZ*sd || s.dropRun >= 2 {
		alpha := th.Alpha
		st := from
		if s.dropRun >= 2 {
			alpha = math.Sqrt(alpha)
			st--
		}
		if p := poissonLower(k, e); p <= alpha {
			s.dropRun = 0
			d.openDrop(s, ownBase, d.cfg.interval, k, e, sd, 1-p, st, from+1)
		}
	}
}

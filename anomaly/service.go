package anomaly

import (
	"math"
	"math/bits"
	"sync"
	"time"
)

// histLen is the number of past intervals in the service-wide baseline: one
// minute at the default interval, enough for a stable median and MAD while
// the per-interval sort (2 × 60 floats) stays at a few µs.
const histLen = 60

// service is the error-surge detector's state. The baseline is a ring of the
// last histLen intervals outside surges.
type service struct {
	mu       sync.Mutex
	last     int64 // last finalized interval
	errs     [histLen]float64
	totals   [histLen]float64
	pos, n   int
	scratch  [histLen]float64
	lambda   float64 // baseline error records per interval
	sd       float64
	share    float64 // baseline error share Σerrors / Σrecords
	plainAt  uint32  // single-interval error threshold (errAt without the CUSUM)
	cusum    float64 // low-rate CUSUM statistic of the error counts
	closeAt  float64 // the active surge is quiet below this error count
	surge    *Event
	surgeIdx int64
	quiet    int64  // consecutive quiet intervals of the active surge
	records  uint64 // records in finalized intervals
	errCount uint64
}

func (sv *service) push(e, n float64) {
	sv.errs[sv.pos], sv.totals[sv.pos] = e, n
	sv.pos = (sv.pos + 1) % histLen
	sv.n = min(sv.n+1, histLen)
}

// rollService finalizes interval from, whose counts are packed in v
// (total<<32 | errors), folds the empty intervals up to to, and recomputes
// the surge threshold published to the hot path.
func (d *Detector) rollService(from, to int64, v uint64) {
	th := &d.th
	sv := &d.svc
	n, e := float64(v>>32), float64(uint32(v))
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.records += v >> 32
	sv.errCount += uint64(uint32(v))
	if from == none || from <= sv.last && sv.last != none {
		// First interval, or a roll that lost the race with a later one:
		// its few counts are not worth a history entry.
		sv.last = max(sv.last, to-1)
		return
	}
	if ev := sv.surge; ev != nil {
		ev.Value = max(ev.Value, e)
		if e < sv.closeAt || e < d.shareMin()*n/2 {
			sv.quiet++
		} else {
			sv.quiet = 0
		}
		switch {
		case sv.quiet >= closeQuiet:
			d.closeSurge(from+1-closeQuiet, from+int64(th.DecayIntervals))
		case from-sv.surgeIdx+1 >= int64(th.MaxAnomalyIntervals):
			d.closeSurge(from+1, from+int64(th.DecayIntervals))
			sv.n, sv.pos = 0, 0 // level shift: restart the baseline
			sv.push(e, n)
		}
	} else {
		if d.svcCUSUM() {
			// The drift is charged for the larger of the baseline rate
			// and the baseline share of this interval's records, so that
			// more traffic with the usual share of errors is no evidence.
			sv.cusum = th.cusumStep(sv.cusum, e, max(sv.lambda, sv.share*n))
		} else {
			sv.cusum = 0
		}
		sv.push(e, n)
	}
	if g := to - from - 1; g > 0 {
		if sv.surge != nil {
			d.closeSurge(from+1, from+int64(th.DecayIntervals))
		}
		if sv.cusum > 0 {
			sv.cusum = max(0, sv.cusum-float64(g)*th.ratioM1*th.cusumBase(sv.lambda))
		}
		for range min(g, histLen) {
			sv.push(0, 0)
		}
	}
	sv.last = to - 1
	if sv.surge != nil {
		return // keep the threshold frozen during a surge
	}
	if sv.n < th.MinHistoryIntervals {
		d.errAt.Store(0)
		return
	}
	var sumE, sumN float64
	for i := range sv.n {
		sumE += sv.errs[i]
		sumN += sv.totals[i]
	}
	lambda, variance := robust(sv.errs[:sv.n], sv.scratch[:])
	sv.lambda, sv.sd = lambda, math.Sqrt(max(variance, lambda))
	share := 0.0
	if sumN > 0 {
		share = sumE / sumN
	}
	sv.share = share
	// A surge needs SurgeShareRatio × the baseline share, or halfway from
	// the baseline share to 100 % when that is lower (a service that is
	// already mostly errors cannot double its share).
	d.shareMinBits.Store(math.Float64bits(min(th.SurgeShareRatio*share, (1+share)/2)))
	sv.plainAt = th.spikeAt(lambda, variance)
	at := sv.plainAt
	if d.svcCUSUM() {
		at = min(at, th.cusumAt(lambda, sv.cusum))
	} else {
		sv.cusum = 0
	}
	d.errAt.Store(at)
}

// svcCUSUM reports whether the service's low-rate CUSUM runs: the error
// baseline is low-rate and has min(histLen, ⌈1/Smoothing⌉) intervals of
// history. Called with sv.mu held.
func (d *Detector) svcCUSUM() bool {
	sv := &d.svc
	return int64(sv.n) >= min(histLen, d.th.cusumHistory) && d.th.lowRate(sv.lambda)
}

func (d *Detector) shareMin() float64 { return math.Float64frombits(d.shareMinBits.Load()) }

// openSurge opens an ErrorSurge at the record that crossed the threshold.
func (d *Detector) openSurge(e, n float64, idx int64, t time.Time) {
	sv := &d.svc
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.surge != nil {
		return
	}
	sv.surgeIdx, sv.quiet = idx, 0
	sv.closeAt = closeBelow(sv.lambda, sv.plainAt)
	if uint32(e) < sv.plainAt {
		sv.closeAt = d.th.cusumRef(sv.lambda) // opened by the CUSUM
	}
	sv.cusum = 0
	d.surgeOn.Store(true)
	sv.surge = d.newEvent(Event{
		Type:       ErrorSurge,
		Level:      d.cfg.errLevel,
		Severity:   SeverityCritical,
		Scale:      d.cfg.interval,
		Value:      e,
		Baseline:   sv.lambda,
		Score:      (e - sv.lambda) / max(sv.sd, 1e-9),
		Confidence: poissonConfidence(e, sv.lambda),
		Start:      d.start(idx),
		Detected:   t,
	})
}

// closeSurge closes the active surge at the start of interval endIdx and
// keeps the valve open through interval till. Called with sv.mu held.
func (d *Detector) closeSurge(endIdx, till int64) {
	sv := &d.svc
	ev := sv.surge
	ev.End = d.start(endIdx)
	sv.surge = nil
	d.surgeTill.Store(max(d.surgeTill.Load(), till))
	d.surgeOn.Store(false)
	d.publish(*ev)
}

// collect returns the records counted in the shards since the last
// collect and resets their counts: the service's count of the interval
// that ends. It locks only the shards that counted records (svcDirty), one
// at a time. A record counted in a shard after its turn is collected with
// the next interval, as a record racing with the interval's end always
// could be.
func (d *Detector) collect() uint64 {
	var n uint64
	for m := d.svcDirty.Swap(0); m != 0; m &= m - 1 {
		sh := &d.shards[bits.TrailingZeros64(m)]
		sh.mu.Lock()
		n += sh.svcN
		sh.svcN = 0
		sh.mu.Unlock()
	}
	d.svcEpoch.Add(1)
	return n
}

// shareSkip remembers, for one interval, an error count below which the
// surge's share test fails: the records of an interval only grow, so a
// count e with e < shareMin·n for an earlier n fails for every later n.
type shareSkip struct {
	mu    sync.Mutex
	epoch uint64  // the collect epoch (Detector.svcEpoch) it holds for
	share float64 // the shareMin it was computed with
	below float64 // error counts below shareMin·n fail
}

// surgeShare reports whether e error records pass the surge's share test,
//
//	e ≥ shareMin · n      n: the interval's records, this one included
//
// and returns n. It runs only for an error record whose count reached the
// surge threshold, and sums the shards' counts (a lock each) unless an
// earlier sum of the same interval already shows the test fails.
func (d *Detector) surgeShare(e uint32) (n float64, ok bool) {
	sk := &d.shareSkip
	share := d.shareMin()
	sk.mu.Lock()
	defer sk.mu.Unlock()
	ep := d.svcEpoch.Load()
	if sk.epoch == ep && sk.share == share && float64(e) < sk.below && !d.slowOnly {
		return 0, false
	}
	// The record itself is counted in its shard after this test.
	n = float64(d.pending() + 1)
	if d.svcEpoch.Load() == ep {
		// No collect ran during the sum: n is a count of epoch ep.
		sk.epoch, sk.share, sk.below = ep, share, share*n
	}
	return n, float64(e) >= share*n
}

// pending returns the records counted in the shards since the last
// collect.
func (d *Detector) pending() uint64 {
	var n uint64
	for m := d.svcDirty.Load(); m != 0; m &= m - 1 {
		sh := &d.shards[bits.TrailingZeros64(m)]
		sh.mu.Lock()
		n += sh.svcN
		sh.mu.Unlock()
	}
	return n
}

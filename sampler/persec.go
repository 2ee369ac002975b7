package sampler

import (
	"sync/atomic"
	"time"
)

// SecondStats is what a Sampler kept in one second of record time, against
// the policy's target (see [Stats].Seconds and [Summary].Seconds).
type SecondStats struct {
	// Start is the start of the second (record time, UTC).
	Start time.Time
	// Target is the policy's target_per_second when the stats were read
	// (0: no adaptive sampling).
	Target float64
	// Adaptive counts the records kept by the adaptive rule in the second:
	// the records the target is about.
	Adaptive uint64
	// FirstN counts the records kept as the first N of their pattern in
	// the window.
	FirstN uint64
	// Anomaly counts the records kept by the anomaly valve.
	Anomaly uint64
}

// Kept returns the records kept in the second by the budgeted rules:
// Adaptive + FirstN + Anomaly. Exempt records and those of the pattern,
// severity and global rates (ERROR and CRITICAL among them) are not
// counted.
func (s SecondStats) Kept() uint64 { return s.Adaptive + s.FirstN + s.Anomaly }

// The per-second counters.
//
// secRing counts, for each of the last secRingSize seconds of record time,
// the records kept by the first-N, anomaly and adaptive rules: one counter
// word per second, rule and stripe (the record's stripeHint, so that
// goroutines on different cores add to different cache lines), holding the
// second's serial (high 24 bits) and the count (low 40 bits). A record adds
// with a CompareAndSwap; a word of another second is restarted by the
// first record of the new one, and a record secRingSize seconds or more
// older than the latest second counted is not counted per second (a record
// that races with the latest second's move may restart a word of a later
// second: per-second counts are approximate under such disorder).
// Only kept records of those rules pay for it: their number per second is
// what the budget bounds.
const secRingSize = 64

type secRing struct {
	stripes [numStripes]secStripe
	last    atomic.Int64 // the latest second counted
}

type secStripe struct {
	w [secRingSize][3]atomic.Uint64
	_ [64]byte
}

// secKind is the index of reason r's counter.
func secKind(r Reason) int {
	switch r {
	case ReasonAdaptive:
		return 0
	case ReasonFirstN:
		return 1
	}
	return 2
}

// secondOf returns the second of Unix nanoseconds nanos (floor).
func secondOf(nanos int64) int64 {
	s := nanos / 1e9
	if nanos < 0 && nanos%1e9 != 0 {
		s--
	}
	return s
}

// add counts one record kept with reason r at nanos, in stripe h.
func (sr *secRing) add(h uint64, nanos int64, r Reason) {
	sec := secondOf(nanos)
	l := sr.last.Load()
	if sec <= l-secRingSize {
		return // its word may hold a later second
	}
	tag := uint64(sec) & serialMask
	w := &sr.stripes[h&(numStripes-1)].w[uint64(sec)%secRingSize][secKind(r)]
	for {
		x := w.Load()
		y := tag<<countBits | 1
		if x>>countBits == tag {
			y = x + 1
		}
		if w.CompareAndSwap(x, y) {
			break
		}
	}
	if sec > l {
		sr.last.CompareAndSwap(l, sec)
	}
}

// second returns the counts of second sec.
func (sr *secRing) second(sec int64, target float64) SecondStats {
	st := SecondStats{Start: time.Unix(sec, 0).UTC(), Target: target}
	tag := uint64(sec) & serialMask
	for i := range sr.stripes {
		ws := &sr.stripes[i].w[uint64(sec)%secRingSize]
		for k := range ws {
			x := ws[k].Load()
			if x>>countBits != tag {
				continue
			}
			n := x & countMask
			switch k {
			case 0:
				st.Adaptive += n
			case 1:
				st.FirstN += n
			default:
				st.Anomaly += n
			}
		}
	}
	return st
}

// seconds returns the counts of the seconds in [from, to) still in the ring
// (at most the last secRingSize seconds before the latest counted), oldest
// first, leaving out seconds with no count.
func (sr *secRing) seconds(from, to int64, target float64) []SecondStats {
	last := sr.last.Load()
	from = max(from, last-secRingSize+1)
	to = min(to, last+1)
	var out []SecondStats
	for sec := from; sec < to; sec++ {
		if st := sr.second(sec, target); st.Kept() > 0 {
			out = append(out, st)
		}
	}
	return out
}

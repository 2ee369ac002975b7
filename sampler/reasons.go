package sampler

import "sync/atomic"

const halfMask = 1<<32 - 1

// reasonCounts counts decisions per Reason: decided and kept.
//
// Most decisions are counted in the tagged stripe words of the pattern
// table (see stripeCount), which reach totals here when they are folded or
// reset; the others (first-N and the records a stripe word cannot take)
// add to one counter here, so these counters are striped like the
// pattern counters (by stripeHint) and each stripe has its own cache
// lines; a counter packs the decided count (low 32 bits) and the kept count
// (high 32 bits), so a decision costs one atomic add, and is folded into
// the 64-bit totals by the decision whose add takes the low half to 2^31.
// The zero value is ready to use. It is safe for concurrent use.
type reasonCounts struct {
	_       [128]byte // off the cache lines of whatever precedes it
	stripes [numStripes]reasonStripe
	totals  [16]struct{ decided, kept atomic.Uint64 }
}

// reasonStripe is one stripe of counters, indexed by Reason&15 (numReasons
// is at most 16), padded to four cache lines so that the counters of two
// stripes never share a line, however the array is aligned.
type reasonStripe struct {
	c [16]atomic.Uint64
	_ [128]byte
}

// add counts one decision with reason r, kept or not, in stripe h.
func (rc *reasonCounts) add(h uint64, r Reason, keep bool) {
	inc := uint64(1)
	if keep {
		inc |= 1 << 32
	}
	c := &rc.stripes[h&(numStripes-1)].c[r&15]
	if x := c.Add(inc); x&halfMask >= 1<<31 {
		// As in fold: every decision that sees the half full tries
		// until one succeeds.
		for {
			y := c.Load()
			if y&halfMask < 1<<31 {
				return
			}
			if c.CompareAndSwap(y, 0) {
				t := &rc.totals[r&15]
				t.decided.Add(y & halfMask)
				t.kept.Add(y >> 32)
				return
			}
		}
	}
}

// addTotals adds the counts of x, a stripeCount word, to the totals of
// its tag.
func (rc *reasonCounts) addTotals(x uint64) {
	if x&countsMask == 0 {
		return
	}
	t := &rc.totals[x>>tagShift&15]
	t.decided.Add(x & seenMask)
	t.kept.Add(x >> keptShift & seenMask)
}

// snapshot returns the counts of the reasons with at least one decision,
// in Reason order, adding those in the words of stripes (the pattern
// table's, or nil).
func (rc *reasonCounts) snapshot(stripes *[numStripes][]stripeCount) []ReasonStats {
	var decided, kept [16]uint64
	if stripes != nil {
		for i := range stripes {
			for j := range stripes[i] {
				x := stripes[i][j].n.Load()
				tag := x >> tagShift & 15
				decided[tag] += x & seenMask
				kept[tag] += x >> keptShift & seenMask
			}
		}
	}
	var out []ReasonStats
	for r := range Reason(numReasons) {
		t := &rc.totals[r]
		decided, kept := decided[r]+t.decided.Load(), kept[r]+t.kept.Load()
		for h := range rc.stripes {
			x := rc.stripes[h].c[r].Load()
			decided += x & halfMask
			kept += x >> 32
		}
		if decided == 0 {
			continue
		}
		out = append(out, ReasonStats{Reason: r, Decided: decided, Kept: min(kept, decided)})
	}
	return out
}

// reasonStripe has room for every Reason.
var _ [16 - numReasons]struct{}

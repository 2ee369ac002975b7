package sampler

import (
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// TestSlotSize pins the slot at two cache lines (see slot).
func TestSlotSize(t *testing.T) {
	assert.Equal(t, uintptr(128), unsafe.Sizeof(slot{}))
	assert.Equal(t, uintptr(64), unsafe.Offsetof(slot{}.levels), "levels start the second line")
	assert.Equal(t, uintptr(256), unsafe.Sizeof(reasonStripe{}))
}

// TestFold checks that a stripe folded into its slot keeps every count and
// the accumulator.
func TestFold(t *testing.T) {
	tab := newTable(4)
	sl := &tab.slots[0]
	st := &tab.stripes[2][sl.idx]
	const acc = 0xdeadbeef << accShift
	const tag = uint64(ReasonGlobal) << tagShift
	st.n.Store(acc | tag | 123<<keptShift | (foldAt - 1))
	sl.prevSeen.Store(1000)
	sl.kept.Store(10)
	before := tab.seen(sl)
	x := st.n.Add(1 | keptOne)
	tab.fold(sl, st, x)
	assert.Equal(t, acc|tag, st.n.Load(), "counts moved out, accumulator and tag kept")
	assert.Equal(t, before+1, tab.seen(sl), "seen")
	assert.Equal(t, uint64(10+124), tab.keptOf(sl), "kept")
	assert.Equal(t, uint64(1000+foldAt), sl.prevSeen.Load())

	assert.Equal(t, []ReasonStats{{Reason: ReasonGlobal, Decided: foldAt, Kept: 124}}, tab.reasons.snapshot(&tab.stripes), "reason totals")

	tab.fold(sl, st, x) // a second record that saw the same value: nothing left to fold
	assert.Equal(t, before+1, tab.seen(sl), "seen after a second fold attempt")
}

// TestReasonFold checks the fold of a per-reason counter at 2^31.
func TestReasonFold(t *testing.T) {
	var rc reasonCounts
	rc.stripes[1].c[ReasonGlobal].Store(7<<32 | (1<<31 - 1))
	rc.add(1, ReasonGlobal, true)
	assert.Equal(t, uint64(0), rc.stripes[1].c[ReasonGlobal].Load(), "folded")
	rc.add(3, ReasonGlobal, false)
	assert.Equal(t, []ReasonStats{{Reason: ReasonGlobal, Decided: 1<<31 + 1, Kept: 8}}, rc.snapshot(nil))
}

// TestStepOf checks the fixed-point rates at the edges.
func TestStepOf(t *testing.T) {
	tests := []struct {
		rate float64
		want uint64
	}{
		{0.5, 1 << 31},
		{0.1, 429496730}, // 0.1·2^32 = 429496729.6
		{1e-10, 0},       // below 2^-33
		{3e-10, 1},
		{1 - 1e-11, stepOne},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, stepOf(test.rate), "rate %v", test.rate)
	}
}

// TestDrawCarries checks that draw keeps exactly the records whose
// addition carries, and counts only when asked.
func TestDrawCarries(t *testing.T) {
	var st stripeCount
	var salt atomic.Uint64
	st.n.Store(uint64(1<<32-3) << accShift) // 3 units below a carry
	keep, _, counted := st.draw(2, true, ReasonGlobal, st.n.Load(), saltRef{p: &salt})
	assert.False(t, keep, "no carry yet")
	assert.True(t, counted, "an empty word takes the record's reason")
	keep, _, _ = st.draw(2, true, ReasonGlobal, st.n.Load(), saltRef{p: &salt})
	assert.True(t, keep, "carry")
	keep, _, _ = st.draw(2, false, ReasonGlobal, st.n.Load(), saltRef{p: &salt})
	assert.False(t, keep)
	assert.Equal(t, uint64(2), st.n.Load()&seenMask, "counted only when asked")
	assert.Equal(t, uint64(1), st.n.Load()>>keptShift&seenMask, "one kept")
	keep, _, counted = st.draw(1<<32-2, true, ReasonPattern, st.n.Load(), saltRef{p: &salt})
	assert.False(t, counted, "a word with counts of another reason does not count the record")
	assert.True(t, keep, "but the draw is made: 3 + (2^32-2) carries")
	assert.Equal(t, uint64(2), st.n.Load()&seenMask, "not counted")
	assert.Equal(t, uint64(ReasonGlobal), st.n.Load()>>tagShift&15, "tag unchanged")
}

// TestStripeHint_adjacentStacks checks that goroutines started together,
// whose stacks are adjacent (Go's smallest stack is 2 KiB), get hints that
// differ for some salt: if two hints were equal for every salt, no salt
// change could separate the goroutines, and one hot pattern logged from
// both would contend on one stripe for good (as it did when the hint was
// taken from 8 KiB blocks).
func TestStripeHint_adjacentStacks(t *testing.T) {
	const n = 8
	hints := make([][64]uint64, n)
	// Every goroutine stays alive until all have taken their hints: one
	// that exited early could hand its stack to the next one started (as
	// can happen when it runs at once on another core), and two
	// goroutines on one stack get the same hints whatever the code does.
	var wg, computed sync.WaitGroup
	release := make(chan struct{})
	for g := range n {
		wg.Add(1)
		computed.Add(1)
		go func() {
			defer wg.Done()
			for salt := range hints[g] {
				hints[g][salt] = stripeHint(uint64(salt))
			}
			computed.Done()
			<-release
		}()
	}
	computed.Wait()
	close(release)
	wg.Wait()
	for i := range n {
		for j := i + 1; j < n; j++ {
			assert.NotEqual(t, hints[i], hints[j], "goroutines %d and %d get the same stripe for every salt", i, j)
		}
	}
}

package cluster

import (
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// knownTable is the Miner's fast path: a map from the signature of a
// normalized template to the pattern the template was added to.
//
// The signature stands for the template: two templates with the same 64-bit
// signature are treated as one, as everywhere else in LipService (policies
// and stats refer to patterns by signature). With n templates known, a new
// template is mistaken for a known one with probability about n/2^64 (below
// 10^-14 at the cap of the default Miner).
//
// It is an open-addressing hash table with linear probing whose slots are
// atomic pointers to immutable entries, so [knownTable.lookup] takes no lock
// and does not allocate. Writers hold Miner.mu: they store new entries into
// empty slots, replace an entry to redirect it to another pattern, and grow
// or rebuild the table by publishing a new one through Miner.known (readers
// that still hold the old table see a consistent, slightly stale view). The
// table is kept at most half full, so a probe always ends at an empty slot.
// It holds at most 4 × the Miner's pattern cap entries; when it is full, new
// templates are still mined but are not remembered (they take the slow
// path again).
type knownTable struct {
	slots []atomic.Pointer[knownEntry]
	mask  uint64
	n     int // entries; written under Miner.mu
}

// knownEntry is one immutable entry of a knownTable.
type knownEntry struct {
	sig  signature.Sig
	node *node
	hits *atomic.Uint64 // the template's counter in a provisional pattern (miner_recur.go); nil otherwise
}

// minKnownSlots is the initial size of a knownTable.
const minKnownSlots = 256

func newKnownTable(slots int) *knownTable {
	size := minKnownSlots
	for size < slots {
		size <<= 1
	}
	return &knownTable{slots: make([]atomic.Pointer[knownEntry], size), mask: uint64(size - 1)}
}

// lookup returns the pattern the template with signature sig was added to,
// or nil. It is safe to call without holding Miner.mu.
func (t *knownTable) lookup(sig signature.Sig) *node {
	if e := t.lookupEntry(sig); e != nil {
		return e.node
	}
	return nil
}

// lookupEntry returns the entry of the template with signature sig, or
// nil. It is safe to call without holding Miner.mu.
func (t *knownTable) lookupEntry(sig signature.Sig) *knownEntry {
	for i := uint64(sig) & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil || e.sig == sig {
			return e
		}
	}
}

// insert adds or replaces the entry for e.sig and reports whether the table
// must grow first (it is then unchanged). Miner.mu is held.
func (t *knownTable) insert(e *knownEntry) (full bool) {
	for i := uint64(e.sig) & t.mask; ; i = (i + 1) & t.mask {
		x := t.slots[i].Load()
		if x == nil {
			if 2*(t.n+1) > len(t.slots) {
				return true
			}
			t.slots[i].Store(e)
			t.n++
			return false
		}
		if x.sig == e.sig {
			t.slots[i].Store(e)
			return false
		}
	}
}

// rebuilt returns a new table holding the entries of t for which keep
// returns true, sized for at least slots slots. Miner.mu is held.
func (t *knownTable) rebuilt(slots int, keep func(*knownEntry) bool) *knownTable {
	nt := newKnownTable(max(slots, 2*t.n))
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil && keep(e) {
			nt.insert(e)
		}
	}
	return nt
}

// redirect points every entry of pattern from at pattern to. Miner.mu is
// held.
func (t *knownTable) redirect(from, to *node) {
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil && e.node == from {
			t.slots[i].Store(&knownEntry{sig: e.sig, node: to, hits: e.hits})
		}
	}
}

package pattern

import (
	"math/bits"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// knownTable remembers which pattern node each placed signature belongs
// to: a two-way set-associative table of (signature, node reference)
// pairs, read without a lock and written under the miner's mutex.
//
// A reference is the node's index (high 32 bits) and generation (low 32
// bits); a node's generation changes when it is evicted or forwarded, so a
// reference to a reused node no longer resolves. An entry is three atomic
// words written in order (signature, reference, check); a reader accepts it
// only when the check matches the two words it read, so a torn read is a
// miss. Two signatures of one set evict each other (the older way goes): a
// forgotten signature is placed again by the miner, which costs time, not
// correctness.
type knownTable struct {
	sets  [][2]knownEntry
	shift uint
	puts  uint64 // under the miner's mutex: picks the way to replace
}

type knownEntry struct {
	sig, ref, chk atomic.Uint64
	_             uint64 // 32 bytes: two entries per cache line
}

const checkPrime = 0x9e3779b97f4a7c15

func newKnownTable(nsets int) *knownTable {
	n := 1 << bits.Len(uint(max(nsets, 2)-1))
	return &knownTable{sets: make([][2]knownEntry, n), shift: uint(64 - bits.TrailingZeros(uint(n)))}
}

func (k *knownTable) setOf(sig signature.Sig) *[2]knownEntry {
	return &k.sets[(uint64(sig)*checkPrime)>>k.shift]
}

// get returns the reference of sig, or 0.
func (k *knownTable) get(sig signature.Sig) uint64 {
	set := k.setOf(sig)
	for w := range set {
		e := &set[w]
		if e.sig.Load() != uint64(sig) {
			continue
		}
		ref := e.ref.Load()
		if ref != 0 && e.chk.Load() == uint64(sig)^ref*checkPrime {
			return ref
		}
	}
	return 0
}

// put stores sig → ref. The caller holds the miner's mutex.
func (k *knownTable) put(sig signature.Sig, ref uint64) {
	set := k.setOf(sig)
	w := -1
	for i := range set {
		if set[i].sig.Load() == uint64(sig) {
			w = i
			break
		}
	}
	if w < 0 {
		for i := range set {
			if set[i].ref.Load() == 0 {
				w = i
				break
			}
		}
	}
	if w < 0 {
		k.puts++
		w = int(k.puts & 1)
	}
	e := &set[w]
	e.sig.Store(uint64(sig))
	e.ref.Store(ref)
	e.chk.Store(uint64(sig) ^ ref*checkPrime)
}

// redirect rewrites every entry that refers to node from (any generation)
// to refer to ref instead. The caller holds the miner's mutex. It scans
// the whole table: it runs once per merge of sibling patterns.
func (k *knownTable) redirect(from uint32, ref uint64) {
	for i := range k.sets {
		for w := range k.sets[i] {
			e := &k.sets[i][w]
			r := e.ref.Load()
			if r == 0 || uint32(r>>32) != from {
				continue
			}
			sig := e.sig.Load()
			e.ref.Store(ref)
			e.chk.Store(sig ^ ref*checkPrime)
		}
	}
}

package sampler

import (
	"hash/maphash"
	"math/rand/v2"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// sigCacheSets is the number of sets of the signature cache: 1024 sets of
// two 32-byte entries, 64 KiB, enough for the distinct constant messages of
// a large service (the Loghub corpora have tens to a few hundred templates
// each).
const sigCacheSets = 1024

// admitEvery is the inverse of the probability that a miss replaces a full
// cache entry (a power of 2).
const admitEvery = 16

// sigCache is a two-way set-associative cache from a message and its
// attribute keys to the pattern ID.
//
// An entry is found by a 64-bit hash of the whole message (hash/maphash,
// seeded per cache, so it picks a set and verifies a hit but never leaks
// into a signature); a set is one cache line, so a lookup reads one line.
// Two ways rather than one: 1024 messages in 2048 direct-mapped entries
// left about a fifth of them missing for good, evicted by a message of the
// same slot, and in two ways only a few percent. An entry and is guarded by a sequence lock made of atomics, so
// readers never block and never see a torn entry, and nothing is allocated
// or retained (the message itself is not stored, so a caller may reuse its
// bytes). A hit is wrong only when two different messages have the same
// 64-bit hash: with a uniform hash, a probability of 2^-64 per lookup.
// Colliding messages evict each other (at the admission rate, see of); a
// miss costs the hash on top of signature.Of. It is safe for concurrent use.
type sigCache struct {
	seed maphash.Seed
	_    [56]byte // sets start on a cache line: new aligns a 64 KiB object to a page
	sets [sigCacheSets][2]cacheEntry
}

type cacheEntry struct {
	seq atomic.Uint32 // 0: never written; odd: being written; even: stable
	_   uint32
	h   atomic.Uint64
	sig atomic.Uint64
	_   uint64 // 32 bytes: two entries per cache line
}

func newSigCache() *sigCache { return &sigCache{seed: maphash.MakeSeed()} }

// of returns the pattern ID of a record: signature.Of(msg), folded with
// the attribute keys by signature.WithKey when keys is true. The cache key
// is the hash of the message combined with the sum of the keys' hashes, so
// that, like signature.WithKey, it depends on the multiset of keys and not
// on their order.
func (c *sigCache) of(msg string, attrs []Attr, keys bool) signature.Sig {
	h := maphash.String(c.seed, msg)
	if keys && len(attrs) > 0 {
		var hk uint64
		for i := range attrs {
			hk += maphash.String(c.seed, attrs[i].Key)
		}
		h ^= splitmix64(hk + uint64(len(attrs)))
	}
	set := &c.sets[h&(sigCacheSets-1)]
	s0, s1 := set[0].seq.Load(), set[1].seq.Load()
	if sig, ok := set[0].get(h, s0); ok {
		return sig
	}
	if sig, ok := set[1].get(h, s1); ok {
		return sig
	}
	sig := signature.Of(msg)
	if keys {
		for i := range attrs {
			sig = signature.WithKey(sig, attrs[i].Key)
		}
	}
	// Admission: a miss fills an empty entry, but replaces a full one only
	// once in admitEvery misses (a random draw, which also picks the way):
	// a stream of unique messages, which would only evict each other, then
	// costs a read instead of a write to a line that other cores read
	// (with two cores deciding unique messages, those writes doubled the
	// CPU per record, BenchmarkSampler_DecideParallel/printf-120B), and a
	// message that repeats is still cached after admitEvery misses on
	// average.
	switch {
	case s0 == 0:
		set[0].put(s0, h, sig)
	case s1 == 0:
		set[1].put(s1, h, sig)
	default:
		if x := rand.Uint32(); x&(admitEvery-1) == 0 {
			w := x >> 31
			set[w].put([2]uint32{s0, s1}[w], h, sig)
		}
	}
	return sig
}

// get returns the entry's pattern ID if it holds hash h; s is its sequence
// number, loaded before.
func (e *cacheEntry) get(h uint64, s uint32) (signature.Sig, bool) {
	if s&1 != 0 || s == 0 || e.h.Load() != h {
		return 0, false
	}
	sig := e.sig.Load()
	return signature.Sig(sig), e.seq.Load() == s
}

// put stores h and sig in the entry unless another writer holds it or
// wrote it since its sequence number was s.
func (e *cacheEntry) put(s uint32, h uint64, sig signature.Sig) {
	if s&1 == 0 && e.seq.CompareAndSwap(s, s+1) {
		e.h.Store(h)
		e.sig.Store(uint64(sig))
		e.seq.Store(s + 2)
	}
}

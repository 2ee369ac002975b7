package sampler

import (
	"hash/maphash"
	"math/rand/v2"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// sigCacheEntries is the number of entries of the signature cache: 2048
// entries of 32 bytes, 64 KiB, enough for the distinct constant messages of
// a large service (the Loghub corpora have tens to a few hundred templates
// each).
const sigCacheEntries = 2048

// admitEvery is the inverse of the probability that a miss replaces a full
// cache entry (a power of 2).
const admitEvery = 16

// sigCache is a direct-mapped cache from a message and its attribute keys
// to the pattern ID.
//
// An entry is found by a 64-bit hash of the whole message (hash/maphash,
// seeded per cache, so it picks a slot and verifies a hit but never leaks
// into a signature) and is guarded by a sequence lock made of atomics, so
// readers never block and never see a torn entry, and nothing is allocated
// or retained (the message itself is not stored, so a caller may reuse its
// bytes). A hit is wrong only when two different messages have the same
// 64-bit hash: with a uniform hash, a probability of 2^-64 per lookup.
// Colliding messages evict each other (at the admission rate, see of); a
// miss costs the hash on top of signature.Of. It is safe for concurrent use.
type sigCache struct {
	seed    maphash.Seed
	entries [sigCacheEntries]cacheEntry
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
	e := &c.entries[h&(sigCacheEntries-1)]
	s1 := e.seq.Load()
	if s1&1 == 0 && s1 != 0 && e.h.Load() == h {
		sig := e.sig.Load()
		if e.seq.Load() == s1 {
			return signature.Sig(sig)
		}
	}
	sig := signature.Of(msg)
	if keys {
		for i := range attrs {
			sig = signature.WithKey(sig, attrs[i].Key)
		}
	}
	// Admission: a miss fills an empty entry, but replaces a full one only
	// once in admitEvery misses (a random draw): a stream of unique
	// messages, which would only evict each other, then costs a read
	// instead of a write to a line that other cores read (with two cores
	// deciding unique messages, those writes doubled the CPU per record,
	// BenchmarkSampler_DecideParallel/printf-120B), and a message that
	// repeats is still cached after admitEvery misses on average.
	if s1&1 == 0 && (s1 == 0 || rand.Uint32()&(admitEvery-1) == 0) && e.seq.CompareAndSwap(s1, s1+1) {
		e.h.Store(h)
		e.sig.Store(uint64(sig))
		e.seq.Store(s1 + 2)
	}
	return sig
}

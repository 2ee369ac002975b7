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
// left about a fifth of them uncached for good, evicted by a message of
// the same slot, and in two ways about a tenth (the sets over capacity).
//
// An entry is three atomic words, the hash h, the pattern ID sig and the
// check h^sig, written in that order with no lock; a reader takes a hit
// only when the check matches the two words it read, so a torn read (a
// reader between two writers' stores) is a miss, unless 64-bit values
// collide by chance. Readers and writers never block, and nothing is
// allocated or retained (the message itself is not stored, so a caller may
// reuse its bytes). A hit is wrong only when two different messages have
// the same 64-bit hash: with a uniform hash, a probability of 2^-64 per
// lookup. Messages of one set evict each other at the admission rate (see
// of); a miss costs the hash on top of signature.Of. It is safe for
// concurrent use.
type sigCache struct {
	seed maphash.Seed
	_    [56]byte // sets start on a cache line: new aligns a 64 KiB object to a page
	sets [sigCacheSets][2]cacheEntry
}

type cacheEntry struct {
	h   atomic.Uint64 // the message's hash, odd; 0 when empty
	sig atomic.Uint64
	chk atomic.Uint64 // h ^ sig
	_   uint64        // 32 bytes: two entries per cache line
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
	h |= 1 // never the hash of an empty entry
	h0, h1 := set[0].h.Load(), set[1].h.Load()
	if h0 == h {
		if sig, ok := set[0].get(h); ok {
			return sig
		}
	} else if h1 == h {
		if sig, ok := set[1].get(h); ok {
			return sig
		}
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
	case h0 == 0:
		set[0].put(h, sig)
	case h1 == 0:
		set[1].put(h, sig)
	default:
		if x := rand.Uint32(); x&(admitEvery-1) == 0 {
			set[x>>31].put(h, sig)
		}
	}
	return sig
}

// get returns the entry's pattern ID, whose hash was read as h, and whether
// the entry was whole (see sigCache).
func (e *cacheEntry) get(h uint64) (signature.Sig, bool) {
	sig := e.sig.Load()
	return signature.Sig(sig), e.chk.Load() == h^sig
}

// put stores h and sig in the entry.
func (e *cacheEntry) put(h uint64, sig signature.Sig) {
	e.h.Store(h)
	e.sig.Store(uint64(sig))
	e.chk.Store(h ^ uint64(sig))
}

package sampler

import (
	"hash/maphash"
	"math/rand/v2"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/pattern"
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
// attribute keys to its signature and pattern ID.
//
// An entry is found by a 64-bit hash of the whole message (hash/maphash,
// seeded per cache, so it picks a set and verifies a hit but never leaks
// into a signature); a set is one cache line, so a lookup reads one line.
// Two ways rather than one: 1024 messages in 2048 direct-mapped entries
// left about a fifth of them uncached for good, evicted by a message of
// the same slot, and in two ways about a tenth (the sets over capacity).
//
// An entry is four atomic words, the hash h, the signature sig, the
// pattern ID id and a check of the three and of the pattern miner's epoch
// (see pattern.Miner.Epoch), written in that order with no lock; a reader
// takes a hit only when the check matches the words it read and the
// current epoch, so a torn read (a reader between two writers' stores), or
// an entry cached before the miner changed an ID, is a miss, unless 64-bit
// values collide by chance. Readers and writers never block, and nothing is
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
	id  atomic.Uint64
	chk atomic.Uint64 // check(h, sig, id, epoch); 32 bytes: two entries per cache line
}

// check returns the check word of an entry cached under epoch.
func check(h, sig, id, epoch uint64) uint64 {
	return h ^ sig ^ id*0x9e3779b97f4a7c15 ^ epoch*0xbf58476d1ce4e5b9
}

func newSigCache() *sigCache { return &sigCache{seed: maphash.MakeSeed()} }

// of returns the signature of a record, signature.Of(msg) folded with
// the attribute keys by signature.WithKey when keys is true ("key=value"
// for the value keys among values, see WithValueKeys), and its
// pattern ID: m.ID of the message's signature (the signature itself when
// m is nil), folded with the keys likewise. The cache key is the hash of
// the message combined with the sum of the keys' hashes, so that, like
// signature.WithKey, it depends on the multiset of keys and not on their
// order; a value key's hash is combined with its value's.
func (c *sigCache) of(msg string, attrs []Attr, keys bool, values []string, m *pattern.Miner) (sig, id signature.Sig) {
	h := maphash.String(c.seed, msg)
	if keys && len(attrs) > 0 {
		var hk uint64
		for i := range attrs {
			hk += maphash.String(c.seed, attrs[i].Key)
			if len(values) > 0 && isValueKey(values, attrs[i].Key) {
				hk += splitmix64(maphash.String(c.seed, attrs[i].Value) + 1)
			}
		}
		h ^= splitmix64(hk + uint64(len(attrs)))
	}
	var epoch uint64
	if m != nil {
		epoch = m.Epoch() // before ID: an ID changed after this is a miss next time
	}
	set := &c.sets[h&(sigCacheSets-1)]
	h |= 1 // never the hash of an empty entry
	h0, h1 := set[0].h.Load(), set[1].h.Load()
	if h0 == h {
		if sig, id, ok := set[0].get(h, epoch); ok {
			return sig, id
		}
	} else if h1 == h {
		if sig, id, ok := set[1].get(h, epoch); ok {
			return sig, id
		}
	}
	sig, id = patternOf(msg, attrs, keys, values, m)
	// Admission: a miss fills an empty entry, but replaces a full one only
	// once in admitEvery misses (a random draw, which also picks the way):
	// a stream of unique messages, which would only evict each other, then
	// costs a read instead of a write to a line that other cores read
	// (with two cores deciding unique messages, those writes doubled the
	// CPU per record, BenchmarkSampler_DecideParallel/printf-120B), and a
	// message that repeats is still cached after admitEvery misses on
	// average.
	switch {
	case h0 == 0 || h0 == h:
		set[0].put(h, sig, id, epoch)
	case h1 == 0 || h1 == h:
		set[1].put(h, sig, id, epoch)
	default:
		if x := rand.Uint32(); x&(admitEvery-1) == 0 {
			set[x>>31].put(h, sig, id, epoch)
		}
	}
	return sig, id
}

// get returns the entry's signature and pattern ID, whose hash was read as
// h, and whether the entry was whole and cached under epoch (see sigCache).
func (e *cacheEntry) get(h, epoch uint64) (sig, id signature.Sig, ok bool) {
	s, i := e.sig.Load(), e.id.Load()
	return signature.Sig(s), signature.Sig(i), e.chk.Load() == check(h, s, i, epoch)
}

// put stores h, sig and id in the entry, under epoch.
func (e *cacheEntry) put(h uint64, sig, id signature.Sig, epoch uint64) {
	e.h.Store(h)
	e.sig.Store(uint64(sig))
	e.id.Store(uint64(id))
	e.chk.Store(check(h, uint64(sig), uint64(id), epoch))
}

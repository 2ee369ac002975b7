package sampler

import (
	"hash/maphash"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestSigCache_layout pins a set to one cache line.
func TestSigCache_layout(t *testing.T) {
	assert.Equal(t, uintptr(64), unsafe.Offsetof(sigCache{}.sets))
	assert.Equal(t, uintptr(64), unsafe.Sizeof([2]cacheEntry{}))
}

func TestSigCache_of(t *testing.T) {
	tests := []struct {
		name  string
		msg   string
		attrs []Attr
		keys  bool
	}{
		{name: "constant", msg: "request served"},
		{name: "variables", msg: "Received block blk_-1608999687919862906 of size 67108864"},
		{name: "keys", msg: "request served", attrs: []Attr{{Key: "method"}, {Key: "status"}}, keys: true},
		{name: "keys in another order", msg: "request served", attrs: []Attr{{Key: "status"}, {Key: "method"}}, keys: true},
		{name: "keys not read", msg: "request served", attrs: []Attr{{Key: "method"}}},
		{name: "empty", msg: ""},
	}
	c := newSigCache()
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			want := signature.Of(test.msg)
			if test.keys {
				for _, a := range test.attrs {
					want = signature.WithKey(want, a.Key)
				}
			}
			for i := range 3 { // a miss, then hits
				sig, id := c.of(test.msg, test.attrs, test.keys, nil, nil)
				assert.Equal(t, want, sig, "call %d", i)
				assert.Equal(t, want, id, "call %d: without a miner the pattern is the signature", i)
			}
		})
	}
}

// Two messages of one set are both cached; a third one of the set is
// admitted after admitEvery misses on average, and then evicts one of them.
func TestSigCache_twoWays(t *testing.T) {
	const trials = 300
	total := 0
	for range trials {
		c := newSigCache()
		setOf := func(msg string) uint64 { return maphash.String(c.seed, msg) & (sigCacheSets - 1) }
		var same []string
		for i := 0; len(same) < 3; i++ {
			msg := "message " + strconv.Itoa(i)
			if len(same) == 0 || setOf(msg) == setOf(same[0]) {
				same = append(same, msg)
			}
		}
		set := &c.sets[setOf(same[0])]
		holds := func(msg string) bool {
			h := maphash.String(c.seed, msg) | 1
			return set[0].h.Load() == h || set[1].h.Load() == h
		}
		c.of(same[0], nil, false, nil, nil)
		c.of(same[1], nil, false, nil, nil)
		require.True(t, holds(same[0]) && holds(same[1]), "both ways filled")

		misses := 0
		for !holds(same[2]) && misses < 10000 {
			sig, _ := c.of(same[2], nil, false, nil, nil)
			require.Equal(t, signature.Of(same[2]), sig)
			misses++
		}
		require.True(t, holds(same[2]), "third message never admitted")
		require.True(t, holds(same[0]) != holds(same[1]), "the third message evicts exactly one")
		total += misses
	}
	// Misses to admission are geometric with mean admitEvery (16) and
	// standard deviation about 15.5, so the mean of 300 trials is within
	// 16 ± 4.5 (5 standard deviations).
	mean := float64(total) / trials
	assert.InDelta(t, admitEvery, mean, 4.5, "mean misses before admission")
}

// TestCacheEntry_tornReads has writers store two (hash, pattern) pairs in
// one entry while readers look both hashes up: a hit must always return
// the pattern of the hash looked up, however the stores interleave.
//
// What it requires does not depend on scheduling (issue 19): all four
// goroutines start behind one barrier, the writers store until the readers
// are done, and the readers read until they have minHits hits between them
// and the writers have made minStores stores (or until maxReads reads
// each, a cap far above what that takes). Writers and
// readers yield now and then, so that with GOMAXPROCS=1 (-cpu 1) they still
// take turns. The entry holds a whole pair before the barrier opens, so
// hits are possible whichever goroutine runs first; the property checked,
// no hit with another message's pattern, holds for every interleaving.
func TestCacheEntry_tornReads(t *testing.T) {
	pairs := [2]struct {
		h   uint64
		sig signature.Sig
	}{{0x1111_0000_0000_0001, 0xaaaa}, {0x2222_0000_0000_0003, 0xbbbb}}
	const (
		minHits   = 10_000
		minStores = 400_000
		maxReads  = 1 << 24
		yieldMsk  = 1<<10 - 1 // yield once in 1024 iterations
	)
	var e cacheEntry
	e.put(pairs[0].h, pairs[0].sig, pairs[0].sig+1, 7)
	start := make(chan struct{})
	var readersDone atomic.Bool
	var writers, readers sync.WaitGroup
	var stores atomic.Int64
	for w := range 2 {
		writers.Go(func() {
			<-start
			for i := 0; !readersDone.Load(); i++ {
				p := pairs[(i+w)&1]
				e.put(p.h, p.sig, p.sig+1, 7)
				stores.Add(1)
				if i&yieldMsk == 0 {
					runtime.Gosched()
				}
			}
		})
	}
	var wrong, hits, reads atomic.Int64
	for r := range 2 {
		readers.Go(func() {
			<-start
			i := 0
			for ; i < maxReads && (hits.Load() < minHits || stores.Load() < minStores); i++ {
				if i&yieldMsk == 0 {
					runtime.Gosched()
				}
				p := pairs[(i+r)&1]
				if e.h.Load() != p.h {
					continue
				}
				if sig, id, ok := e.get(p.h, 7); ok {
					hits.Add(1)
					if sig != p.sig || id != p.sig+1 {
						wrong.Add(1)
					}
				}
			}
			reads.Add(int64(i))
		})
	}
	close(start)
	readers.Wait()
	readersDone.Store(true)
	writers.Wait()
	t.Logf("%d reads, %d hits, %d stores", reads.Load(), hits.Load(), stores.Load())
	assert.Zero(t, wrong.Load(), "hits with another message's pattern (of %d hits)", hits.Load())
	assert.Positive(t, hits.Load(), "no hit in %d reads: the entry was never read whole", reads.Load())
	// Once the writers stopped, the entry may be torn for good (two puts
	// interleaved: h and sig of one pair, id and check of the other); that
	// must read as a miss, never as the other pair's pattern, and the next
	// put (what sigCache.of does on a miss) makes it whole again.
	h := e.h.Load()
	if sig, id, ok := e.get(h, 7); ok {
		p := pairs[0]
		if h == pairs[1].h {
			p = pairs[1]
		}
		assert.Equal(t, p.sig, sig, "a quiescent hit returns the pattern of its hash")
		assert.Equal(t, p.sig+1, id, "a quiescent hit returns the pattern of its hash")
	}
	e.put(pairs[1].h, pairs[1].sig, pairs[1].sig+1, 7)
	sig, id, ok := e.get(pairs[1].h, 7)
	assert.True(t, ok, "one put after the race makes the entry whole")
	assert.Equal(t, pairs[1].sig, sig)
	assert.Equal(t, pairs[1].sig+1, id)
}

// A cached pattern ID is not served after the miner's epoch changed: the
// message is placed again and gets its current ID.
func TestSigCache_epoch(t *testing.T) {
	c := newSigCache()
	m := pattern.New()
	a := "handler main.(*Server).Get failed"
	sigA, idA := c.of(a, nil, false, nil, m)
	require.Equal(t, sigA, idA, "a first template is its own pattern")
	_, idB := c.of("handler main.(*Server).Put failed", nil, false, nil, m)
	require.NotEqual(t, idA, idB, "the pattern generalized")
	sig, id := c.of(a, nil, false, nil, m)
	assert.Equal(t, sigA, sig)
	assert.Equal(t, idB, id, "the cached entry of the first message is stale, and refreshed")
	tmpl, ok := m.Template(id)
	require.True(t, ok)
	assert.Equal(t, "handler <*> failed", tmpl)
}

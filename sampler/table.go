package sampler

import (
	"math/bits"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// The per-pattern table.
//
// Patterns live in a fixed array of slots, allocated once by New, grouped in
// buckets of [ways] slots; a pattern's bucket is chosen by a multiplicative
// hash of its signature, and the bucket holds the full signature of each of
// its slots, so patterns never share a slot by accident. A new pattern takes
// a free slot of its bucket, or else a stale one: a slot whose pattern had no
// record in the current or the previous window; the evicted pattern's totals
// are added to the table's evicted counters, so Stats totals stay exact. When
// all [ways] slots of the bucket are live, the new pattern is counted in the
// shared overflow slot: it is still decided (pattern and severity rates apply
// by signature), but first-N and adaptive rates apply to all overflowing
// patterns together, and Stats shows them only in the Overflow total. So
// memory is fixed however many distinct patterns arrive, and a burst of
// unique messages cannot evict the established patterns.
//
// Counters are atomics and the table takes no lock. Under concurrency the
// counts are exact except at two rare races, which may move one record's
// count to a neighbouring window or pattern: a record that arrives while its
// slot is being evicted, and a Stats or window roll that reads a slot while
// it is being re-initialized.

const (
	ways       = 4
	countBits  = 40 // count in the current window; 2^40 records per window
	countMask  = 1<<countBits - 1
	serialBits = 64 - countBits // window serial, compared modulo 2^24
	serialMask = 1<<serialBits - 1

	stateFree = 0
	stateBusy = 1
	stateLive = 2
)

type bucket struct {
	tags  [ways]atomic.Uint64
	state [ways]atomic.Uint32
}

// slot holds one pattern's counters: 128 bytes, two cache lines, the first
// of which holds everything a record at INFO touches.
type slot struct {
	// packed is the window serial (high 24 bits) and the count of records
	// in that window (low 40 bits).
	packed atomic.Uint64
	kept   atomic.Uint64
	// rate is the adaptive rate (float64 bits); 0 means no history.
	rate atomic.Uint64
	// last is the Unix nanosecond time of the latest record, updated when
	// it moves by more than lastSeenGranularity.
	last atomic.Int64
	// levels counts records by severity index, except INFO (index 1),
	// which is seen minus the others, so the common INFO record pays no
	// extra atomic add.
	levels [policy.NumSeverities]atomic.Uint64

	// prevSeen counts the records of the windows before the one in packed.
	prevSeen atomic.Uint64
	// lastSeen and lastKept are the totals at the last window roll.
	lastSeen atomic.Uint64
	lastKept atomic.Uint64
	// first is the Unix nanosecond time of the pattern's first record.
	first atomic.Int64
	// tmpl is the pattern's template (from the first record), at most
	// maxTemplateBytes.
	tmpl atomic.Pointer[string]
	_    [2]uint64
}

// lastSeenGranularity bounds how stale PatternStats.LastSeen may be, and
// saves a store per record.
const lastSeenGranularity = int64(100 * time.Millisecond)

// maxTemplateBytes caps the template kept per pattern.
const maxTemplateBytes = 512

func (sl *slot) seen() uint64 { return sl.prevSeen.Load() + sl.packed.Load()&countMask }

// ahead reports whether window serial a is one or two windows after b
// (modulo 2^24): a slot that a concurrent record already moved on. Any other
// difference (an old slot, or a policy with another window length) makes
// the slot roll to b.
func ahead(a, b uint64) bool {
	d := (a - b) & serialMask
	return d == 1 || d == 2
}

// hit counts one record in window serial ws and returns the record's
// position (1-based) in the slot's current window. A record whose window is
// just behind the slot's is counted in the slot's window.
func (sl *slot) hit(ws uint64) uint64 {
	v := sl.packed.Add(1)
	if vw := v >> countBits; vw == ws || ahead(vw, ws) {
		return v & countMask
	}
	// The slot is in an older window: roll it forward. v includes our add.
	for {
		if sl.packed.CompareAndSwap(v, ws<<countBits|1) {
			sl.prevSeen.Add(v&countMask - 1)
			return 1
		}
		v = sl.packed.Load()
		if vw := v >> countBits; vw == ws || ahead(vw, ws) {
			// Another record rolled it and moved our add to prevSeen:
			// move it into the current window.
			sl.prevSeen.Add(^uint64(0))
			return sl.packed.Add(1) & countMask
		}
	}
}

func (sl *slot) reset(ws uint64, nanos int64, msg string) {
	sl.prevSeen.Store(0)
	sl.kept.Store(0)
	sl.rate.Store(0)
	sl.lastSeen.Store(0)
	sl.lastKept.Store(0)
	for i := range sl.levels {
		sl.levels[i].Store(0)
	}
	sl.first.Store(nanos)
	sl.last.Store(nanos)
	// string() copies: the template never aliases the caller's message,
	// which may live in a reused buffer.
	b := signature.AppendNormalize(make([]byte, 0, min(len(msg), maxTemplateBytes)), msg)
	if len(b) > maxTemplateBytes {
		cut := maxTemplateBytes
		for cut > 0 && b[cut]&0xc0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		b = b[:cut]
	}
	tmpl := string(b)
	sl.tmpl.Store(&tmpl)
	sl.packed.Store(ws << countBits)
}

// note records the level and time of one record.
func (sl *slot) note(sev int, nanos int64) {
	if sev != 1 {
		sl.levels[sev].Add(1)
	}
	if nanos-sl.last.Load() > lastSeenGranularity {
		sl.last.Store(nanos)
	}
}

type table struct {
	buckets []bucket
	slots   []slot
	shift   uint // 64 - log2(len(buckets))

	overflow    slot
	evictedSeen atomic.Uint64
	evictedKept atomic.Uint64
}

func newTable(maxPatterns int) *table {
	n := max(maxPatterns, ways)
	nb := 1 << bits.Len(uint(n-1)) / ways
	nb = max(nb, 1)
	return &table{
		buckets: make([]bucket, nb),
		slots:   make([]slot, nb*ways),
		shift:   uint(64 - bits.TrailingZeros(uint(nb))),
	}
}

func (t *table) bucketOf(sig signature.Sig) int {
	if t.shift == 64 {
		return 0
	}
	return int((uint64(sig) * 0x9e3779b97f4a7c15) >> t.shift)
}

// find returns the slot of sig, claiming one if needed, or the overflow
// slot; ws is the current window serial.
func (t *table) find(sig signature.Sig, ws uint64, nanos int64, msg string) *slot {
	bi := t.bucketOf(sig)
	b := &t.buckets[bi]
	for i := range ways {
		if b.tags[i].Load() == uint64(sig) && b.state[i].Load() == stateLive {
			return &t.slots[bi*ways+i]
		}
	}
	return t.claim(b, bi, sig, ws, nanos, msg)
}

// claim takes a free or stale slot of bucket b for sig, initialized from
// the pattern's first record (time nanos, message msg), or returns the
// overflow slot. Normalizing msg for the template allocates: once per newly
// tracked pattern.
func (t *table) claim(b *bucket, bi int, sig signature.Sig, ws uint64, nanos int64, msg string) *slot {
	for i := range ways {
		if b.state[i].Load() == stateFree && b.state[i].CompareAndSwap(stateFree, stateBusy) {
			sl := &t.slots[bi*ways+i]
			sl.reset(ws, nanos, msg)
			b.tags[i].Store(uint64(sig))
			b.state[i].Store(stateLive)
			return sl
		}
	}
	for i := range ways {
		sl := &t.slots[bi*ways+i]
		if !t.stale(sl, ws) || !b.state[i].CompareAndSwap(stateLive, stateBusy) {
			continue
		}
		t.evictedSeen.Add(sl.seen())
		t.evictedKept.Add(sl.kept.Load())
		sl.reset(ws, nanos, msg)
		b.tags[i].Store(uint64(sig))
		b.state[i].Store(stateLive)
		return sl
	}
	return &t.overflow
}

// stale reports whether sl had no record in window ws or the one before.
func (t *table) stale(sl *slot, ws uint64) bool {
	sw := sl.packed.Load() >> countBits
	return sw != ws && sw != (ws-1)&serialMask && !ahead(sw, ws)
}

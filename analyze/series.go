package analyze

import "math"

// maxBuckets is the number of buckets of every time series. 120 points are
// enough for a chart one screen wide and keep a series at 480 bytes, so the
// worst case (maxSignatures series) stays under 16 MiB.
const maxBuckets = 120

// timeline is the common time axis of every series of one analysis: bucket
// i covers the Unix seconds [origin + i·width, origin + (i+1)·width).
//
// It is lossy by design: the bucket width starts at one second and doubles
// whenever a time falls outside the maxBuckets buckets (before the first or
// after the last), merging neighbouring buckets in every series, so memory
// stays fixed however long the input spans and the resolution is the span
// divided by maxBuckets, rounded up to a power of two seconds. Times are
// read at one-second resolution.
//
// The zero timeline has no origin yet; the first time sets it. A timeline is
// not safe for concurrent use.
type timeline struct {
	origin int64 // Unix seconds, a multiple of width
	width  int64 // seconds per bucket, a power of two
	set    bool
}

// index returns the bucket of Unix second sec, and whether the axis must be
// regridded first (see [timeline.regrid]).
func (tl *timeline) index(sec int64) (i int, ok bool) {
	if !tl.set {
		return 0, false
	}
	if sec < tl.origin {
		return 0, false
	}
	d := (sec - tl.origin) / tl.width
	if d >= maxBuckets {
		return 0, false
	}
	return int(d), true
}

// regrid widens the axis so that it covers sec, and returns the function
// that maps an old bucket index to the new one (nil when no series needs to
// move, on the first call). Every series of the timeline must then be
// remapped with [remap].
func (tl *timeline) regrid(sec int64) func(int) int {
	if !tl.set {
		tl.set, tl.width, tl.origin = true, 1, sec
		return nil
	}
	oldOrigin, oldWidth := tl.origin, tl.width
	lo := min(oldOrigin, sec)
	hi := max(oldOrigin+maxBuckets*oldWidth-1, sec)
	w := oldWidth
	o := oldOrigin
	for {
		if w > math.MaxInt64/4 {
			break // span of more than 2^61 s: cannot happen with time.Time's range
		}
		w *= 2
		o = floorDiv(lo, w) * w
		if hi-o < maxBuckets*w {
			break
		}
	}
	if o < minJSONUnix && lo >= minJSONUnix {
		// Keep the axis in years JSON can encode (from year 0), at the cost
		// of old buckets straddling two new ones.
		o = lo
	}
	tl.origin, tl.width = o, w
	return func(i int) int { return int((oldOrigin + int64(i)*oldWidth - o) / w) }
}

// remap moves the counts of s (maxBuckets long) from the old buckets to the
// new ones.
func remap(s []uint32, newIndex func(int) int) {
	var old [maxBuckets]uint32
	copy(old[:], s)
	clear(s)
	for i, v := range old {
		if v != 0 {
			j := newIndex(i)
			s[j] = satAdd32(s[j], v)
		}
	}
}

// satAdd32 returns a+b, saturating at math.MaxUint32.
func satAdd32(a, b uint32) uint32 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint32
}

// minJSONUnix is the Unix second of 0000-01-01T00:00:00Z, the earliest time
// time.Time.MarshalJSON encodes.
const minJSONUnix = -62167219200

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

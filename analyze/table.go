package analyze

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/signature"
)

// maxSignatures caps the signatures an analysis tracks (see [table]). It is
// 3.3 times the miner's default pattern cap, because a mined pattern usually
// covers several signatures (values the masking cannot see, such as user
// names, give one signature each).
const maxSignatures = 1 << 15

// Caps on the strings kept per signature, so that the table's memory is
// bounded whatever the line length: in the worst case (every entry with a
// template and an example at their caps, and a series) the table holds about
// 32768 × 3.7 KiB ≈ 120 MiB; typical logs need a few MiB.
const (
	// maxTemplateBytes caps a kept template; a longer one is cut at a UTF-8
	// boundary and ends in "…" (its pattern then keeps the cut template
	// instead of the miner's).
	maxTemplateBytes = 2048
	// maxExampleBytes caps a kept example line, cut the same way.
	maxExampleBytes = 1024
)

// clipString returns s, or its first n bytes cut back to a UTF-8 boundary
// followed by "…" when it is longer, and whether it was cut.
func clipString(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…", true
}

// maxErrorTypes caps the distinct error types counted per signature; further
// types are counted together as "other".
const maxErrorTypes = 4

// sigStat is what an analysis knows about the lines of one signature (one
// normalized template, the key the sampler and the policy use).
type sigStat struct {
	sig signature.Sig
	// keys is what the attribute keys of a JSON/logfmt line (and its
	// --value-keys values) add to sig: sig minus the signature of the
	// message alone (signature.WithKey adds); 0 for a text line. The
	// line's pattern ID is its message pattern's plus keys, as sample's.
	keys     signature.Sig
	seq      uint64 // creation order, for eviction ties and pattern examples
	template string // signature.Normalize of the first line (clipped, see maxTemplateBytes)
	clipped  bool   // template was cut
	// keysOnly marks a JSON/logfmt line without a message: its pattern is
	// its keys alone, and template is logline.KeysTemplate of them, not
	// mined.
	keysOnly bool
	example  string // the content of the first line (clipped, see maxExampleBytes)
	errType  string // signature.ErrorType of the first line's content, cloned
	// errPerLine is set when errType is not in the template's constant
	// text (it is in a masked token, or beyond the clip): the lines may
	// name different types, so each line's is looked up.
	errPerLine bool
	count      uint64
	bytes      uint64 // raw line bytes, newline included
	levels     [numLevels]uint64
	first      time.Time // zero when no line had a time
	last       time.Time
	errTypes   []errCount // at most maxErrorTypes, by first appearance
	errOther   uint64     // error-type occurrences beyond maxErrorTypes
	series     []uint32   // maxBuckets long once a timed line arrived
}

// errCount is one error type and its number of lines.
type errCount struct {
	name  string
	count uint64
}

// addErrorType counts one line with error type name (a substring of the
// input, cloned when kept).
func (s *sigStat) addErrorType(name string) {
	for i := range s.errTypes {
		if s.errTypes[i].name == name {
			s.errTypes[i].count++
			return
		}
	}
	if len(s.errTypes) < maxErrorTypes {
		s.errTypes = append(s.errTypes, errCount{strings.Clone(name), 1})
		return
	}
	s.errOther++
}

// table holds the per-signature statistics of an analysis, bounded: at most
// maxSignatures entries. When a new signature arrives at a full table, the
// eighth of the entries with the lowest counts (ties: the oldest) is evicted
// in one sweep and their lines, bytes, levels and series are added to the
// evicted totals, so a stream of unique messages churns its rare signatures
// and keeps the frequent ones; the totals stay exact, only the attribution of
// the evicted lines to patterns is lost. A table is not safe for concurrent
// use; the zero value is not usable, call newTable.
type table struct {
	m       map[signature.Sig]*sigStat
	max     int
	nextSeq uint64
	tl      timeline
	evicted struct {
		sigs, lines, bytes uint64
		levels             [numLevels]uint64
		series             []uint32
	}
	total []uint32 // series of every line
	errs  []uint32 // series of lines at ERROR or above
}

func newTable(maxSigs int) *table {
	return &table{
		m:     make(map[signature.Sig]*sigStat, min(maxSigs, 1024)),
		max:   maxSigs,
		total: make([]uint32, maxBuckets),
		errs:  make([]uint32, maxBuckets),
	}
}

// get returns the entry of sig, or nil.
func (tb *table) get(sig signature.Sig) *sigStat { return tb.m[sig] }

// add creates the entry of sig, evicting first when the table is full. It
// keeps clipped copies of template and example.
func (tb *table) add(sig signature.Sig, template, example string) *sigStat {
	if len(tb.m) >= tb.max {
		tb.evict()
	}
	tb.nextSeq++
	s := &sigStat{sig: sig, seq: tb.nextSeq}
	s.template, s.clipped = clipString(template, maxTemplateBytes)
	s.template = strings.Clone(s.template)
	ex, _ := clipString(example, maxExampleBytes)
	s.example = strings.Clone(ex)
	tb.m[sig] = s
	return s
}

// evict removes the eighth of the entries with the lowest counts (ties: the
// oldest) and adds them to the evicted totals.
func (tb *table) evict() {
	all := make([]*sigStat, 0, len(tb.m))
	for _, s := range tb.m {
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b *sigStat) int {
		if c := cmp.Compare(a.count, b.count); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	ev := &tb.evicted
	for _, s := range all[:max(len(all)/8, 1)] {
		delete(tb.m, s.sig)
		ev.sigs++
		ev.lines += s.count
		ev.bytes += s.bytes
		for i, n := range s.levels {
			ev.levels[i] += n
		}
		if s.series != nil {
			if ev.series == nil {
				ev.series = make([]uint32, maxBuckets)
			}
			for i, n := range s.series {
				ev.series[i] = satAdd32(ev.series[i], n)
			}
		}
	}
}

// bucket returns the series index of time t, regridding every series when t
// falls outside the current axis.
func (tb *table) bucket(t time.Time) int {
	sec := t.Unix()
	if i, ok := tb.tl.index(sec); ok {
		return i
	}
	if f := tb.tl.regrid(sec); f != nil {
		remap(tb.total, f)
		remap(tb.errs, f)
		if tb.evicted.series != nil {
			remap(tb.evicted.series, f)
		}
		for _, s := range tb.m {
			if s.series != nil {
				remap(s.series, f)
			}
		}
	}
	i, _ := tb.tl.index(sec)
	return i
}

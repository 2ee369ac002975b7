package pattern

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
)

// Object dumps as key= values (issue 9): the class of cluster.Miner's
// joinDumps (cluster/miner_dump.go), with its guards, for the sampler's
// pattern layer. The scan is copied, not imported: pattern does not
// depend on cluster.

// maxDumpTokens bounds the space-separated tokens one dump value may
// span: a bracket that does not close within them is not a dump, and the
// message is tokenized as before.
const maxDumpTokens = 32

// dumpEnd returns the end of the object dump that starts at s[i], the
// start of a token at the message's top level (no bracket open before
// it), or -1 when none does. Such a value is an object written by its
// string method, with spaces inside its brackets: Java's Name{field
// value ...}, Android's Intent { act=... }, MongoDB's IXSCAN { email: 1 }
// (ws=WorkSource{10024 com.google.android.gms} next to ws=null,
// planSummary=IXSCAN { email: 1 } next to planSummary=COLLSCAN). A key=
// whose value opens a bracket in its token, or is one word followed by a
// token that is only an opening bracket, starts a dump; it ends at the
// token (space-separated) that closes the bracket (brackets of any kind
// counted), within maxDumpTokens, else it is none. Split at its spaces,
// each length of the dump was a pattern of its own and the key's value
// could not be seen as one value. Not a dump: a bracket glued to a value
// without a key (Set(yarn, curi)): nothing marks it as one value; a key
// inside an open bracket (the caller's top-level condition): a field of a
// dump that encloses it (LeaderAndIsr(leader=2, isr=List(2, 3), ...));
// and a dump that ends the message: as cluster.Miner leaves one to its
// tail rules, a trailing dump may hold the text that names the event
// (macOS's UserInfo={... NSLocalizedDescription=The request timed out.}),
// so it is tokenized as before. Nor is a value that opens with a quote,
// '{' or '[': a group of tokenEnd's, one token already, masked as a
// bracketed group, or quoted text with brackets inside (msg="(retry 3)
// later"): free text, or the message of a structured record, which names
// its event (see headQuote). k is the length of the key= that starts
// s[i:] (eventtok.KeyLen).
func dumpEnd(s string, i, k int) int {
	e := tokEnd(s, i)
	if k == 0 || i+k >= e || strings.IndexByte("\"'{[", s[i+k]) >= 0 {
		// A value that opens with a quote or with '{' or '[' is a
		// group of tokenEnd's, one token already, masked as such
		// (appendMaskedToken) or kept as the record's message.
		return -1
	}
	depth, n := eventtok.BracketDepth(s[i+k:e]), 0 // n: the tokens after s[i]'s
	switch {
	case depth > 0:
	case depth == 0 && eventtok.DumpWord(s[i+k:e]) && e+2 < len(s) && s[e+2] == ' ' && strings.IndexByte("{([", s[e+1]) >= 0:
		e, depth, n = e+2, 1, 1 // the token that is only the bracket
	default:
		return -1
	}
	for e < len(s) {
		if n++; n >= maxDumpTokens {
			return -1
		}
		j := e + 1
		e = tokEnd(s, j)
		if depth += eventtok.BracketDepth(s[j:e]); depth < 0 {
			return -1
		}
		if depth == 0 {
			if e >= len(s) {
				return -1 // the dump ends the message
			}
			return e
		}
	}
	return -1
}

// levels counts the brackets open before a token of a message, token by
// token (space-separated), a count that falls below zero taken as zero (a
// closing bracket whose opening the message does not hold). It scans
// lazily, from where it stopped: asked only where a dump starts, it reads
// a message without one not at all, and any message at most once.
type levels struct {
	pos, depth int
}

// topLevel reports whether no bracket is open before s[i], the start of a
// token at or after the previous call's.
func (l *levels) topLevel(s string, i int) bool {
	for l.pos < i {
		e := tokEnd(s, l.pos)
		l.depth = max(l.depth+eventtok.BracketDepth(s[l.pos:e]), 0)
		l.pos = e + 1
	}
	return l.depth == 0
}

// tokEnd returns the index of the first space at or after i, or len(s).
func tokEnd(s string, i int) int {
	if j := strings.IndexByte(s[i:], ' '); j >= 0 {
		return i + j
	}
	return len(s)
}

// appendDump appends the dump s[i:e] (see dumpEnd) masked: its key, <*>
// and what follows its last closing bracket (the punctuation after the
// value: ws=<*>,).
func appendDump(dst []byte, s string, i, e int) []byte {
	k := eventtok.KeyLen(s[i:e])
	c := e
	for c > i && strings.IndexByte("})]", s[c-1]) < 0 {
		c--
	}
	dst = append(dst, s[i:i+k]...)
	dst = append(dst, wild...)
	return append(dst, s[c:e]...)
}

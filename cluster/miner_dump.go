// Object dumps as key= values (issue 9): a value printed by an object's
// string method, with spaces inside its brackets, is one value.

package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/signature"
)

// maxDumpTokens bounds the tokens one dump value may span: a bracket that
// does not close within them is not a dump, and the message is split at
// its spaces as before.
const maxDumpTokens = 32

// joinDumps joins, in place, the tokens of a plain message's key= value
// that opens a bracket and closes it in a later token into one token, and
// returns the tokens. Such a value is an object written by its string
// method, Java's Name{field value ...} or Android's Intent { act=... }:
// ws=WorkSource{10024 com.google.android.gms}, next to ws=null,, or
// planSummary=IXSCAN { email: 1 } next to planSummary=COLLSCAN. Split at
// its spaces, each length of the dump was a pattern of its own, and the
// key= value rule could not see the value. A key whose value opens a
// bracket in its token, or is one word followed by a token that is only
// an opening bracket, starts a dump; it ends at the token that closes
// the bracket (brackets counted, any kind), within maxDumpTokens, or the
// tokens are left as they are. Only a key at the message's top level
// starts one: a key inside an open bracket is a field of a dump that
// encloses it (LeaderAndIsr(leader=2, isr=List(2, 3), ...), which the
// free-text rules take whole); and a dump that ends the message is left
// to those rules too, as any object dump that ends one ("is <*>"): they
// keep a trailing dump whose text names the event (macOS's
// UserInfo={... NSLocalizedDescription=The request timed out.}) apart
// from one with other text, as the corrected Loghub templates do, which
// the key= value rule ([dumpPair]) would merge. A bracket glued to a
// value without a key (Set(yarn, curi)) is not joined: nothing marks it
// as one value.
func joinDumps(toks []string) []string {
	out := toks[:0]
	depth := 0 // brackets open before toks[i]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		j := i
		if depth == 0 {
			j = dumpEnd(toks, i)
		}
		if j > i && j < len(toks)-1 {
			t = strings.Join(toks[i:j+1], " ") // the slow path only: a new template
			i = j
		} else {
			depth = max(depth+eventtok.BracketDepth(t), 0)
		}
		out = append(out, t)
	}
	return out
}

// dumpEnd returns the index of the token that closes the dump value
// starting at toks[i], or i when toks[i] starts none.
func dumpEnd(toks []string, i int) int {
	t := toks[i]
	k := eventtok.KeyLen(t)
	if k == 0 {
		return i
	}
	depth := eventtok.BracketDepth(t[k:])
	j := i
	switch {
	case depth > 0:
	case depth == 0 && eventtok.DumpWord(t[k:]) && i+1 < len(toks) && len(toks[i+1]) == 1 && strings.IndexByte("{([", toks[i+1][0]) >= 0:
		j, depth = i+1, 1
	default:
		return i
	}
	for j++; j < len(toks) && j-i < maxDumpTokens; j++ {
		depth += eventtok.BracketDepth(toks[j])
		if depth < 0 {
			return i
		}
		if depth == 0 {
			return j
		}
	}
	return i
}

// dumpPair reports whether a and b are two values of one key of which at
// least one is a dump joined by [joinDumps] (the only plain tokens that
// hold a space), with the same closing punctuation after the value: the
// key marks the position as a value, and a dump is one value however
// much of it the normalizer masked (ws=WorkSource{<*> com.google.android.gms},
// and ws=null,). The other value must not be an event word.
func dumpPair(a, b string) bool {
	if strings.IndexByte(a, ' ') < 0 && strings.IndexByte(b, ' ') < 0 {
		return false
	}
	k := eventtok.KeyLen(a)
	if k == 0 || eventtok.KeyLen(b) != k || a[:k] != b[:k] {
		return false
	}
	va, pa := cutPunct(a[k:])
	vb, pb := cutPunct(b[k:])
	if pa != pb || va == "" || vb == "" {
		return false
	}
	return !isEventWord(va) && !isEventWord(vb)
}

// cutPunct splits v into its value and the run of , . ; : that ends it.
func cutPunct(v string) (string, string) {
	e := len(v)
	for e > 0 && strings.IndexByte(",.;:", v[e-1]) >= 0 {
		e--
	}
	return v[:e], v[e:]
}

// mergeDump returns the merge of a dumpPair: the key, one <*> and the
// closing punctuation.
func mergeDump(a string) string {
	k := eventtok.KeyLen(a)
	_, p := cutPunct(a[k:])
	return a[:k] + signature.Wildcard + p
}

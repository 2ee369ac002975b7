package pattern

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/internal/fnv"
	"github.com/srex-dev/lipservice-go/internal/unitword"
)

// Token kinds.
const (
	kindWild  = iota // exactly "<*>"
	kindWord         // plain word: letters, '-', '_', '.', '/', ':'
	kindValue        // anything else: a digit, punctuation, non-ASCII, or a partial <*>
	// kindQuantity is a variable with the unit after it ("<*> ms", see
	// unitEnd): a value, but one that, like <*>, is neither a plain word
	// nor a value that makes a differing span one value ("corrected over
	// <*> seconds" is a clause, as "corrected over <*> <*>" was).
	kindQuantity
)

// quantityHash indexes every token of kindQuantity: they all align with
// one another, whatever their unit.
var quantityHash = fnv.String("<*> unit")

// wild is the normalizer's variable marker; wildHash its FNV-1a hash.
const wild = "<*>"

var wildHash = fnv.String(wild)

// plain[c] reports whether byte c may appear in a plain word.
var plain = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "-_./:" {
		t[c] = true
	}
	return t
}()

// token is one space-separated token of a template held elsewhere (a
// node's template or the miner's buffer): its byte range, hash and class.
type token struct {
	off, end uint16
	// key is the length of the token's "key=" prefix (up to and including
	// the first '=', which is not the first byte), 0 when it has none.
	key uint8
	// kind classifies the whole token; vkind the part after the key.
	kind, vkind uint8
	// bits: tokEvent marks a token (or key= value) that the normalizer
	// kept as part of the event (eventtok.Kept, or a method and route, see
	// markRoutes): it never merges with a different token; tokVar a token
	// that holds "<*>" and other bytes (see filled).
	bits uint8
	// 24 bytes in all: the miner copies a pattern's tokens when it creates it.
	h uint64
	// kh is the hash that indexes the token (see indexHash).
	kh uint64
}

// Bits of token.bits.
const (
	tokEvent = 1 << iota
	tokVar
)

// event reports whether the token was kept as part of the event.
func (t token) event() bool { return t.bits&tokEvent != 0 }

// classify returns the kind of s: kindWild for "<*>", kindWord when every
// byte outside embedded "<*>" markers is plain (and there is one), else
// kindValue.
func classify(s string) uint8 {
	if s == wild {
		return kindWild
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+2 < len(s) && s[i+1] == '*' && s[i+2] == '>' {
			i += 2
			continue
		}
		if !plain[s[i]] {
			return kindValue
		}
		n++
	}
	if n == 0 {
		return kindValue // "<*><*>", "": a variable
	}
	return kindWord
}

// tokenize appends the tokens of tmpl to dst and reports false when there
// are more than max. Tokens are separated by single spaces, so that joining
// them with single spaces gives tmpl back, except that a quoted or
// bracketed group is one token however many spaces it holds (see
// tokenEnd), and so is a variable with the unit after it (see unitEnd).
func tokenize(dst []token, tmpl string, max int) ([]token, bool) {
	for i := 0; ; {
		end := tokenEnd(tmpl, i)
		if len(dst) == max {
			return dst, false
		}
		if ue := unitEnd(tmpl, i, end); ue != end {
			dst = append(dst, quantityToken(tmpl, i, ue))
			end = ue
		} else {
			dst = append(dst, makeToken(tmpl, i, end))
		}
		if end >= len(tmpl) {
			markRoutes(dst, tmpl)
			if headQuote(tmpl[dst[0].off:dst[0].end]) {
				// The quoted text that opens a message is its event.
				dst[0].bits, dst[0].kh = dst[0].bits|tokEvent, dst[0].h
			}
			return dst, true
		}
		i = end + 1
	}
}

// markRoutes marks as event tokens an HTTP method followed by its route
// (eventtok.Method, eventtok.Route; eventtok.Kept covers a request line
// grouped in one token): "GET /api/<*>", "method=GET path=/api/<*>".
func markRoutes(toks []token, tmpl string) {
	for k := 0; k+1 < len(toks); k++ {
		a, b := toks[k], toks[k+1]
		if eventtok.Method(tmpl[int(a.off)+int(a.key):a.end]) && eventtok.Route(tmpl[int(b.off)+int(b.key):b.end]) {
			toks[k].bits |= tokEvent
			toks[k+1].bits |= tokEvent
		}
	}
}

// tokenEnd returns the end of the token that starts at i: the next space
// outside a group. A group opens with '"', '\”, '{' or '[' at the start of
// the token or right after '=' or ':', and runs to the matching close (a
// quote followed by a space, the end or one of ,;:)]}; a bracket balanced
// by depth); an unclosed group is no group. Quoting and bracketing are how
// every log convention says "these words are one value" (free text, SQL,
// JSON bodies, lists), so the miner aligns them as one token.
func tokenEnd(s string, i int) int {
	j := i
	for j < len(s) && s[j] != ' ' {
		c := s[j]
		if (c == '"' || c == '\'' || c == '{' || c == '[') && (j == i || s[j-1] == '=' || s[j-1] == ':') {
			if k := groupEnd(s, j); k > 0 {
				j = k
				continue
			}
		}
		j++
	}
	return j
}

// unitEnd returns the end of the token s[i:end] extended by the unit token
// after it ("<*> ms", "<*> bytes", "(<*> KB),") when the token ends with a
// variable (internal/unitword): the unit is part of the variable's value,
// so "took <*> ms", "took <*> s" and "took <*>" align token by token and
// differ in a value, which merges into <*>, as cluster.Miner groups them.
// A template whose members all write the same unit keeps it. Otherwise it
// returns end.
func unitEnd(s string, i, end int) int {
	if end >= len(s) || !unitword.After(s[i:end]) {
		return end
	}
	e := tokenEnd(s, end+1)
	if _, ok := unitword.Token(s[end+1 : e]); ok {
		return e
	}
	return end
}

// groupEnd returns the index after the close of the group opened at s[j],
// or -1.
func groupEnd(s string, j int) int {
	switch open := s[j]; open {
	case '"', '\'':
		for k := j + 1; k < len(s); k++ {
			if s[k] == open && (k+1 == len(s) || closeFollow[s[k+1]]) {
				return k + 1
			}
		}
	default:
		close := byte(']')
		if open == '{' {
			close = '}'
		}
		depth := 0
		for k := j; k < len(s); k++ {
			switch s[k] {
			case open:
				depth++
			case close:
				if depth--; depth == 0 {
					return k + 1
				}
			}
		}
	}
	return -1
}

// closeFollow lists the bytes that may follow a closing quote.
var closeFollow = [256]bool{' ': true, ',': true, ';': true, ':': true, ')': true, ']': true, '}': true}

func makeToken(tmpl string, off, end int) token {
	s := tmpl[off:end]
	kind, hasWild := classifyWild(s)
	t := token{off: uint16(off), end: uint16(end), h: fnv.String(s), kind: kind}
	t.vkind = t.kind
	if k := eventtok.KeyLen(s); k > 0 {
		t.key = uint8(k)
		t.vkind = classify(s[k:])
	}
	if eventtok.Kept(s[t.key:]) {
		t.bits |= tokEvent
	}
	if t.kind != kindWild && hasWild {
		t.bits |= tokVar
	}
	t.kh = indexHash(s, t)
	return t
}

// classifyWild is classify(s) and whether s holds "<*>", in one scan (a
// first sight tokenizes every token of its template).
func classifyWild(s string) (kind uint8, hasWild bool) {
	if s == wild {
		return kindWild, true
	}
	kind = kindWord
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+2 < len(s) && s[i+1] == '*' && s[i+2] == '>' {
			if kind == kindValue {
				return kindValue, true
			}
			hasWild = true
			i += 2
			continue
		}
		if kind == kindWord && !plain[s[i]] {
			if hasWild {
				return kindValue, true
			}
			kind = kindValue
		}
		n++
	}
	if n == 0 {
		kind = kindValue // "<*><*>", "": a variable
	}
	return kind, hasWild
}

// quantityToken is makeToken for a variable with its unit (unitEnd).
func quantityToken(tmpl string, off, end int) token {
	t := makeToken(tmpl, off, end)
	t.vkind = kindQuantity
	if t.key == 0 { // a key=<*> unit token keeps its key's kind and bucket
		t.kind = kindQuantity
		if !t.event() {
			t.kh = quantityHash
		}
	}
	return t
}

// indexHash is the hash under which a pattern starting or ending with the
// token is indexed: the token itself for a token kept as part of the event
// (only patterns with the same one can match it) and for a plain word, the
// key of a key=value token, one shared bucket for values and <*>.
func indexHash(s string, t token) uint64 {
	switch {
	case t.event():
		return t.h
	case t.key > 0:
		return fnv.String(s[:t.key])
	case t.kind == kindWord:
		return t.h
	}
	return wildHash
}

// tokenBits returns the bits of a token in a 64-bit mask of a template's
// tokens: one for the token's hash, for a key=value token one for its
// key, and for a token with a variable one for its hash with the variable
// empty. Two tokens that match in a way that counts (same, sameKey,
// wildLeft, wildRight) have a bit in common, so the number of a template's
// tokens with a bit in a pattern's mask bounds the tokens that can count.
func tokenBits(tmpl string, t *token) uint64 {
	b := uint64(1) << (t.h & 63)
	if t.key > 0 {
		b |= 1 << (fnv.String(tmpl[t.off:int(t.off)+int(t.key)]) & 63)
	}
	// tokVar is set for a token that holds "<*>" and is not <*> (makeToken).
	if s := tmpl[t.off:t.end]; t.kind == kindValue && t.bits&tokVar != 0 && !startsWild(s) && !endsWild(s) {
		// A token with an enclosed variable shares a bit with the same
		// token with the variable empty (see emptied): its hash without
		// the markers.
		b |= 1 << (emptiedHash(s) & 63)
	}
	return b
}

// emptiedHash returns the hash of s with every "<*>" removed.
func emptiedHash(s string) uint64 {
	h := fnv.Offset64
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+2 < len(s) && s[i+1] == '*' && s[i+2] == '>' {
			i += 2
			continue
		}
		h = fnv.AddByte(h, s[i])
	}
	return h
}

// emptied reports whether t is w with its variables empty: w holds "<*>"
// between delimiters, neither starting nor ending with it, and t is w with
// every "<*>" removed ("()" for "(<*>)", "”" for "'<*>'", "[]," for
// "[<*>],"). A bracketed or quoted value may be empty, and an empty value
// is still a value of the same field. A token that starts or ends with
// "<*>" is not enclosed (")" is not "<*>)" emptied: a group of several
// tokens ends there).
func emptied(w, t string) bool {
	if len(t) == 0 || len(w) <= len(t) || (len(w)-len(t))%3 != 0 || startsWild(w) || endsWild(w) {
		return false
	}
	j := 0
	for i := 0; i < len(w); i++ {
		if w[i] == '<' && i+2 < len(w) && w[i+1] == '*' && w[i+2] == '>' {
			i += 2
			continue
		}
		if j >= len(t) || w[i] != t[j] {
			return false
		}
		j++
	}
	return j == len(t)
}

// filled reports whether t is w with a value in the place of each of its
// variables: w holds "<*>" and other bytes (delimiters), and t is w with
// every "<*>" replaced by a non-empty run ("(eth0):" for "(<*>):",
// "'office'" for "'<*>'", "LOCAL(<*>)," for "<*>,"). The pattern learned
// that the part varies; another value there is the same field, as a bare
// <*> covers any token, so the pattern does not change. An empty run is
// not taken here (see emptied: ")" is not "<*>)" emptied).
func filled(w, t string) bool {
	if len(t) < 2 || len(w) < 4 {
		return false
	}
	// O(1) rejections first (most pairs are two words): the frame's first
	// and last bytes must be equal unless w starts or ends with "<*>".
	if w[0] != '<' && w[0] != t[0] || w[len(w)-1] != '>' && w[len(w)-1] != t[len(t)-1] {
		return false
	}
	if strings.IndexByte(w, '<') < 0 || !strings.Contains(w, wild) {
		return false
	}
	// Glob matching, each "<*>" taking one byte or more.
	i, j, star, mark := 0, 0, -1, 0
	for j < len(t) {
		switch {
		case strings.HasPrefix(w[i:], wild):
			star, i = i, i+len(wild)
			j++
			mark = j
		case i < len(w) && w[i] == t[j]:
			i++
			j++
		case star >= 0:
			mark++
			i, j = star+len(wild), mark
		default:
			return false
		}
	}
	return i == len(w)
}

// Outcomes of matching a pattern token with a template token.
const (
	noMatch  = iota
	same     // equal tokens
	covered  // the pattern's token is <*>, or the template's fills its enclosed variable (see filled)
	sameKey  // same key=, values differ
	wildLeft // the pattern's token is a key=<*> whose value covers the other, or has the variable the other has empty
	// wildRight: the template's token has a variable that the pattern's
	// has empty; the merge is the template's token.
	wildRight
	distinct // a token the normalizer kept as part of the event differs: never one pattern
	// filledRight: the template's token has an enclosed variable (not at
	// its edge) where the pattern's has a value (see filled); the merge is
	// the template's token. Like covered, it does not count.
	filledRight
)

// counts reports whether an outcome counts towards the similarity: as in
// Drain, a pattern's <*> matches any token without making the two more
// similar, so that a pattern that lost its constants cannot absorb
// everything of its length.
func counts(o int) bool { return o == same || o == sameKey || o == wildLeft || o == wildRight }

// match compares pattern token p (of ps) with template token t (of ts).
// plainDiff reports a difference that only a position with many distinct
// words may absorb (see MinWordValues): two plain words, two plain values
// of one key, or a difference of keys (a key is a name, not a value: a
// token with a key and one without, or two different keys).
func match(ps string, p token, ts string, t token) (outcome int, plainDiff bool) {
	pv, tv := ps[p.off:p.end], ts[t.off:t.end]
	if p.h == t.h && pv == tv {
		return same, false
	}
	if p.kind == kindWild {
		return covered, false
	}
	if !p.event() && !t.event() {
		switch {
		case emptied(pv, tv):
			return wildLeft, false
		case emptied(tv, pv):
			return wildRight, false
		}
	}
	if p.key > 0 && p.key == t.key && pv[:p.key] == tv[:t.key] {
		if pv[p.key:] == wild {
			return wildLeft, false
		}
		if p.event() || t.event() {
			return distinct, false
		}
		return sameKey, p.vkind == kindWord && t.vkind == kindWord
	}
	if p.key > 0 || t.key > 0 {
		return noMatch, true
	}
	if p.event() || t.event() {
		return distinct, false
	}
	switch {
	case p.bits&tokVar != 0 && filled(pv, tv):
		return covered, false
	case t.bits&tokVar != 0 && !startsWild(tv) && !endsWild(tv) && filled(tv, pv):
		// The template's variable is enclosed: the merge keeps the frame,
		// so both orders of arrival give one template. A variable at
		// the edge ("<*>,") merges into <*>, as a value there did.
		return filledRight, false
	}
	return noMatch, p.kind == kindWord && t.kind == kindWord
}

// valueAt reports whether pattern token p (of ps) and template token t (of
// ts), at position i of the template, whose match (outcome o) found a
// plain difference, differ in a value after all: a variable with only
// delimiters around it ("<*>:", "::<*>") is a value in that position, not
// a word of a closed set; and past the first token (the message's
// subject: event=login), two plain values of one key= (see keyValue) and
// two different qualified names (see qualifiedPair) are values. Callers ask only while
// the answer can matter (it is a scan of both tokens).
// *fp caches the template token's tokenFlags (0: not computed yet).
func valueAt(o int, ps string, p token, ts string, t token, i int, fp *uint8) bool {
	if *fp == 0 {
		*fp = tokenFlags(ts, &t)
	}
	f := *fp
	if o == noMatch && p.key == 0 && t.key == 0 && (f&flagDelimited != 0 || delimitedWild(ps[p.off:p.end])) {
		return true
	}
	if i > 0 && p.key == t.key && schemePair(ps[int(p.off)+int(p.key):p.end], ts[int(t.off)+int(t.key):t.end]) {
		return true
	}
	if i > 0 && o == sameKey && p.key > 0 && keyValue(ps[int(p.off)+int(p.key):p.end]) && keyValue(ts[int(t.off)+int(t.key):t.end]) {
		return true
	}
	return i > 0 && p.key == t.key && f&flagQualified != 0 && qualifiedPair(ps[int(p.off)+int(p.key):p.end], ts[int(t.off)+int(t.key):t.end])
}

// schemePair reports whether a and b are two names that each prefix a
// masked value with ':' or ',' (tcp:<*> and unix:<*>, session:<*> and
// cart:<*>): a scheme, a key space or a table, the way a program names the
// kind of a value it inserts, so the name is part of the value, as
// cluster.Miner's name pairs. The rest from the separator on must be
// equal, start with <*> and hold no letter or digit (name:<memory:<*>
// names a field); the names are identifiers (a letter, then letters,
// digits, '_' and '-') and values by keyValue.
func schemePair(a, b string) bool {
	if len(a) < 5 || len(b) < 5 || strings.IndexByte(a, '<') < 2 || strings.IndexByte(b, '<') < 2 {
		return false // most differing words hold no variable
	}
	ia, ib := identLen(a), identLen(b)
	if ia == 0 || ib == 0 || ia == len(a) || a[ia] != ':' && a[ia] != ',' || a[ia:] != b[ib:] || a[:ia] == b[:ib] {
		return false
	}
	rest := a[ia+1:]
	if !startsWild(rest) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if isAlnum(rest[i]) {
			return false
		}
	}
	return keyValue(a[:ia]) && keyValue(b[:ib])
}

// identLen returns the length of the identifier s starts with: a letter,
// then letters, digits, '_' and '-'; 0 if none.
func identLen(s string) int {
	if s == "" || !isLetter(s[0]) {
		return 0
	}
	i := 1
	for i < len(s) && (isAlnum(s[i]) || s[i] == '_' || s[i] == '-') {
		i++
	}
	return i
}

// keyValue reports whether v, the plain value of a key=, is a value that
// merges with another value of the same key at once: not an event word
// (an HTTP-method-shaped word, a verb form of state or outcome) and not a
// capitalized word (one upper-case letter, then only lower-case ones:
// Active, Enabled), the display form of an enumerated state, as
// cluster.Miner rules.
func keyValue(v string) bool {
	return !eventtok.Method(v) && !eventtok.Verb(v) && !eventtok.Capitalized(v)
}

// Bits of tokenFlags.
const (
	flagKnown     = 1 << iota // computed
	flagDelimited             // delimitedWild
	flagQualified             // its value is a qualified name
)

// tokenFlags returns what valueAt needs to know of a template's token,
// computed at most once per placement rather than once per candidate.
func tokenFlags(ts string, t *token) uint8 {
	f := uint8(flagKnown)
	s := ts[t.off:t.end]
	var wild, sep bool
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			wild = true
		case '.', '/':
			sep = true
		}
	}
	if wild && delimitedWild(s) {
		f |= flagDelimited
	}
	if sep && qualifiedName(s[t.key:]) > 0 {
		f |= flagQualified
	}
	return f
}

// qualifiedPair reports whether a and b are two different qualified names
// with the same punctuation after them (see qualifiedName): the names of
// things a program inserts (shop.carts, nginx.service, orders/show.html),
// an open set, as cluster.Miner takes them.
func qualifiedPair(a, b string) bool {
	ea := qualifiedName(a)
	if ea == 0 {
		return false
	}
	eb := qualifiedName(b)
	return eb > 0 && a[ea:] == b[eb:] && a[:ea] != b[:eb]
}

// qualifiedName returns the length of the qualified name s starts with,
// 0 if none: a letter first, then letters, digits and _ - $ : . /, with a
// '.' or '/' between two parts (an alphanumeric before it, an
// alphanumeric or '.' after it), followed only by closing punctuation; a
// word that ends a sentence ("done.") or a version is none, nor a name
// whose last part has no lower-case letter (a constant such as
// android.intent.action.SCREEN_ON names the event), as in cluster.Miner.
func qualifiedName(s string) int {
	if strings.IndexByte(s, '.') < 0 && strings.IndexByte(s, '/') < 0 {
		return 0 // most words: no separator
	}
	e := len(s)
	for e > 0 && strings.IndexByte(",;:)]}'\"", s[e-1]) >= 0 {
		e--
	}
	if e < 3 || !isLetter(s[0]) {
		return 0
	}
	inner := false
	for j := 0; j < e; j++ {
		c := s[j]
		switch {
		case isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$' || c == ':':
		case c == '.' || c == '/':
			if j > 0 && j+1 < e && isAlnum(s[j-1]) && (isAlnum(s[j+1]) || s[j+1] == '.') {
				inner = true
			}
		default:
			return 0
		}
	}
	if !inner {
		return 0
	}
	for j := e - 1; j >= 0 && s[j] != '.' && s[j] != '/'; j-- {
		if s[j] >= 'a' && s[j] <= 'z' {
			return e
		}
	}
	return 0
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }

// delimitedWild reports whether s holds a "<*>" and no letter: a variable
// and the punctuation around it.
func delimitedWild(s string) bool {
	if strings.IndexByte(s, '<') < 0 {
		return false // most words: no variable
	}
	vars := false
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+2 < len(s) && s[i+1] == '*' && s[i+2] == '>' {
			i += 2
			vars = true
			continue
		}
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return false
		}
	}
	return vars
}

// endsWild reports whether s ends with "<*>"; startsWild whether it
// starts with it.
func endsWild(s string) bool   { return len(s) >= 3 && s[len(s)-3:] == wild }
func startsWild(s string) bool { return len(s) >= 3 && s[:3] == wild }

func bytesEndWild(b []byte) bool   { return len(b) >= 3 && string(b[len(b)-3:]) == wild }
func bytesStartWild(b []byte) bool { return len(b) >= 3 && string(b[:3]) == wild }

// appendMasked appends tmpl to dst with the values that need no second
// sample to be recognized replaced by <*>, keeping a key= prefix and the
// punctuation after them:
//
//   - a quoted or bracketed group (see tokenEnd) that is a whole token or
//     the value of a key=: free text, SQL, JSON bodies, lists; not the
//     quoted text that is the message's whole first token (see headQuote),
//     which names the event;
//   - an e-mail address: a run of letters, digits and ._%+- before an '@'
//     and a domain (letters, digits, '.', '-' or <*>) after it;
//   - a comma list (see varList): its length varies with the record;
//   - an object dump as the value of a key= at the message's top level,
//     not at its end (see dumpEnd): one value however many spaces it
//     holds;
//   - a qualified name (see qualifiedName) past the message's first
//     token, or as the value of a key=: a thing the program inserts, which
//     valueAt would merge with the next name at that place anyway; and as
//     the first token when a ':' ends it, a label of what the event is
//     about (nginx.service:), not a sentence's subject (rpc.statd).
//
// A template with such values then gets its family's pattern from its
// first record: no pattern ID is spent on the exact template, and no raw
// value reaches a pattern's template.
func appendMasked(dst []byte, tmpl string) []byte {
	lower := false // the previous token is a lower-case word
	var lv levels  // brackets open before a token (see dumpEnd)
	for i := 0; ; {
		end := tokenEnd(tmpl, i)
		tok := tmpl[i:end]
		keyLen := eventtok.KeyLen(tok) // scanned once, passed on
		if keyLen > 0 {
			if e := dumpEnd(tmpl, i, keyLen); e > 0 && lv.topLevel(tmpl, i) {
				// An object dump as a key= value: one value.
				dst = appendDump(dst, tmpl, i, e)
				end, tok, keyLen = e, "", 0
			}
		}
		if lower && tok != "" {
			if e, ok := nameRun(tmpl, i); ok {
				// A proper name: <*> and the punctuation after it.
				dst = append(dst, wild...)
				end = e
				for end < len(tmpl) && tmpl[end] != ' ' {
					dst = append(dst, tmpl[end])
					end++
				}
				tok, keyLen = "", 0
			}
		}
		dst = appendMaskedToken(dst, tok, keyLen, i == 0)
		lower = lowerWord(tok)
		if end >= len(tmpl) {
			return dst
		}
		dst = append(dst, ' ')
		i = end + 1
	}
}

// nameRun reports whether a proper name starts at s[i], and where its last
// word ends: two or more capitalized words (an upper-case ASCII letter and
// then only lower-case ones) separated by single spaces, the last of which
// may be followed by punctuation (up to the next space). appendMasked only
// asks after a lower-case word: in the middle of a sentence, a run of
// capitalized words is a name (of a person, a place, an organization), not
// a word of the event, and a single capitalized word (a state, a type) is
// left to the miner. The run starts after a lower-case word so that a
// sentence's first word ("Started Session 1 of user root") is not taken
// for one.
func nameRun(s string, i int) (end int, ok bool) {
	words := 0
	for {
		j := i
		if j >= len(s) || s[j] < 'A' || s[j] > 'Z' {
			break
		}
		j++
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		if j-i < 2 || j < len(s) && nameCont[s[j]] {
			break // not a capitalized word: "A", "McCain", "Node2", "Foo_bar"
		}
		words++
		end = j
		if j >= len(s) || s[j] != ' ' {
			break // punctuation, or the end, ends the name
		}
		i = j + 1
	}
	if words < 2 {
		return 0, false
	}
	return end, true
}

// nameCont lists the bytes that may not follow a capitalized word of a
// name: letters, digits, '_', '<' (a masked value) and '@'.
var nameCont = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '<' || c == '@'
	}
	return t
}()

// lowerWord reports whether tok is a word of lower-case ASCII letters.
func lowerWord(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 'a' || tok[i] > 'z' {
			return false
		}
	}
	return true
}

// appendMaskedToken appends tok masked; k is eventtok.KeyLen(tok).
func appendMaskedToken(dst []byte, tok string, k int, head bool) []byte {
	if v := tok[k:]; len(v) > 1 && (v[0] == '"' || v[0] == '\'' || v[0] == '{' || v[0] == '[') && !(head && headQuote(tok)) {
		if e := groupEnd(v, 0); e > 0 && !eventtok.Kept(v[:e]) {
			dst = append(dst, tok[:k]...)
			dst = append(dst, wild...)
			return append(dst, v[e:]...)
		}
	}
	if v := tok[k:]; hasSep(v) { // most tokens have no ',', '.' or '/'
		if e := varList(v); e > 0 {
			// A list: its length varies from record to record.
			dst = append(dst, tok[:k]...)
			dst = append(dst, wild...)
			return append(dst, v[e:]...)
		}
		if !head || k == 0 && strings.HasSuffix(tok, ":") {
			if e := qualifiedName(v); e > 0 {
				// A qualified name past the first token, or a label: a
				// thing the program inserts (see qualifiedPair),
				// recognizable from one record.
				dst = append(dst, tok[:k]...)
				dst = append(dst, wild...)
				return append(dst, v[e:]...)
			}
		}
	}
	if a := strings.IndexByte(tok, '@'); a > 0 && a+1 < len(tok) {
		s := a
		for s > 0 {
			// The local part, or what the normalizer left of it.
			if localPart[tok[s-1]] {
				s--
			} else if endsWild(tok[:s]) {
				s -= len(wild)
			} else {
				break
			}
		}
		e := a + 1
		for e < len(tok) {
			switch {
			case domainPart[tok[e]]:
				e++
				continue
			case strings.HasPrefix(tok[e:], wild):
				e += len(wild)
				continue
			}
			break
		}
		for e > a+1 && tok[e-1] == '.' {
			e-- // a full stop after the address
		}
		if s < a && e > a+1 {
			dst = append(dst, tok[:s]...)
			dst = append(dst, wild...)
			return append(dst, tok[e:]...)
		}
	}
	return append(dst, tok...)
}

// hasSep reports whether s holds a ',', '.' or '/': a list or a
// qualified name needs one.
func hasSep(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '.' || c == '/' {
			return true
		}
	}
	return false
}

// varList returns the length of the comma list s starts with ("<*>,<*>",
// "a,b,c", "<*>,<*>,<*>", "t,,<*>"), 0 if none: two or more items
// (variables, letters, digits and _ - ., starting with a variable, a
// letter or a digit; empty between two commas) separated by commas,
// followed only by a full stop or closing punctuation.
func varList(s string) int {
	if strings.IndexByte(s, ',') < 0 {
		return 0 // most tokens: no comma
	}
	e, n := 0, 0
	for {
		if n > 0 && e < len(s) && s[e] == ',' {
			n, e = n+1, e+1 // an empty item (a field with no value)
			continue
		}
		if e >= len(s) || !isAlnum(s[e]) && !strings.HasPrefix(s[e:], wild) {
			return 0 // an item starts with a letter, a digit or a variable
		}
		for e < len(s) {
			if strings.HasPrefix(s[e:], wild) {
				e += len(wild)
				continue
			}
			if c := s[e]; isAlnum(c) || c == '_' || c == '-' || c == '.' {
				e++
				continue
			}
			break
		}
		n++
		if e+1 < len(s) && s[e] == ',' {
			e++
			continue
		}
		break
	}
	if n < 2 {
		return 0
	}
	for s[e-1] == '.' {
		e-- // a full stop after the list
	}
	for j := e; j < len(s); j++ {
		if strings.IndexByte(".,;:)]}'\"", s[j]) < 0 {
			return 0
		}
	}
	return e
}

// headQuote reports whether tok, a message's first token, is a quoted
// text (or key= and a quoted text, msg="worker started") and nothing else:
// the message of a structured record (logfmt msg=, a JSON "msg"), which
// names its event. Elsewhere quoted text is a value (free text, SQL), and
// is masked.
func headQuote(tok string) bool {
	v := tok[eventtok.KeyLen(tok):]
	return len(v) > 1 && (v[0] == '"' || v[0] == '\'') && groupEnd(v, 0) == len(v)
}

// localPart and domainPart are the bytes of an e-mail address's local part
// and domain.
var localPart, domainPart = func() (l, d [256]bool) {
	for c := 0; c < 256; c++ {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		l[c] = alnum || strings.IndexByte("._%+-", byte(c)) >= 0
		d[c] = alnum || c == '.' || c == '-'
	}
	return l, d
}()

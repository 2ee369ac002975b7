// Variable spans of a Miner: one variable that spans a varying number of
// tokens inside a message (issue 9).

package cluster

import (
	"slices"
	"strings"

	"github.com/srex-dev/lipservice-go/signature"
)

// A span merge joins a message to a pattern of another token count when
// both have the same words, in the same order, and differ only inside the
// runs of tokens between two words (a segment) that hold a variable on both
// sides: "chrome.exe - <*> open through proxy <*> HTTPS" and "chrome.exe
// *<*> - <*> open through proxy <*> HTTPS" are one event, "<*> open through
// proxy <*> HTTPS", as the corrected Loghub labels write it. A word is a
// token that, its punctuation trimmed at both ends, is letters only
// ([spanWord]); so every word of one side is a word of the other, and a
// message that adds or drops a word ("closed by <*> [preauth]", "by invalid
// user <*>") is another event. A segment whose two sides differ becomes one
// <*> for the tokens that differ, widened over the variables and
// punctuation-only tokens around them (adjacent variables are one, as the
// labels write them); the tokens both sides share at its ends stay. Guards:
// at least spanMinWords words, of which two are adjacent on both sides (a
// phrase: "open through") or one is an event word ("sent,"), so that a
// short message's subject is never the only thing that differs; both sides
// of a merged segment hold a <*> (a masked value, or a position already
// variable: a segment of constants is a different object, not a value);
// no token the normalizer kept as part of the event (eventtok) in it; and at
// least one segment differs in length (messages of equal lengths are
// Drain's, the three-value rule decides there).
//
// The merged pattern is an ordinary pattern of its own token count: its
// span <*> covers one token in its group, and messages of other counts find
// it through spanIndex. A merge that changes a pattern makes it final (a
// provisional variable is not split back across lengths).

// spanMinWords is the fewest words a span merge needs: the skeleton that
// names the event.
const spanMinWords = 3

// spanMaxTokens bounds the tokens of a message compared across lengths
// (the alignment's work and its stack buffers).
const spanMaxTokens = 128

// spanIndex holds the patterns by the hash of their words (spanKey), for
// span merges. Entries of dead patterns, tail patterns and patterns whose
// words changed are pruned on use; the index is rebuilt when it holds
// more than twice as many entries as there are patterns (and after an
// eviction), so it is bounded like Miner.byFirst.
type spanIndex struct {
	byKey   map[uint64][]*node // each pattern's last key is node.spanAt
	entries int
}

// spanWord reports whether t is a word of a span skeleton: no <*>, and
// letters only once the punctuation at its ends is trimmed ("close,",
// "[preauth]", "proxy"; not "chrome.exe", "*<*>", "-").
func spanWord(t string) bool {
	if strings.Contains(t, signature.Wildcard) {
		return false
	}
	i, j := 0, len(t)
	for i < j && !alnumByte(t[i]) {
		i++
	}
	for j > i && !alnumByte(t[j-1]) {
		j--
	}
	return i < j && plainWord(t[i:j])
}

func alnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// looseToken reports whether t is only variables and punctuation ("<*>",
// "-", "(<*>)"): a span widens over it.
func looseToken(t string) bool {
	for i := 0; i < len(t); i++ {
		if strings.HasPrefix(t[i:], signature.Wildcard) {
			i += len(signature.Wildcard) - 1
			continue
		}
		if alnumByte(t[i]) {
			return false
		}
	}
	return true
}

// spanKey returns the FNV-1a hash of the words of toks and their number.
func spanKey(toks []string) (uint64, int) {
	h, n := uint64(14695981039346656037), 0
	for _, t := range toks {
		if !spanWord(t) {
			continue
		}
		for i := 0; i < len(t); i++ {
			h = (h ^ uint64(t[i])) * 1099511628211
		}
		h = (h ^ 0xff) * 1099511628211
		n++
	}
	if h == 0 {
		h = 1 // 0 is node.spanAt's "none"
	}
	return h, n
}

// spanIdx returns the index, built from the live patterns when it is
// missing or has grown past its bound. m.mu is held for writing.
func (m *Miner) spanIdx() *spanIndex {
	if m.spans != nil && m.spans.entries <= 2*len(m.nodes)+64 {
		return m.spans
	}
	m.spans = &spanIndex{byKey: make(map[uint64][]*node)}
	for _, n := range m.nodes {
		n.spanAt = 0
		m.spanNote(n)
	}
	return m.spans
}

// spanNote indexes pattern n under its current words, unless it is there
// already. m.mu is held for writing.
func (m *Miner) spanNote(n *node) {
	if n.tail || n.glue != nil || n.dead.Load() || len(n.tokens) > spanMaxTokens {
		return
	}
	if m.spans == nil {
		return // built from m.nodes at the first lookup
	}
	k, w := spanKey(n.tokens)
	if w < spanMinWords || n.spanAt == k {
		return
	}
	n.spanAt = k
	m.spans.byKey[k] = append(m.spans.byKey[k], n)
	m.spans.entries++
}

// spanCands returns the live patterns indexed under k, pruning stale
// entries. m.mu is held for writing.
func (s *spanIndex) cands(k uint64) []*node {
	g := s.byKey[k]
	live := g[:0]
	for _, n := range g {
		if !n.dead.Load() && !n.tail && n.spanAt == k {
			live = append(live, n)
		}
	}
	clear(g[len(live):])
	s.entries -= len(g) - len(live)
	if len(live) == 0 {
		delete(s.byKey, k)
	} else {
		s.byKey[k] = live
	}
	return live
}

// matchSpan finds a pattern of another token count that toks joins by a
// span merge (see above), generalizes it when needed, and returns it with
// the units of toks aligned to its positions; nil and units when there is
// none. A pattern that covers toks unchanged is preferred; otherwise the
// oldest that merges. m.mu is held for writing.
func (m *Miner) matchSpan(toks, units []string) (*node, []string) {
	if len(toks) > spanMaxTokens {
		return nil, units
	}
	k, w := spanKey(toks)
	if w < spanMinWords {
		return nil, units
	}
	var evBuf [spanMaxTokens]bool
	ev := markEvent(toks, evBuf[:])
	var best *node
	var bestAl spanAlignment
	for _, c := range m.spanIdx().cands(k) {
		al, ok := spanAlign(c.tokens, toks, c.events, ev)
		if !ok {
			continue
		}
		if !al.changed {
			best, bestAl = c, al
			break
		}
		if best == nil {
			best, bestAl = c, al
		}
	}
	if best == nil {
		return nil, units
	}
	best.prov.Store(nil) // final: not split back across lengths
	if bestAl.changed {
		m.respan(best, bestAl)
	}
	return best, bestAl.units(bestAl.fromB, units)
}

// spanCover returns a pattern of another token count that covers toks
// unchanged through its spans, or nil. It reads the index as it is (it
// may be missing or stale: Match then finds less, never a wrong pattern).
// m.mu is held for reading.
func (m *Miner) spanCover(toks []string) *node {
	if m.spans == nil || len(toks) > spanMaxTokens {
		return nil
	}
	k, w := spanKey(toks)
	if w < spanMinWords {
		return nil
	}
	var evBuf [spanMaxTokens]bool
	ev := markEvent(toks, evBuf[:])
	for _, c := range m.spans.byKey[k] {
		if c.dead.Load() || c.tail || c.spanAt != k {
			continue
		}
		if al, ok := spanAlign(c.tokens, toks, c.events, ev); ok && !al.changed {
			return c
		}
	}
	return nil
}

// respan sets n's tokens to the merged ones of al, moves it to the group
// of its new token count, and folds into it the patterns of its words and
// of its group that it now covers. m.mu is held for writing.
func (m *Miner) respan(n *node, al spanAlignment) {
	m.ungroup(n)
	first, _ := firstKey(n.tokens)
	n.units = al.units(al.fromA, n.units)
	n.setTokens(al.out)
	k := m.keyOf(n.tokens, n.shape)
	m.groups[k] = append(m.groups[k], n)
	if f, ok := firstKey(n.tokens); ok && f != first {
		m.index(n)
	}
	m.spanNote(n)
	sk, _ := spanKey(n.tokens)
	folded := false
	for _, o := range m.spanIdx().cands(sk) {
		if o == n {
			continue
		}
		if a, ok := spanAlign(n.tokens, o.tokens, n.events, o.events); ok && !a.changed {
			m.merge(n, o)
			m.ungroup(o)
			folded = true
		}
	}
	if folded {
		m.compact()
	}
	m.foldCovered(n, k, nil)
}

// spanAlignment is the result of spanAlign: the merged tokens and, per
// merged position, the position of a and of b it comes from (-1 for a
// span).
type spanAlignment struct {
	out          []string
	fromA, fromB []int
	changed      bool // out differs from a
}

// units returns src (units per position of the side that from maps) per
// merged position: a span's <*> is bare. nil when none has a unit.
func (al spanAlignment) units(from []int, src []string) []string {
	if src == nil {
		return nil
	}
	var out []string
	for j, i := range from {
		if i >= 0 && i < len(src) && src[i] != "" {
			if out == nil {
				out = make([]string, len(from))
			}
			out[j] = src[i]
		}
	}
	return out
}

// spanAlign aligns pattern tokens a with tokens b (a message, or another
// pattern) word by word and merges each segment between two words where
// they differ (see the top of this file); ok is false when the span rule
// does not join them. aEv and bEv mark the tokens kept as part of the
// event.
func spanAlign(a, b []string, aEv, bEv []bool) (al spanAlignment, ok bool) {
	if len(a) > spanMaxTokens || len(b) > spanMaxTokens {
		return al, false
	}
	var waBuf, wbBuf [spanMaxTokens]int
	wa, wb := waBuf[:0], wbBuf[:0]
	for i, t := range a {
		if spanWord(t) {
			wa = append(wa, i)
		}
	}
	for i, t := range b {
		if spanWord(t) {
			wb = append(wb, i)
		}
	}
	if len(wa) != len(wb) || len(wa) < spanMinWords {
		return al, false
	}
	phrase := false
	for i, p := range wa {
		if a[p] != b[wb[i]] {
			return al, false
		}
		phrase = phrase || isEventWord(strings.TrimRight(a[p], closingTail)) ||
			i > 0 && p == wa[i-1]+1 && wb[i] == wb[i-1]+1
	}
	if !phrase {
		return al, false
	}
	// One allocation for the positions, one for the tokens: the merged
	// pattern is at most as long as a.
	from := make([]int, 0, 2*(len(a)+1))
	al.fromA, al.fromB = from[:0:len(a)+1], from[len(a)+1:len(a)+1]
	al.out = make([]string, 0, len(a)+1)
	grew := false
	a0, b0 := 0, 0
	for s := 0; s <= len(wa); s++ {
		a1, b1 := len(a), len(b)
		if s < len(wa) {
			a1, b1 = wa[s], wb[s]
		}
		if a1-a0 != b1-b0 {
			grew = true
		}
		if !al.segment(a, b, a0, a1, b0, b1, aEv, bEv) {
			return al, false
		}
		if s < len(wa) {
			al.out = append(al.out, a[a1])
			al.fromA = append(al.fromA, a1)
			al.fromB = append(al.fromB, b1)
			a0, b0 = a1+1, b1+1
		}
	}
	if !grew {
		return al, false
	}
	al.changed = !slices.Equal(al.out, a)
	return al, true
}

// segment appends the merge of a[a0:a1] and b[b0:b1] to al; false when
// they differ and may not merge.
func (al *spanAlignment) segment(a, b []string, a0, a1, b0, b1 int, aEv, bEv []bool) bool {
	as, bs := a[a0:a1], b[b0:b1]
	if len(as) == len(bs) {
		same := true
		for i, t := range as {
			if t != bs[i] && !(strings.Contains(t, signature.Wildcard) && globMatch(t, bs[i])) {
				same = false
				break
			}
		}
		if same {
			for i, t := range as {
				al.out = append(al.out, t)
				al.fromA = append(al.fromA, a0+i)
				al.fromB = append(al.fromB, b0+i)
			}
			return true
		}
	}
	if len(as) == 1 && as[0] == signature.Wildcard && holdsVar(bs) {
		// A span the pattern already holds covers any value.
		al.out = append(al.out, signature.Wildcard)
		al.fromA = append(al.fromA, -1)
		al.fromB = append(al.fromB, -1)
		return true
	}
	if g, ok := groupSpan(as, bs); ok {
		// Both sides are one delimited group or object dump whose items
		// vary in number: the group is one value.
		al.out = append(al.out, g)
		al.fromA = append(al.fromA, -1)
		al.fromB = append(al.fromB, -1)
		return true
	}
	p := 0
	for p < len(as) && p < len(bs) && as[p] == bs[p] {
		p++
	}
	q := 0
	for q < len(as)-p && q < len(bs)-p && as[len(as)-1-q] == bs[len(bs)-1-q] {
		q++
	}
	for _, t := range as[p : len(as)-q] {
		if !spanValue(t) {
			return false
		}
	}
	for _, t := range bs[p : len(bs)-q] {
		if !spanValue(t) {
			return false
		}
	}
	// Widen over the variables and punctuation around the difference.
	for p > 0 && looseToken(as[p-1]) {
		p--
	}
	for q > 0 && looseToken(as[len(as)-q]) {
		q--
	}
	if p == len(as)-q || p == len(bs)-q { // one side adds tokens only: the whole segment is the span
		p, q = 0, 0
	}
	if !holdsVar(as[p:len(as)-q]) || !holdsVar(bs[p:len(bs)-q]) {
		return false
	}
	for i := a0 + p; i < a1-q; i++ {
		if i < len(aEv) && aEv[i] {
			return false
		}
	}
	for i := b0 + p; i < b1-q; i++ {
		if i < len(bEv) && bEv[i] {
			return false
		}
	}
	for i := range p {
		al.out = append(al.out, as[i])
		al.fromA = append(al.fromA, a0+i)
		al.fromB = append(al.fromB, b0+i)
	}
	al.out = append(al.out, signature.Wildcard)
	al.fromA = append(al.fromA, -1)
	al.fromB = append(al.fromB, -1)
	for i := len(as) - q; i < len(as); i++ {
		al.out = append(al.out, as[i])
		al.fromA = append(al.fromA, a0+i)
		al.fromB = append(al.fromB, b0+i-len(as)+len(bs))
	}
	return true
}

// spanValue reports whether t, a token where two sides of a segment
// differ, is part of a value: a masked value with plain punctuation around
// it ("<*>", "*<*>", "<*>:"), punctuation ("-") or a qualified name
// ("chrome.exe"). A bracketed group ("(<*>):", "ssh2]") is another format
// of the message, a key ("user=<*>") another field and a word without a
// '.' ("ssh2") a constant of the event: Loghub keeps "from <*>:" apart
// from "from <*> (<*>):", and "rhost=<*>" from "rhost=<*> user=<*>".
func spanValue(t string) bool {
	dot := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case strings.HasPrefix(t[i:], signature.Wildcard):
			i += len(signature.Wildcard) - 1
			dot = true
		case strings.IndexByte("()[]{}<>\"'`=", c) >= 0:
			return false
		case c == '.' && i > 0 && i < len(t)-1:
			dot = true
		}
	}
	return dot || looseToken(t)
}

// groupSpan reports whether the segments as and bs, of different lengths,
// are each one delimited group or object dump ([grouped], [dumps]: a
// list, a set, a toString) holding a <*>, with the same closing
// punctuation after it, and returns the <*> that stands for both, with
// that punctuation ("LocalAssignment(topology_id:<*>, executors:[...])"
// with one item or three: Storm).
func groupSpan(as, bs []string) (string, bool) {
	if len(as) == len(bs) || len(as) == 0 || len(bs) == 0 || !holdsVar(as) || !holdsVar(bs) {
		return "", false
	}
	ja, jb := strings.Join(as, " "), strings.Join(bs, " ")
	const after = ".,;:!?" // punctuation after a dump's closer
	var g, ta, tb string   // a delimited group keeps its delimiters: "[<*>]"
	switch {
	case grouped([]string{ja}) && grouped([]string{jb}) && ja[0] == jb[0]:
		closer := byte(')')
		switch ja[0] {
		case '[':
			closer = ']'
		case '{':
			closer = '}'
		}
		g = ja[:1] + signature.Wildcard + string(closer)
		ta = ja[strings.LastIndexByte(ja, closer)+1:]
		tb = jb[strings.LastIndexByte(jb, closer)+1:]
	case dumps([]string{strings.TrimRight(ja, after)}) && dumps([]string{strings.TrimRight(jb, after)}):
		g = signature.Wildcard // a dump's name is part of its value: "is <*>"
		ta = ja[len(strings.TrimRight(ja, after)):]
		tb = jb[len(strings.TrimRight(jb, after)):]
	default:
		return "", false
	}
	if ta != tb {
		return "", false
	}
	return g + ta, true
}

func holdsVar(toks []string) bool {
	for _, t := range toks {
		if strings.Contains(t, signature.Wildcard) {
			return true
		}
	}
	return false
}

// Tail patterns of a Miner: messages that share a prefix of tokens and end
// in a free-text tail of variable length (issue 9).

package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/signature"
)

// A tail pattern is a node whose last token stands for one or more tokens
// of a message: its template is a prefix of tokens then one token made of
// opening delimiters, <*> and closing punctuation ("Started <*>.",
// "Resolved [<*>]", "statement: <*>"). It covers a message of at least
// as many tokens whose first tokens match the prefix and whose remaining
// tokens, joined by spaces, match the last token. Tail nodes are not in
// Miner.groups (they cover many token counts); they are found through
// Miner.byFirst like the candidates that create them.

// tailKey is the key of a template in Miner.byFirst: its first token, or
// its first two tokens when the first holds a <*> (so that the many
// templates that start with a masked time do not share one bucket; a
// template whose first two tokens both hold a <*> has no key and no tail). The
// strings share the template's memory: building a key does not allocate.
type tailKey struct{ first, second string }

// firstKey returns the tailKey of a template, and false when the template
// is too short to have a prefix and a tail.
func firstKey(toks []string) (tailKey, bool) {
	if len(toks) < 2 {
		return tailKey{}, false
	}
	if !strings.Contains(toks[0], signature.Wildcard) {
		return tailKey{first: toks[0]}, true
	}
	if len(toks) < 3 || strings.Contains(toks[1], signature.Wildcard) {
		return tailKey{}, false // no constant to key on
	}
	return tailKey{toks[0], toks[1]}, true
}

// minPrefix returns the number of tokens firstKey used.
func minPrefix(toks []string) int {
	if strings.Contains(toks[0], signature.Wildcard) {
		return 2
	}
	return 1
}

// wildFirst is the first field of the tailKey under which a tail pattern
// whose first token holds a <*> is also indexed (see wildKey); no token
// is empty, so it never meets a firstKey.
const wildFirst = ""

// wildKey returns the second key of a template whose first token holds a
// <*> and whose second does not: its second token alone. A tail pattern
// is indexed under it too, so that a message whose first token is a value
// of that <*> ("(postgres) CMD (pg_dump ...)" for "(<*>) CMD (<*>)")
// finds it, as a message of a fixed-length pattern finds it by its token
// count whatever its first token.
func wildKey(toks []string) (tailKey, bool) {
	if len(toks) < 3 || !strings.Contains(toks[0], signature.Wildcard) || strings.Contains(toks[1], signature.Wildcard) {
		return tailKey{}, false
	}
	return tailKey{wildFirst, toks[1]}, true
}

// index records n under its first key. m.mu is held for writing.
func (m *Miner) index(n *node) {
	k, ok := firstKey(n.tokens)
	if !ok {
		return
	}
	if m.byFirst == nil {
		m.byFirst = make(map[tailKey][]*node)
	}
	m.byFirst[k] = append(m.byFirst[k], n)
	m.indexed++
	if m.indexed > 2*len(m.nodes)+64 {
		m.reindex()
	}
}

// reindex rebuilds byFirst from the live patterns, dropping the entries of
// dead patterns and of patterns whose first key changed: byFirst never
// holds more than about twice as many entries as there are patterns.
func (m *Miner) reindex() {
	m.byFirst = make(map[tailKey][]*node, len(m.byFirst))
	m.indexed = 0
	m.spans = nil // rebuilt on use (miner_span.go)
	for _, n := range m.nodes {
		if k, ok := firstKey(n.tokens); ok {
			m.byFirst[k] = append(m.byFirst[k], n)
			m.indexed++
		}
		m.indexWild(n)
	}
}

// indexWild records the tail pattern n under its wildKey, if it has one.
// m.mu is held for writing.
func (m *Miner) indexWild(n *node) {
	if !n.tail {
		return
	}
	if k, ok := wildKey(n.tokens); ok {
		if m.byFirst == nil {
			m.byFirst = make(map[tailKey][]*node)
		}
		m.byFirst[k] = append(m.byFirst[k], n)
		m.indexed++
	}
}

// firstCands returns the live patterns indexed under key, pruning stale
// entries. m.mu is held for writing.
func (m *Miner) firstCands(key tailKey) []*node {
	g := m.byFirst[key]
	live := g[:0]
	for _, n := range g {
		if k, _ := firstKey(n.tokens); !n.dead.Load() && (k == key || key.first == wildFirst && n.tail && hasWildKey(n, key)) {
			live = append(live, n)
		}
	}
	clear(g[len(live):])
	m.indexed -= len(g) - len(live)
	if len(live) == 0 {
		delete(m.byFirst, key)
	} else {
		m.byFirst[key] = live
	}
	return live
}

// hasWildKey reports whether key is the wildKey of n.
func hasWildKey(n *node, key tailKey) bool {
	k, ok := wildKey(n.tokens)
	return ok && k == key
}

// coversTail reports whether the tail pattern n covers the template
// tokens toks: the prefix matches token by token, the rest joined by
// spaces matches n's last token, and the rest holds no token that names
// the event (see [tailFree]).
func (n *node) coversTail(toks []string) bool {
	p := len(n.tokens) - 1
	if len(toks) <= p {
		return false
	}
	for i := 0; i < p; i++ {
		if n.tokens[i] != toks[i] && !(n.wilds[i] && globMatch(n.tokens[i], toks[i])) {
			return false
		}
	}
	return tailFree(toks, p, !keyPrefix(n.tokens[:p])) && globMatch(n.tokens[p], strings.Join(toks[p:], " "))
}

// tailFree reports whether the tokens of toks from p on hold no token the
// normalizer kept as part of the event ([eventtok.Mark]) and the first of
// them is not an event word ([isEventWord]): the words that name the event
// lie in the shared prefix ("Started", "Resolved"); a tail that starts
// with one is another event ("worker started" is not "worker <*>").
func tailFree(toks []string, p int, first bool) bool {
	var evBuf [64]bool
	ev := markEvent(toks, evBuf[:])
	for i := p; i < len(toks); i++ {
		if ev[i] {
			return false
		}
	}
	return p < len(toks) && !(first && isEventWord(strings.Trim(toks[p], openingTail+closingTail)))
}

// matchTail returns the tail pattern that covers toks, or nil. m.mu is
// held for writing.
func (m *Miner) matchTail(toks []string) *node {
	k, ok := firstKey(toks)
	if !ok || m.tails == 0 {
		return nil
	}
	for _, c := range m.firstCands(k) {
		if c.tail && c.coversTail(toks) {
			return c
		}
	}
	if len(toks) >= 3 && !strings.Contains(toks[1], signature.Wildcard) {
		for _, c := range m.firstCands(tailKey{wildFirst, toks[1]}) {
			if c.tail && c.coversTail(toks) {
				return c
			}
		}
	}
	return nil
}

// openingTail and closingTail are the bytes a tail pattern keeps around
// its <*>: opening delimiters shared by the start of every tail, and
// closing punctuation shared by the end of every tail ('<' and '>' are
// left out, so that a kept run never cuts a <*>).
const (
	openingTail = "([{'\""
	closingTail = ")]}'\".,;:!?"
)

// tryTail handles a message that joins no pattern: when at least
// minVariants-1 patterns share with toks a prefix of P whole tokens (P is
// the longest prefix that many share, at least the tokens of firstKey)
// and the tails after it are free text of variable length, the oldest of
// those patterns becomes the tail pattern prefix + "<*>" (with the
// opening delimiters and closing punctuation all tails share, see
// [tailToken]) and absorbs the others and every pattern it now covers,
// and tryTail returns it. The tails are free text when:
//
//   - they have at least two different token counts (tails of one length
//     are mined position by position, as any message);
//   - they do not all end in the same token (then the difference lies in
//     the middle, as in "for root from <*>" and "for invalid user <*>
//     from <*>", which are different events);
//   - no tail holds a kept event token or starts with an event word
//     ([tailFree]);
//   - no variant was seen more often than there are variants (free text
//     rarely repeats; a variant that does is a recurring event);
//   - and either every tail is one delimited group ([grouped]: "Resolved
//     [<*>]", "CMD (<*>)") or one object dump ([dumps]: a name glued to a
//     parenthesis that closes at the tail's end, "is <*>" for "is
//     LeaderAndIsr(leader=2, ...)"; a tail that would start inside one
//     starts at its name, and the tails may end in the same last field),
//     or the prefix holds an event word, every tail
//     starts with a letter or digit and all end in the same closing
//     punctuation: a sentence whose verb takes free text as its object
//     ("Started <*>.", "Reached target <*>.", "Starting <*>...").
//
// A third case: the prefix ends a clause with a key ([keyPrefix]:
// "statement: <*>", "pull after error: <*>") and the tails are free text:
// two or more of three tokens or more ([longTail]), no two of one
// template ([unlikeTails]) and not all ending in a masked value
// ([labelRows]). There the tails may start with an event word and end in
// the same token (the words are the value's). A key followed by short
// values is not enough: the values of such a key are as often a small set
// of events (Loghub's Mac keeps "Wake reason: RTC (Alarm)" and "Wake
// reason: Host (0x01)" apart).
// Otherwise tryTail returns nil. m.mu is held for writing.
func (m *Miner) tryTail(toks, units []string) *node {
	k, ok := firstKey(toks)
	if !ok || m.cfg.minVariants < 2 {
		return nil
	}
	need := m.cfg.minVariants - 1
	cands := m.firstCands(k)
	if len(cands) < need {
		return nil
	}
	// The longest prefix P shared with toks by at least need patterns.
	var lcpBuf [32]int
	lcps := lcpBuf[:0]
	for _, c := range cands {
		lcps = append(lcps, sharedPrefix(c, toks))
	}
	P := kthLargest(lcps, need)
	if P < minPrefix(toks) {
		return nil
	}
	// A tail that would start inside an object dump starts at the dump:
	// the fields the variants share are part of the value.
	P = openDump(toks, P, minPrefix(toks))
	// The cheap conditions first: a group may follow any prefix, a
	// sentence's object only an event word.
	group := strings.IndexByte("([{", toks[P][0]) >= 0 || dumpStart(toks[P])
	key := keyPrefix(withUnits(toks[:P], units, P)) // a unit is a word of the sentence (miner_unit.go)
	if !group && !key && !eventPrefix(toks[:P]) {
		return nil
	}
	var fam []*node
	var prov *provisional
	twoLens, lastSame := false, true
	for i, c := range cands {
		if lcps[i] < P {
			continue
		}
		twoLens = twoLens || len(c.tokens) != len(toks)
		lastSame = lastSame && c.tokens[len(c.tokens)-1] == toks[len(toks)-1]
		fam = append(fam, c)
	}
	if !twoLens {
		return nil
	}
	// Free text rarely repeats: a variant seen more often than there are
	// variants is a recurring event of its own.
	for _, c := range fam {
		if c.count.Load() > uint64(len(fam)+1) {
			return nil
		}
	}
	tails := make([]string, 0, len(fam)+1)
	tails = append(tails, strings.Join(toks[P:], " "))
	for _, c := range fam {
		tails = append(tails, strings.Join(c.tokens[P:], " "))
	}
	// The value of a key is free text when some tail has three tokens or
	// more and no two tails are one template: then the words in it are
	// the value's, not the event's (after error: unauthorized: ...), and
	// a list may end in the same item.
	keyTail := key && longTail(tails) && unlikeTails(tails) && !labelRows(tails)
	// An object dump ends in its last field whatever it holds.
	dump := dumps(tails)
	if lastSame && !keyTail && !dump || !tailFree(toks, P, !keyTail) {
		return nil
	}
	for _, c := range fam {
		if !tailFree(c.tokens, P, !keyTail) {
			return nil
		}
	}
	last := tailToken(tails)
	if dump {
		last = signature.Wildcard // the object's name is part of the value
	}
	if !keyTail && !dump && !grouped(tails) {
		if !(eventPrefix(toks[:P]) && wordTails(tails) && !strings.HasSuffix(last, signature.Wildcard)) {
			return nil
		}
		// A sentence's object is free text only while no variant has
		// recurred: words after a verb that came back with identical
		// text name an event ("Starting TrustedInstaller
		// finalization."), as a log statement with a constant object
		// repeats it; free text (a unit's description) rarely repeats.
		for _, c := range fam {
			if c.count.Load() >= 2 && !valueObject(c.tokens, P) || c.settled {
				return nil
			}
		}
		// Free text until its variants recur (miner_recur.go).
		prov = m.provisionalOf(provObject, P, fam)
	}
	best := fam[0] // firstCands keeps creation order: the oldest
	folded := len(m.nodes)
	defer func() {
		// A tail that folded more than its family is final.
		if prov != nil && len(m.nodes)+len(fam)-1 == folded {
			best.prov.Store(prov)
		}
	}()
	for _, c := range fam[1:] {
		m.absorb(best, c)
	}
	m.ungroup(best)
	nt := make([]string, 0, P+1)
	nt = append(nt, toks[:P]...)
	for _, c := range fam {
		// The value pairs of the prefix (sharedPrefix) become variables.
		for i := range P {
			if c.tokens[i] != nt[i] {
				nt[i] = mergeToken(nt[i], c.tokens[i])
			}
		}
	}
	nt = append(nt, last)
	best.tail = true
	m.tails++
	best.setTokens(nt)
	// Fold the other patterns the new tail covers.
	for _, c := range m.firstCands(k) {
		if c != best && !c.tail && best.coversTail(c.tokens) {
			m.absorb(best, c)
		}
	}
	if _, ok := wildKey(best.tokens); ok {
		// A tail whose first token is a variable also covers the
		// patterns made before it under other first tokens ("(www-data)
		// CMD (php ...)" for "(<*>) CMD (<*>)"): fold them, as later
		// messages find it through its wildKey.
		m.indexWild(best)
		var fold []*node
		for _, c := range m.nodes {
			if c != best && !c.tail && !c.dead.Load() && best.coversTail(c.tokens) {
				fold = append(fold, c)
			}
		}
		for _, c := range fold {
			m.absorb(best, c)
		}
	}
	return best
}

// sharedPrefix returns the number of leading tokens of pattern c equal to
// those of toks, or a value pair with them ([valuePair]: the same key=,
// one quoted word, a name tagged with a masked id in the same brackets),
// less than both lengths (each keeps a tail of at least one token); 0 for
// a tail pattern. A value pair is shared because position by position it
// merges at two values anyway: a celery "Task <*>[<*>] raised
// unexpected: <*>" has both a task name and an exception as variables,
// and the tail is found only when the name does not split the prefix.
func sharedPrefix(c *node, toks []string) int {
	if c.tail {
		return 0
	}
	n := min(len(c.tokens), len(toks)) - 1
	p := 0
	for p < n && (c.tokens[p] == toks[p] || valuePair(c.tokens[p], toks[p])) {
		p++
	}
	return p
}

// kthLargest returns the k-th largest of xs (k ≥ 1), or 0 when xs has
// fewer than k values. It reorders xs' copy, not xs.
func kthLargest(xs []int, k int) int {
	if len(xs) < k {
		return 0
	}
	// Counting over the small range of prefix lengths.
	hi := 0
	for _, x := range xs {
		hi = max(hi, x)
	}
	for v := hi; v >= 0; v-- {
		n := 0
		for _, x := range xs {
			if x >= v {
				n++
			}
		}
		if n >= k {
			return v
		}
	}
	return 0
}

// tailToken returns the last token of a tail pattern over the tails: the
// longest run of opening delimiters all tails start with, <*>, and the
// longest run of closing punctuation they all end with ("[<*>]", "<*>.",
// "<*>...").
func tailToken(tails []string) string {
	pre := 0
	for pre < len(tails[0]) && strings.IndexByte(openingTail, tails[0][pre]) >= 0 {
		ok := true
		for _, t := range tails[1:] {
			if pre >= len(t) || t[pre] != tails[0][pre] {
				ok = false
				break
			}
		}
		if !ok {
			break
		}
		pre++
	}
	suf := 0
	for {
		t0 := tails[0]
		if suf >= len(t0)-pre || strings.IndexByte(closingTail, t0[len(t0)-1-suf]) < 0 {
			break
		}
		ok := true
		for _, t := range tails[1:] {
			if suf >= len(t)-pre || t[len(t)-1-suf] != t0[len(t0)-1-suf] {
				ok = false
				break
			}
		}
		if !ok {
			break
		}
		suf++
	}
	t0 := tails[0]
	return t0[:pre] + signature.Wildcard + t0[len(t0)-suf:]
}

// ungroup removes n from its group in m.groups. m.mu is held for writing.
func (m *Miner) ungroup(n *node) {
	k := m.keyOf(n.tokens, n.shape)
	g := m.groups[k]
	for i, x := range g {
		if x == n {
			m.groups[k] = append(g[:i], g[i+1:]...)
			break
		}
	}
	if len(m.groups[k]) == 0 {
		delete(m.groups, k)
	}
}

// grouped reports whether every tail is one delimited group: it opens
// with '(', '[' or '{' and that delimiter closes (counting nesting) at its
// end, before closing punctuation ("[org.example.Error: bad request]", "(run-parts
// /etc/cron.hourly)").
func grouped(tails []string) bool {
	for _, t := range tails {
		if t == "" {
			return false
		}
		var closer byte
		switch t[0] {
		case '(':
			closer = ')'
		case '[':
			closer = ']'
		case '{':
			closer = '}'
		default:
			return false
		}
		e := len(t)
		for e > 1 && t[e-1] != closer && strings.IndexByte(closingTail, t[e-1]) >= 0 {
			e--
		}
		if e < 2 || t[e-1] != closer {
			return false
		}
		// The opening delimiter must close at e-1, not before:
		// "[YELLOW] to [GREEN]" is two groups.
		depth := 0
		for i := 0; i < e; i++ {
			switch t[i] {
			case t[0]:
				depth++
			case closer:
				depth--
				if depth == 0 && i < e-1 {
					return false
				}
			}
		}
	}
	return true
}

// eventPrefix reports whether the prefix holds an event word.
func eventPrefix(prefix []string) bool {
	for _, t := range prefix {
		if isEventWord(t) {
			return true
		}
	}
	return false
}

// wordTails reports whether every tail starts with an ASCII letter or
// digit: the object of a sentence, not a delimited structure ("[YELLOW]
// to [GREEN] (reason: ...)" is structure, not free text).
func wordTails(tails []string) bool {
	for _, t := range tails {
		if t == "" {
			return false
		}
		c := t[0]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// keyPrefix reports whether the prefix ends a clause with a key: its last
// token is a constant word ending in ':' and an earlier token is a plain
// word (letters only, not itself a key), so the key follows a sentence
// ("duration: <*> ms statement:", "pull after error:"), not a chain of
// headers ("ARPT: <*>: wl0:"), which announces what follows as its value.
func keyPrefix(prefix []string) bool {
	if len(prefix) < 2 {
		return false
	}
	k := prefix[len(prefix)-1]
	if len(k) < 2 || k[len(k)-1] != ':' || strings.Contains(k, signature.Wildcard) {
		return false
	}
	for _, t := range prefix[:len(prefix)-1] {
		if plainWord(t) {
			return true
		}
	}
	return false
}

// plainWord reports whether t is made of ASCII letters only.
func plainWord(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return t != ""
}

// longTail reports whether two tails or more have three tokens or more:
// the value of a key is then free text (a statement, an error chain, a
// list), not one of a small set of one- or two-word values, which name
// events (Loghub's Mac keeps "Wake reason: RTC (Alarm)" and "Wake reason:
// ARPT (Network)" apart), nor a table of labels with one long row (BGL's
// "program interrupt: fp cr update....<*>" and "... illegal
// instruction...<*>").
func longTail(tails []string) bool {
	n := 0
	for _, t := range tails {
		if strings.Count(t, " ") >= 2 {
			n++
		}
	}
	return n >= 2
}

// labelRows reports whether every tail ends in a token that holds a <*>:
// the words before it label that value, as rows of a table of counters
// do (BGL's "program interrupt: fp cr update.............<*>"); the
// tails are then a closed set of labels, not free text.
func labelRows(tails []string) bool {
	for _, t := range tails {
		last := t[strings.LastIndexByte(t, ' ')+1:]
		if !strings.Contains(last, signature.Wildcard) {
			return false
		}
	}
	return true
}

// unlikeTails reports whether no two tails of the same token count have
// half their tokens or more in common, position by position: such tails
// are one template whose variables the position-by-position rules find
// ("IPV4 Addr: <*>" and "IPV6 Addr: <*>" after "MDNS:"), not free text.
func unlikeTails(tails []string) bool {
	for i, a := range tails {
		for _, b := range tails[:i] {
			if strings.Count(a, " ") != strings.Count(b, " ") {
				continue
			}
			ta, tb := strings.Split(a, " "), strings.Split(b, " ")
			eq := 0
			for k := range ta {
				if ta[k] == tb[k] {
					eq++
				}
			}
			if 2*eq >= len(ta) {
				return false
			}
		}
	}
	return true
}

// dumpStart reports whether t starts an object dump: a name (a letter,
// then letters, digits, '_', '.' or '$') glued to '(' (Kafka's
// LeaderAndIsr(leader=2, ...), a Scala or Java toString), and returns
// false for a group that opens the token itself.
func dumpStart(t string) bool {
	return dumpName(t) > 0
}

// dumpName returns the length of the name before the '(' that starts an
// object dump in t, or 0.
func dumpName(t string) int {
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '(':
			return i
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '.' || c == '$'):
		default:
			return 0
		}
	}
	return 0
}

// dumps reports whether every tail is an object dump whose parenthesis
// closes at the tail's end: the whole tail, name included, is one value
// ("is <*>"), as a delimited group is.
func dumps(tails []string) bool {
	for _, t := range tails {
		n := dumpName(t)
		if n == 0 || t[len(t)-1] != ')' || !grouped([]string{t[n:]}) {
			return false
		}
	}
	return true
}

// openDump returns the position of the token that starts an object dump
// ([dumpStart]) still open at position p of toks, when there is one at or
// after lo; p otherwise.
func openDump(toks []string, p, lo int) int {
	depth := 0
	for q := p - 1; q >= lo; q-- {
		t := toks[q]
		for i := len(t) - 1; i >= 0; i-- {
			switch t[i] {
			case ')':
				depth--
			case '(':
				depth++
			}
		}
		if depth > 0 && dumpStart(t) {
			return q
		}
	}
	return p
}

// markEvent returns, for each token, whether the normalizer kept it as part
// of the event ([eventtok.Mark]), in buf when it is long enough (no
// allocation for messages of up to len(buf) tokens).
func markEvent(toks []string, buf []bool) []bool {
	ev := buf[:0]
	if len(toks) <= len(buf) {
		ev = buf[:len(toks)]
	} else {
		ev = make([]bool, len(toks))
	}
	eventtok.Mark(toks, ev)
	return ev
}

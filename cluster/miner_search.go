// The search of a Miner: how a message finds its group and its closest
// pattern, and how patterns generalize and merge. Split from miner.go (issue
// 12) so that the Miner's API and the search read apart; no code changed.

package cluster

import (
	"math"
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/signature"
)

func (m *Miner) keyOf(toks []string, shape uint64) groupKey {
	k := groupKey{n: len(toks), shape: shape}
	if m.cfg.keyDepth >= 1 && len(toks) > 0 {
		k.first = keyToken(toks[0])
	}
	if m.cfg.keyDepth >= 2 && len(toks) > 1 && k.first != signature.Wildcard {
		k.second = keyToken(toks[1])
	}
	return k
}

func keyToken(t string) string {
	if strings.Contains(t, signature.Wildcard) {
		return signature.Wildcard
	}
	return t
}

// match finds the most similar pattern for toks and generalizes it; nil when
// none reaches the threshold. m.mu is held for writing.
func (m *Miner) match(toks []string, glue []bool) *node {
	if len(toks) == 0 {
		return nil
	}
	cands := m.groups[m.keyOf(toks, shapeOf(glue))]
	n := len(toks)
	// A message of n tokens may differ from a pattern in at most maxDiff
	// positions (not counting those the pattern's <*> covers). The keys
	// of a JSON object are not counted: they are equal in every candidate
	// (a key is an event token), and counting them would let an object
	// differ in twice as many of its values as a plain message of the
	// same words.
	need := m.cfg.similarity
	nv := n
	for i := 0; glue != nil && i < n; i++ {
		if jsonKey(toks, glue, i) {
			nv--
		}
	}
	baseDiff := nv - int(math.Ceil(need*float64(nv)-1e-9))
	// A short message may still differ in one position when the tokens
	// there both hold a <*> (the normalizer found a value glued to them,
	// as in "nginx:<*>" and "postgres:<*>") and a constant token is
	// equal, or when the pattern holds a constant event word elsewhere
	// (eventConst: "Proxy <*> started."), or when the position is the
	// last and every token before it is a constant (lastObject: "PING
	// DATABASE <*>"): the three-value rule below then decides. Without it a message of three tokens could never learn a
	// variable.
	maxDiff := max(baseDiff, 1)
	// Tokens kept as part of the event (eventtok.Mark) never merge with a
	// different token: a candidate that differs from the message in one
	// is another event, whatever its similarity.
	var evBuf [64]bool
	ev := markEvent(toks, evBuf[:])
	var best *node
	bestSim, bestEq := -1.0, -1
	for _, c := range cands {
		eq, wild, miss, eqConst, at := 0, 0, 0, 0, -1
		for i, t := range c.tokens {
			switch {
			case t == toks[i]:
				eq++
				if !c.wilds[i] {
					eqConst++
				}
			case c.wild(i) && globMatch(t, toks[i]):
				wild++
			case ev[i] || c.events[i]:
				miss = n + 1 // never this candidate
			case valueAt(t, toks[i], i):
				wild++ // a value position: the same key or quotes around another value
			default:
				miss++
				at = i
			}
			if miss > maxDiff {
				break
			}
		}
		if eq == 0 || miss > maxDiff {
			continue
		}
		if miss > baseDiff && (eqConst == 0 || !(strings.Contains(c.tokens[at], signature.Wildcard) && strings.Contains(toks[at], signature.Wildcard) || eventConst(c, at) || lastObject(c, at))) {
			continue
		}
		sim := float64(eq+wild) / float64(n)
		if sim > bestSim || (sim == bestSim && eq > bestEq) {
			best, bestSim, bestEq = c, sim, eq
		}
	}
	if best == nil {
		return nil
	}
	var diffBuf [16]int
	diff := diffBuf[:0]
	list := false
	for i, t := range best.tokens {
		if t == toks[i] {
			continue
		}
		if best.wild(i) && globMatch(t, toks[i]) {
			// A pattern's list of variables covers a longer list, and
			// then stands for a list of variable length.
			list = list || varList(t, toks[i]) != t
			continue
		}
		diff = append(diff, i)
	}
	if len(diff) == 0 {
		if list {
			for i, t := range best.tokens {
				best.tokens[i] = varList(t, toks[i])
			}
			best.setTokens(best.tokens)
		}
		return best
	}
	for _, i := range diff {
		if isEventWord(best.tokens[i]) || isEventWord(toks[i]) {
			// An event word never becomes a variable: the message is
			// another event.
			return nil
		}
	}
	values, consts := true, len(diff)
	for _, i := range diff {
		values = values && valueAt(best.tokens[i], toks[i], i)
		if listPair(best.tokens[i], toks[i]) {
			consts--
		}
	}
	if m.cfg.minVariants > 2 && !values {
		// A constant becomes a variable only once minVariants distinct
		// values were seen there: until then each value is its own pattern
		// (a family of patterns equal everywhere else).
		family := m.family(cands, best, toks, diff)
		// A list of variable length (listPair) is a value and needs no
		// variants: only the positions that would become variables
		// raise the count.
		if len(family)+2 < m.cfg.minVariants+consts-1 {
			return nil
		}
		// Values that each came back with identical text are a small set
		// of constants (boot, halt and wait of "<*> (command <*>) Error:
		// Timeout"), not a variable: the position waits for a value that
		// has not repeated yet.
		first := diff[0] == 0 && best.glue == nil
		if first && (repeated(best) && repeated(family...) || best.settled || anySettled(family)) {
			return nil
		}
		var prov *provisional
		if first {
			// Formed with the least evidence: split back if its values
			// all recur (miner_recur.go).
			prov = m.provisionalOf(provFirst, 0, append([]*node{best}, family...))
		}
		defer func() {
			if prov != nil && !best.dead.Load() {
				best.prov.Store(prov)
			}
		}()
		for _, c := range family {
			for i, t := range c.tokens {
				if t != best.tokens[i] {
					best.tokens[i] = mergeToken(best.tokens[i], t)
				}
			}
			m.absorb(best, c)
		}
	}
	for _, i := range diff {
		best.tokens[i] = mergeToken(best.tokens[i], toks[i])
	}
	best.setTokens(best.tokens)
	m.foldCovered(best, m.keyOf(toks, best.shape), diff)
	return best
}

// generalizeCovered handles a message that joins no pattern although its
// template toks holds a <*>: when toks covers live patterns of its group
// (see [coversTokens]), the oldest of them takes toks as its template and
// the others are folded into it, and generalizeCovered returns it.
// Otherwise it returns nil and the message starts a new pattern. Without
// this, a pattern mined before a covering one existed would keep the
// messages of its value while every other value joins the covering
// pattern: one event split in two by arrival order. m.mu is held for
// writing.
func (m *Miner) generalizeCovered(toks []string, glue []bool) *node {
	wild := false
	for _, t := range toks {
		if strings.Contains(t, signature.Wildcard) {
			wild = true
			break
		}
	}
	if !wild {
		return nil
	}
	k := m.keyOf(toks, shapeOf(glue))
	for _, c := range m.groups[k] { // creation order: the oldest first
		if !c.dead.Load() && coversTokens(toks, c.tokens, nil) {
			for i, t := range toks {
				if t != c.tokens[i] {
					toks[i] = varList(t, c.tokens[i])
				}
			}
			c.setTokens(toks)
			m.foldCovered(c, k, nil)
			return c
		}
	}
	return nil
}

// coversTokens reports whether the template tokens p cover the template
// tokens q: the same number of tokens, each token of q equal to that of p
// or matched by a token of p that holds a <*> (globMatch, reading the <*>
// of q as text, as match does), and at least one token of p without <*>
// (equal to that of q), as match needs one equal token to join a message
// to a pattern; a template made only of <*> thus covers nothing but
// itself. When at is not nil, tokens may differ only at the positions it
// lists (in increasing order), and where p holds a key with a variable
// value ([keyVariable]).
func coversTokens(p, q []string, at []int) bool {
	if len(p) != len(q) {
		return false
	}
	constant := false
	for i, t := range p {
		w := strings.Contains(t, signature.Wildcard)
		if t == q[i] {
			constant = constant || !w
			continue
		}
		if at != nil {
			for len(at) > 0 && at[0] < i {
				at = at[1:]
			}
			if (len(at) == 0 || at[0] != i) && !keyVariable(t, q[i]) {
				return false
			}
		}
		if !w || !globMatch(t, q[i]) {
			return false
		}
	}
	return constant
}

// eventConst reports whether pattern c holds, at a position other than
// at, a constant event word ([isEventWord], closing punctuation aside):
// a short message that says what happened ("Proxy http-in started.",
// "logrotate.service: Succeeded.") names in its other token who it
// happened to, which may vary; the three-value rule decides. The first
// token qualifies only as a subject label ([subjectLabel]): Loghub's
// labels keep "cupsd startup succeeded" and "syslogd startup succeeded",
// or "AppleActuatorDevice::start Entered", apart.
func eventConst(c *node, at int) bool {
	if at == 0 && !subjectLabel(c.tokens[0]) {
		return false
	}
	for i, t := range c.tokens {
		if i != at && !c.wilds[i] && isEventWord(strings.TrimRight(t, closingTail)) {
			return true
		}
	}
	return false
}

// subjectLabel reports whether t, a message's first token, labels the
// subject of the message: it ends in one ':' after a letter or digit
// ("logrotate.service:"; not "Class::method").
func subjectLabel(t string) bool {
	n := len(t)
	return n > 1 && t[n-1] == ':' && t[n-2] != ':'
}

// keyVariable reports whether p is a key whose whole value is a variable
// (user=<*>) and q is the same key with a value that is not kept as part
// of the event (eventtok.Kept): a value position the pattern learned from
// two values or more, which covers any further value, an event word too
// (user=reporting), as match's glob does for a message.
func keyVariable(p, q string) bool {
	k := eventtok.KeyLen(p)
	return k > 0 && p[k:] == signature.Wildcard && len(q) > k && q[:k] == p[:k] && !eventtok.Kept(q[k:])
}

// setTokens sets the tokens of n and derives its template, signature,
// wildcard mask and event-token mask (eventtok.Mark).
func (n *node) setTokens(toks []string) {
	n.prov.Store(nil) // a pattern that changes is final (miner_recur.go)
	n.tokens = toks
	n.fitUnits()
	n.template = joinTokens(n.rendered(toks), n.glue)
	n.sig = signature.OfTemplate(n.template)
	n.pub.Store(&nodeView{template: n.template, sig: n.sig})
	flags := make([]bool, 2*len(toks)) // one allocation for both masks
	n.wilds, n.events = flags[:len(toks):len(toks)], flags[len(toks):]
	for i, t := range toks {
		n.wilds[i] = strings.Contains(t, signature.Wildcard)
	}
	eventtok.Mark(toks, n.events)
	for i := range toks {
		// A JSON member's key names the field: messages with other
		// members are other events (jsonTokens).
		n.events[i] = n.events[i] || jsonKey(toks, n.glue, i)
	}
}

func (n *node) wild(i int) bool { return n.wilds[i] }

// family returns the patterns of cands other than best that equal best
// outside the positions in diff and differ from toks at every position in
// diff.
func (m *Miner) family(cands []*node, best *node, toks []string, diff []int) []*node {
	var fam []*node
	for _, c := range cands {
		if c == best || c.dead.Load() {
			continue
		}
		ok := true
		d := 0
		for i, t := range c.tokens {
			if d < len(diff) && diff[d] == i {
				d++
				if t == toks[i] {
					ok = false
					break
				}
				continue
			}
			// A list of another length is the same value (listPair).
			if t != best.tokens[i] && !listPair(t, best.tokens[i]) {
				ok = false
				break
			}
		}
		if ok {
			fam = append(fam, c)
		}
	}
	return fam
}

// repeated reports whether every pattern of ns was seen at least twice:
// a constant recurs with identical text, while a variable, such as a user
// or host name, keeps bringing values not seen before.
// anySettled reports whether a pattern of ns was split back from a
// provisional one.
func anySettled(ns []*node) bool {
	for _, n := range ns {
		if n.settled {
			return true
		}
	}
	return false
}

func repeated(ns ...*node) bool {
	for _, n := range ns {
		if n.count.Load() < 2 {
			return false
		}
	}
	return true
}

// absorb folds pattern o into n: counts add up, fast-path entries move, and o
// leaves its group.
func (m *Miner) absorb(n, o *node) {
	m.merge(n, o)
	m.ungroup(o)
	m.compact()
}

// foldCovered merges into n the other live patterns of its group k whose
// templates equal n's, or that n's template covers where it differs from
// them only at the positions changed (see [coversTokens]; nil: anywhere).
// n keeps its ID and example; their counts and fast-path entries move to n
// (see [Miner.merge]).
//
// match passes the positions it just generalized, so a pattern is folded
// when this generalization is what makes n cover it, as the family of
// match is: a pattern that differs from n at a position n held as <*>
// before stays apart, since n's <*> did not absorb it then (ground truth
// keeps "(<*>) CMD (run-parts <*>)" apart from "(<*>) CMD (<*> <*>)" in
// Loghub's Thunderbird), except at a key whose value n holds as <*>
// ([keyVariable]: user=<*> covers user=reporting, which waited as a verb
// form). generalizeCovered passes nil: there every <*> of
// n comes from the message itself. (With the default three variants, the
// patterns match makes n cover are those of its family, already absorbed:
// one equal to the message at a generalized position would have been
// the best match. The scan matters when the family rule is off.)
//
// Its cost is one scan of the group, as match already makes, and one scan
// of the fast-path table per folded pattern (a pattern is folded at most
// once). m.mu is held for writing.
func (m *Miner) foldCovered(n *node, k groupKey, changed []int) {
	g := m.groups[k]
	folded := false
	for i := 0; i < len(g); i++ {
		o := g[i]
		if o == n || (o.template != n.template && !coversTokens(n.tokens, o.tokens, changed)) {
			continue
		}
		m.merge(n, o)
		g = append(g[:i], g[i+1:]...)
		i--
		folded = true
	}
	m.groups[k] = g
	if folded {
		m.compact()
	}
}

// merge moves o's messages and fast-path entries to n and marks o dead.
// The order matters for concurrent hits on o (see [node.forward]): into,
// then dead, then the count.
func (m *Miner) merge(n, o *node) {
	o.into.Store(n)
	o.dead.Store(true)
	n.count.Add(o.count.Swap(0))
	m.known.Load().redirect(o, n)
	n.takeUnits(o.units) // rendered by the caller's setTokens or noteUnits
}

func (m *Miner) create(toks, units []string, glue []bool, msg string) *node {
	if len(m.nodes) >= m.cfg.maxPatterns {
		m.evict()
	}
	m.nextID++
	n := &node{id: m.nextID, glue: glue, shape: shapeOf(glue), units: units}
	n.setTokens(toks)
	if m.cfg.examples {
		n.example = strings.Clone(msg)
	}
	k := m.keyOf(toks, n.shape)
	m.groups[k] = append(m.groups[k], n)
	m.nodes = append(m.nodes, n)
	m.index(n)
	return n
}

// lastObject reports whether a short message may differ from pattern c in
// its last token at: the pattern has three tokens or more and every token
// before at is a constant. Such a message is a verb phrase and its object
// ("PING DATABASE postgres", msg="Starting provider *docker.Provider"):
// the constant words name the event, the object is what it acted on, and
// the three-value rule decides. The first token stays out of this rule
// (see eventConst: Loghub keeps "cupsd startup succeeded" per subject).
func lastObject(c *node, at int) bool {
	if at != len(c.tokens)-1 || at < 2 {
		return false
	}
	for i := range at {
		if c.wilds[i] {
			return false
		}
	}
	return true
}

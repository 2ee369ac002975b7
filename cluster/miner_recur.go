// Provisional variables of a Miner: a variable formed with the least
// evidence is split back when its values recur with identical text
// (issue 9).

package cluster

import (
	"slices"
	"strings"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// maxProvMembers bounds the templates a provisional pattern tracks: a
// position that took more distinct values than that is a variable, and
// the pattern is final.
const maxProvMembers = 8

// provRule is the rule that formed a provisional pattern; it decides when
// its members' repeats split it back.
type provRule uint8

const (
	// provFirst: the first token became a variable at three values
	// (match). Split when every member recurred: a variable such as a
	// user name recurs too, but it keeps bringing values seen once.
	provFirst provRule = iota + 1
	// provObject: a sentence's object became a free-text tail
	// (tryTail). Split when any member whose object is plain text (no
	// <*>: identical text, not a template of values) recurs: free text
	// rarely repeats.
	provObject
)

// provisional is what a provisional pattern keeps of the patterns it
// merged, to split back into them. Written under Miner.mu; the hit
// counters are read and added to without it.
type provisional struct {
	rule    provRule
	prefix  int // provObject: the tokens before the object
	members []*provMember
}

// provMember is one template of a provisional pattern.
type provMember struct {
	tokens  []string
	units   []string
	example string
	counts  bool          // its repeats are evidence (provObject: an object without <*>)
	hits    atomic.Uint64 // messages of this template, also counted on the fast path
}

// evidence reports whether the repeats of the template toks count
// toward splitting the pattern: a first token's values always, an object
// when it holds no <*>.
func (p *provisional) evidence(toks []string) bool {
	return p.rule != provObject || !valueObject(toks, p.prefix)
}

// valueObject reports whether toks from p on hold a <*> (then the object
// is a template of values, not identical text).
func valueObject(toks []string, p int) bool {
	for _, t := range toks[min(p, len(toks)):] {
		if strings.Contains(t, signature.Wildcard) {
			return true
		}
	}
	return false
}

// ready reports whether the repeats seen so far split the pattern.
func (p *provisional) ready() bool {
	if p.rule == provObject {
		for _, mb := range p.members {
			if mb.counts && mb.hits.Load() >= 2 {
				return true
			}
		}
		return false
	}
	if len(p.members) < 3 {
		return false
	}
	for _, mb := range p.members {
		if mb.hits.Load() < 2 {
			return false
		}
	}
	return true
}

// provisionalOf records the patterns ns, before their merge into ns[0],
// as the members of a provisional pattern of rule r, and points their
// fast-path entries at the members' counters. It returns nil when they
// are too many. m.mu is held for writing.
func (m *Miner) provisionalOf(r provRule, prefix int, ns []*node) *provisional {
	if len(ns)+1 > maxProvMembers {
		return nil
	}
	p := &provisional{rule: r, prefix: prefix}
	byNode := make(map[*node]*provMember, len(ns))
	for _, n := range ns {
		mb := &provMember{tokens: slices.Clone(n.tokens), units: slices.Clone(n.units), example: n.example, counts: p.evidence(n.tokens)}
		mb.hits.Store(n.count.Load())
		p.members = append(p.members, mb)
		byNode[n] = mb
	}
	t := m.known.Load()
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil && byNode[e.node] != nil {
			t.slots[i].Store(&knownEntry{sig: e.sig, node: e.node, hits: &byNode[e.node].hits})
		}
	}
	return p
}

// provMemberFor returns the member of n's provisional record for the
// template toks, adding it when it is new; nil when n is not provisional
// (any more: a member past maxProvMembers makes it final). m.mu is held
// for writing.
func (m *Miner) provMemberFor(n *node, toks, units []string, msg string) *provMember {
	p := n.prov.Load()
	if p == nil {
		return nil
	}
	for _, mb := range p.members {
		if slices.Equal(mb.tokens, toks) {
			return mb
		}
	}
	if len(p.members) >= maxProvMembers {
		n.prov.Store(nil)
		return nil
	}
	mb := &provMember{tokens: slices.Clone(toks), units: slices.Clone(units), counts: p.evidence(toks)}
	if m.cfg.examples {
		mb.example = strings.Clone(msg)
	}
	// A new record: the fast path reads members without the lock.
	n.prov.Store(&provisional{rule: p.rule, members: append(slices.Clip(p.members), mb)})
	return mb
}

// hitProvisional counts a message of a known template of a provisional
// pattern and splits the pattern back when its members' repeats show
// they are constants. It takes m.mu only then, once per pattern.
func (m *Miner) hitProvisional(e *knownEntry, sig signature.Sig) Pattern {
	p := hit(e.node)
	e.hits.Add(1)
	n := e.node
	for n.dead.Load() && n.into.Load() != nil {
		n = n.into.Load()
	}
	if pv := n.prov.Load(); pv == nil || !pv.ready() {
		return p
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.splitBack(n)
	return m.resolved(sig, p)
}

// resolved returns the pattern the fast-path entry of sig now points to,
// with its current count, or p when there is none. m.mu is held.
func (m *Miner) resolved(sig signature.Sig, p Pattern) Pattern {
	n := m.known.Load().lookup(sig)
	if n == nil {
		return p
	}
	for n.dead.Load() && n.into.Load() != nil {
		n = n.into.Load()
	}
	v := n.pub.Load()
	return Pattern{ID: n.id, Template: v.template, Signature: v.sig, Count: n.count.Load(), Example: n.example}
}

// splitBack turns the provisional pattern n back into one pattern per
// member: n takes the first member's template (it keeps its ID and
// example), each other member becomes a new pattern with the messages its
// counter holds, and the fast-path entries follow. The patterns are
// marked settled so that the same rule does not merge them again. A
// message counted concurrently on an old entry may stay in n: it is not
// lost. m.mu is held for writing.
func (m *Miner) splitBack(n *node) {
	p := n.prov.Load()
	if p == nil || n.dead.Load() || !p.ready() {
		return
	}
	n.prov.Store(nil)
	oldKey, _ := firstKey(n.tokens)
	if !n.tail {
		m.ungroup(n)
	}
	first := p.members[0]
	n.tail = false
	n.units = first.units
	n.setTokens(slices.Clone(first.tokens))
	n.settled = true
	k := m.keyOf(n.tokens, n.shape)
	m.groups[k] = append(m.groups[k], n)
	if key, ok := firstKey(n.tokens); ok && (key != oldKey || !slices.Contains(m.byFirst[key], n)) {
		m.index(n)
	}
	to := make(map[*atomic.Uint64]*node, len(p.members))
	to[&first.hits] = n
	for _, mb := range p.members[1:] {
		c := m.create(mb.tokens, mb.units, nil, mb.example)
		if n.dead.Load() { // evicted to make room
			return
		}
		c.settled = true
		if x := min(mb.hits.Load(), n.count.Load()); x > 0 {
			c.count.Add(x)
			n.count.Add(^(x - 1)) // n.count -= x
		}
		to[&mb.hits] = c
	}
	t := m.known.Load()
	for i := range t.slots {
		if e := t.slots[i].Load(); e != nil && e.hits != nil {
			if c := to[e.hits]; c != nil && !c.dead.Load() {
				t.slots[i].Store(&knownEntry{sig: e.sig, node: c})
			} else if c != nil {
				t.slots[i].Store(&knownEntry{sig: e.sig, node: n}) // its pattern was evicted meanwhile
			}
		}
	}
}

package cluster

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/srex-dev/lipservice-go/signature"
)

// Pattern is one mined template.
type Pattern struct {
	// ID identifies the pattern inside one Miner: 1 for the first pattern
	// created, 2 for the next, and so on. IDs are never reused, survive a
	// JSON snapshot, and stay the same when the template generalizes.
	ID uint64 `json:"id"`
	// Template is the message with every variable part replaced by <*>:
	// the signature.Normalize template, relabelled as the corrected Loghub
	// templates are written (a word glued to a <*>, a
	// boolean, null, and the user names root and admin are variables), with
	// the positions the miner found variable also replaced.
	Template string `json:"template"`
	// Signature is signature.OfTemplate(Template); it changes when the
	// template generalizes.
	Signature signature.Sig `json:"signature"`
	// Count is the number of messages added to the pattern.
	Count uint64 `json:"count"`
	// Example is the first message that created the pattern.
	Example string `json:"example,omitempty"`
}

// Miner mines templates online, in the Drain family (He et al., "Drain: An
// Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017): a message is
// normalized by package signature, split into tokens, and compared with all
// the patterns that have the same number of tokens (unlike Drain, the first
// tokens do not select a subtree: they are often variables that masking
// missed). When the best of them shares at least the similarity threshold of
// its tokens (see [WithSimilarity]), the positions that differ become <*> (or
// key=<*>, (<*>), ... when the differing tokens share a delimited prefix or
// suffix) and the message joins it, with one exception: a position that is a
// constant in the pattern becomes a variable only once three distinct values
// were seen there. Until then each value keeps its own pattern, so a two-value
// field such as 'Active'/'Inactive' or opened/closed stays part of the
// template. A value position (the same key=, or one quoted word; see the
// package doc) needs two values only. Otherwise the message starts a new
// pattern, or a tail pattern whose last <*> stands for one or more tokens
// (see the package doc and tryTail). This merges the
// variables that masking cannot see, such as user and host names. An event
// word (an HTTP method, or a state or outcome verb form such as started,
// paused or failed; see isEventWord) never becomes a variable, however many
// values are seen: a message that differs from a pattern in one starts a
// pattern of its own. Neither does a token the normalizer kept as part of
// the event (an HTTP status, a request line's method and route; see the
// package doc): a pattern that differs from the message in one is not a
// candidate at all.
//
// A pattern is not left apart just because it came before a pattern
// that covers it: when a message joins no pattern but its template covers
// older ones (their
// tokens are equal to the message's or matched by a <*> of it, and the
// message keeps at least one constant token), the oldest of them takes the
// message's template and the others are folded into it (their counts and
// known templates move to it), instead of the message starting a pattern
// that would take every later value while the older ones keep theirs
// ("node-D1 has detected ..." then "<*> has detected ..."). Likewise, when
// a pattern generalizes, the patterns that it now covers because of the
// positions that just became variables are folded into it. A pattern that
// it covers only through a <*> it had before stays apart. The pattern that
// generalizes keeps its ID and example; the IDs of folded patterns are not
// reused.
//
// A message whose normalized template was seen before is matched without a
// lock and without allocating (except the message that splits a
// provisional variable back, see the package doc, which takes the lock
// once): its signature ([signature.Of], which hashes the
// template while building it and does not store it) is looked up in a
// lock-free table of known templates. Two templates with the same 64-bit
// signature count as one (see [signature.Sig]); only a message whose
// signature is new is normalized into a buffer and mined under the lock.
//
// Memory is bounded: a Miner holds at most [WithMaxPatterns] patterns (default
// 10000) and remembers at most 4× that many normalized templates for the fast
// path. When a new pattern is needed and the table is full, the eighth of the
// patterns with the lowest counts (ties: the oldest) is evicted in one sweep,
// so a stream of unique messages keeps the frequent patterns and churns the
// rare ones; Pattern IDs of evicted patterns are not reused. The index of
// patterns by first token that tail patterns use holds at most about twice
// as many entries as there are patterns (stale ones are pruned on use, and
// it is rebuilt past that and on eviction). A message added
// concurrently with the eviction of its pattern is counted in the evicted
// pattern and so lost; a message added concurrently with the merge of its
// pattern into another is moved to the surviving pattern and not lost.
// Messages longer than [signature.MaxMessageBytes] are read up to that size.
//
// A Miner is safe for concurrent use. The zero value is not usable; call
// [NewMiner].
type Miner struct {
	cfg minerConfig

	known atomic.Pointer[knownTable] // normalized template → pattern (fast path, read without mu)

	mu     sync.RWMutex         // guards what follows and writes to known
	groups map[groupKey][]*node // candidate patterns by token count
	nodes  []*node              // all live patterns, in creation order
	nextID uint64
	// byFirst indexes patterns by their first token (see firstKey), for
	// tail patterns, and tail patterns whose first token holds a <*> by
	// their second too (wildKey); stale entries are pruned on use and by
	// reindex.
	byFirst map[tailKey][]*node
	indexed int        // entries in byFirst
	tails   int        // tail patterns ever made (0: skip the tail lookup)
	spans   *spanIndex // patterns by their words, for span merges (miner_span.go); nil: built on use
	evicts  atomic.Uint64
}

type groupKey struct {
	n      int
	first  string
	second string
	shape  uint64 // shapeOf the glue of a JSON object's tokens; 0 otherwise
}

// node is one pattern. id and example never change; count, pub, dead and
// into are read without Miner.mu by the fast path; the other fields are
// guarded by Miner.mu.
type node struct {
	id       uint64
	example  string
	count    atomic.Uint64
	pub      atomic.Pointer[nodeView] // template and signature, for the fast path
	dead     atomic.Bool              // evicted, or merged into another node
	into     atomic.Pointer[node]     // the node it was merged into, if any
	tokens   []string
	wilds    []bool // wilds[i]: tokens[i] contains <*>
	events   []bool // events[i]: tokens[i] was kept by the normalizer as part of the event (eventtok.Mark)
	template string
	sig      signature.Sig
	tail     bool                        // the last token stands for one or more tokens (miner_tail.go)
	glue     []bool                      // a JSON object's tokens: glue[i], no space after tokens[i] (jsonTokens); nil otherwise
	shape    uint64                      // shapeOf(glue)
	units    []string                    // per position, the unit after its variable (miner_unit.go); nil: none
	prov     atomic.Pointer[provisional] // the patterns a provisional variable merged (miner_recur.go); nil: final
	settled  bool                        // split back from a provisional pattern: its rule does not merge it again
	spanAt   uint64                      // the spanIndex key it was last indexed under; 0: none (miner_span.go)
}

// nodeView is the immutable published form of a node's template.
type nodeView struct {
	template string
	sig      signature.Sig
}

// MinerOption configures a [Miner].
type MinerOption interface{ apply(*minerConfig) }

type minerConfig struct {
	maxPatterns int
	similarity  float64
	examples    bool
	keyDepth    int
	minVariants int
}

type minerOptionFunc func(*minerConfig)

func (f minerOptionFunc) apply(c *minerConfig) { f(c) }

// DefaultMaxPatterns is the default cap on the number of patterns of a Miner.
const DefaultMaxPatterns = 10000

// DefaultSimilarity is the default similarity threshold of a Miner.
const DefaultSimilarity = 0.7

// WithMaxPatterns caps the number of patterns a Miner holds. The default is
// [DefaultMaxPatterns]; zero or a negative value means the default. Values
// below 8 are raised to 8.
func WithMaxPatterns(n int) MinerOption {
	return minerOptionFunc(func(c *minerConfig) {
		if n > 0 {
			c.maxPatterns = max(n, 8)
		}
	})
}

// WithSimilarity sets the similarity threshold: the share of token positions
// (0 to 1) that must be equal, or covered by a <*> of the pattern, for a
// message to join a pattern. The default is [DefaultSimilarity]; values
// outside (0, 1] mean the default.
func WithSimilarity(st float64) MinerOption {
	return minerOptionFunc(func(c *minerConfig) {
		if st > 0 && st <= 1 {
			c.similarity = st
		}
	})
}

// WithExamples sets whether each pattern keeps the first message that
// created it as [Pattern.Example]. The default is true.
func WithExamples(keep bool) MinerOption {
	return minerOptionFunc(func(c *minerConfig) { c.examples = keep })
}

// NewMiner returns an empty Miner.
func NewMiner(opts ...MinerOption) *Miner {
	cfg := minerConfig{maxPatterns: DefaultMaxPatterns, similarity: DefaultSimilarity, examples: true, minVariants: 3}
	for _, o := range opts {
		o.apply(&cfg)
	}
	m := &Miner{
		cfg:    cfg,
		groups: make(map[groupKey][]*node),
	}
	m.known.Store(newKnownTable(0))
	return m
}

// normBufPool holds template buffers for Add and Match.
var normBufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// Add mines msg and returns the pattern it belongs to, with its count after
// this message. It does not allocate and takes no lock when msg's normalized
// template has been seen before (but for the one message that splits a
// provisional variable back). Add can be called concurrently.
func (m *Miner) Add(msg string) Pattern {
	sig := signature.Of(msg)
	if e := m.known.Load().lookupEntry(sig); e != nil {
		if e.hits != nil {
			return m.hitProvisional(e, sig)
		}
		return hit(e.node)
	}
	bp := normBufPool.Get().(*[]byte)
	b := signature.AppendNormalize((*bp)[:0], msg)
	p := m.addNew(b, sig, msg)
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		normBufPool.Put(bp)
	}
	return p
}

// AddTemplate is Add for a message that is already normalized (the output of
// signature.Normalize).
func (m *Miner) AddTemplate(template string) Pattern {
	sig := signature.OfTemplate(template)
	if e := m.known.Load().lookupEntry(sig); e != nil {
		if e.hits != nil {
			return m.hitProvisional(e, sig)
		}
		return hit(e.node)
	}
	return m.addNew([]byte(template), sig, template)
}

// addNew mines the template b (signature sig) of msg, which was not in the
// fast-path table a moment ago.
func (m *Miner) addNew(b []byte, sig signature.Sig, msg string) Pattern {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.known.Load().lookup(sig); n != nil {
		return hit(n) // its provisional counter, if any, misses this one
	}
	tmpl := string(b)
	toks, glue := tokenize(tmpl)
	labelTokens(toks)
	toks, units := splitUnits(toks, glue)
	var n *node
	if glue == nil { // tail patterns are free text of plain messages
		n = m.matchTail(toks)
	}
	if n == nil {
		n = m.match(toks, glue)
	}
	if n == nil {
		n = m.generalizeCovered(toks, glue)
	}
	if n == nil && glue == nil {
		n = m.tryTail(toks, units)
	}
	if n == nil && glue == nil {
		n, units = m.matchSpan(toks, units)
	}
	if n == nil {
		n = m.create(toks, units, glue, msg)
	} else {
		m.noteUnits(n, units)
	}
	m.spanNote(n)
	if mb := m.provMemberFor(n, toks, units, msg); mb != nil {
		m.remember(&knownEntry{sig: sig, node: n, hits: &mb.hits})
		n.count.Add(1)
		mb.hits.Add(1)
		m.splitBack(n) // when the repeats are in
		return m.resolved(sig, n.pattern())
	}
	m.remember(&knownEntry{sig: sig, node: n})
	c := n.count.Add(1)
	return Pattern{ID: n.id, Template: n.template, Signature: n.sig, Count: c, Example: n.example}
}

// hit counts one more message of pattern n, found without holding m.mu, and
// returns the pattern. When n has been merged into another pattern
// meanwhile, the count moves there (see [node.forward]).
func hit(n *node) Pattern {
	c := n.count.Add(1)
	if n.dead.Load() {
		n, c = n.forward()
	}
	v := n.pub.Load()
	return Pattern{ID: n.id, Template: v.template, Signature: v.sig, Count: c, Example: n.example}
}

// forward moves the count of a node that was merged into another to the
// node that now holds its messages, following merges, and returns that node
// and its count. An evicted node has nowhere to go: its count is lost.
//
// It cannot lose a message: the merge marks the node dead before it takes
// the node's count with Swap, and a message counted in a dead node is moved
// by whoever swaps it out first, the merge or this function.
func (n *node) forward() (*node, uint64) {
	c := n.count.Load()
	for n.dead.Load() {
		to := n.into.Load()
		if to == nil {
			break
		}
		if x := n.count.Swap(0); x > 0 {
			c = to.count.Add(x)
		} else {
			c = to.count.Load()
		}
		n = to
	}
	return n, c
}

// remember adds e to the fast-path table, growing it as needed, unless the
// table is at its cap of 4 × maxPatterns entries. m.mu is held.
func (m *Miner) remember(e *knownEntry) {
	t := m.known.Load()
	if t.n >= 4*m.cfg.maxPatterns {
		return
	}
	if t.insert(e) {
		t = t.rebuilt(2*len(t.slots), func(*knownEntry) bool { return true })
		t.insert(e)
		m.known.Store(t)
	}
}

// Match returns the pattern msg belongs to without changing the Miner: the
// pattern its normalized template was added to (patterns merged since then
// are followed), or else the pattern whose template covers it. ok is false
// when no pattern covers msg. Mining a corpus with Add and then calling Match
// for each line gives every line its final template. Match does not allocate
// for a template that was added before.
func (m *Miner) Match(msg string) (p Pattern, ok bool) {
	if n := m.known.Load().lookup(signature.Of(msg)); n != nil {
		for n.dead.Load() && n.into.Load() != nil {
			n = n.into.Load()
		}
		v := n.pub.Load()
		return Pattern{ID: n.id, Template: v.template, Signature: v.sig, Count: n.count.Load(), Example: n.example}, true
	}
	bp := normBufPool.Get().(*[]byte)
	b := signature.AppendNormalize((*bp)[:0], msg)
	m.mu.RLock()
	if n := m.cover(b); n != nil {
		p, ok = n.pattern(), true
	}
	m.mu.RUnlock()
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		normBufPool.Put(bp)
	}
	return p, ok
}

// cover returns a pattern whose template covers the template b, or nil.
// m.mu is held.
func (m *Miner) cover(b []byte) *node {
	toks, glue := tokenize(string(b))
	labelTokens(toks)
	toks, _ = splitUnits(toks, glue)
	for _, c := range m.groups[m.keyOf(toks, shapeOf(glue))] {
		ok := true
		for i, t := range c.tokens {
			if t != toks[i] && !(c.wild(i) && globMatch(t, toks[i])) {
				ok = false
				break
			}
		}
		if ok {
			return c
		}
	}
	if k, ok := firstKey(toks); ok && m.tails > 0 && glue == nil {
		for _, c := range m.byFirst[k] {
			if c.tail && !c.dead.Load() && c.coversTail(toks) {
				return c
			}
		}
		if len(toks) >= 3 && !strings.Contains(toks[1], signature.Wildcard) {
			for _, c := range m.byFirst[tailKey{wildFirst, toks[1]}] {
				if c.tail && !c.dead.Load() && c.coversTail(toks) {
					return c
				}
			}
		}
	}
	if glue == nil {
		return m.spanCover(toks) // a pattern of another token count (miner_span.go)
	}
	return nil
}

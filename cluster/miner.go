package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
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
// template. Otherwise the message starts a new pattern. This merges the
// variables that masking cannot see, such as user and host names. An event
// word (an HTTP method, or a state or outcome verb form such as started,
// paused or failed; see isEventWord) never becomes a variable, however many
// values are seen: a message that differs from a pattern in one starts a
// pattern of its own.
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
// lock and without allocating: its signature ([signature.Of], which hashes the
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
// rare ones; Pattern IDs of evicted patterns are not reused. A message added
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
	evicts atomic.Uint64
}

type groupKey struct {
	n      int
	first  string
	second string
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
	template string
	sig      signature.Sig
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
// template has been seen before. Add can be called concurrently.
func (m *Miner) Add(msg string) Pattern {
	sig := signature.Of(msg)
	if n := m.known.Load().lookup(sig); n != nil {
		return hit(n)
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
	if n := m.known.Load().lookup(sig); n != nil {
		return hit(n)
	}
	return m.addNew([]byte(template), sig, template)
}

// addNew mines the template b (signature sig) of msg, which was not in the
// fast-path table a moment ago.
func (m *Miner) addNew(b []byte, sig signature.Sig, msg string) Pattern {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := m.known.Load().lookup(sig); n != nil {
		return hit(n)
	}
	tmpl := string(b)
	toks := splitTokens(tmpl)
	labelTokens(toks)
	n := m.match(toks)
	if n == nil {
		n = m.generalizeCovered(toks)
	}
	if n == nil {
		n = m.create(tmpl, toks, msg)
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
	toks := splitTokens(string(b))
	labelTokens(toks)
	for _, c := range m.groups[m.keyOf(toks)] {
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
	return nil
}

func (m *Miner) keyOf(toks []string) groupKey {
	k := groupKey{n: len(toks)}
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
func (m *Miner) match(toks []string) *node {
	if len(toks) == 0 {
		return nil
	}
	cands := m.groups[m.keyOf(toks)]
	n := len(toks)
	// A message of n tokens may differ from a pattern in at most maxDiff
	// positions (not counting those the pattern's <*> covers).
	need := m.cfg.similarity
	maxDiff := n - int(math.Ceil(need*float64(n)-1e-9))
	var best *node
	bestSim, bestEq := -1.0, -1
	for _, c := range cands {
		eq, wild, miss := 0, 0, 0
		for i, t := range c.tokens {
			switch {
			case t == toks[i]:
				eq++
			case c.wild(i) && globMatch(t, toks[i]):
				wild++
			default:
				miss++
			}
			if miss > maxDiff {
				break
			}
		}
		if eq == 0 || miss > maxDiff {
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
	for i, t := range best.tokens {
		if t == toks[i] || (best.wild(i) && globMatch(t, toks[i])) {
			continue
		}
		diff = append(diff, i)
	}
	if len(diff) == 0 {
		return best
	}
	for _, i := range diff {
		if isEventWord(best.tokens[i]) || isEventWord(toks[i]) {
			// An event word never becomes a variable: the message is
			// another event.
			return nil
		}
	}
	if m.cfg.minVariants > 2 {
		// A constant becomes a variable only once minVariants distinct
		// values were seen there: until then each value is its own pattern
		// (a family of patterns equal everywhere else).
		family := m.family(cands, best, toks, diff)
		if len(family)+2 < m.cfg.minVariants+len(diff)-1 {
			return nil
		}
		for _, c := range family {
			for _, i := range diff {
				best.tokens[i] = mergeToken(best.tokens[i], c.tokens[i])
			}
			m.absorb(best, c)
		}
	}
	for _, i := range diff {
		best.tokens[i] = mergeToken(best.tokens[i], toks[i])
	}
	best.setTokens(best.tokens)
	m.foldCovered(best, m.keyOf(toks), diff)
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
func (m *Miner) generalizeCovered(toks []string) *node {
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
	k := m.keyOf(toks)
	for _, c := range m.groups[k] { // creation order: the oldest first
		if !c.dead.Load() && coversTokens(toks, c.tokens, nil) {
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
// lists (in increasing order).
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
			if len(at) == 0 || at[0] != i {
				return false
			}
		}
		if !w || !globMatch(t, q[i]) {
			return false
		}
	}
	return constant
}

// setTokens sets the tokens of n and derives its template, signature and
// wildcard mask.
func (n *node) setTokens(toks []string) {
	n.tokens = toks
	n.template = strings.Join(toks, " ")
	n.sig = signature.OfTemplate(n.template)
	n.pub.Store(&nodeView{template: n.template, sig: n.sig})
	n.wilds = make([]bool, len(toks))
	for i, t := range toks {
		n.wilds[i] = strings.Contains(t, signature.Wildcard)
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
			if t != best.tokens[i] {
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

// absorb folds pattern o into n: counts add up, fast-path entries move, and o
// leaves its group.
func (m *Miner) absorb(n, o *node) {
	m.merge(n, o)
	k := m.keyOf(o.tokens)
	g := m.groups[k]
	for i, x := range g {
		if x == o {
			m.groups[k] = append(g[:i], g[i+1:]...)
			break
		}
	}
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
// Loghub's Thunderbird). generalizeCovered passes nil: there every <*> of
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
}

func (m *Miner) create(tmpl string, toks []string, msg string) *node {
	if len(m.nodes) >= m.cfg.maxPatterns {
		m.evict()
	}
	m.nextID++
	n := &node{id: m.nextID}
	n.setTokens(toks)
	if m.cfg.examples {
		n.example = strings.Clone(msg)
	}
	k := m.keyOf(toks)
	m.groups[k] = append(m.groups[k], n)
	m.nodes = append(m.nodes, n)
	return n
}

// evict removes the eighth of the patterns with the lowest counts (ties: the
// oldest) and the fast-path entries that point to them.
func (m *Miner) evict() {
	order := make([]*node, len(m.nodes))
	copy(order, m.nodes)
	sort.SliceStable(order, func(i, j int) bool { return order[i].count.Load() < order[j].count.Load() })
	drop := max(len(order)/8, 1)
	for _, n := range order[:drop] {
		n.dead.Store(true)
	}
	t := m.known.Load()
	m.known.Store(t.rebuilt(0, func(e *knownEntry) bool { return !e.node.dead.Load() }))
	for k, g := range m.groups {
		live := g[:0]
		for _, n := range g {
			if !n.dead.Load() {
				live = append(live, n)
			}
		}
		if len(live) == 0 {
			delete(m.groups, k)
		} else {
			m.groups[k] = live
		}
	}
	m.compact()
	m.evicts.Add(uint64(drop))
}

func (m *Miner) compact() {
	live := m.nodes[:0]
	for _, n := range m.nodes {
		if !n.dead.Load() {
			live = append(live, n)
		}
	}
	clear(m.nodes[len(live):])
	m.nodes = live
}

// Len returns the number of patterns the Miner holds.
func (m *Miner) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.nodes)
}

// Evicted returns the number of patterns evicted so far to respect the cap.
func (m *Miner) Evicted() uint64 { return m.evicts.Load() }

// Pattern returns the pattern with the given ID and whether it exists (it
// may have been evicted).
func (m *Miner) Pattern(id uint64) (Pattern, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	i := sort.Search(len(m.nodes), func(i int) bool { return m.nodes[i].id >= id })
	if i < len(m.nodes) && m.nodes[i].id == id {
		return m.nodes[i].pattern(), true
	}
	return Pattern{}, false
}

// Patterns returns a snapshot of all patterns, by count (highest first) and
// then by ID. The caller owns the slice.
func (m *Miner) Patterns() []Pattern {
	m.mu.RLock()
	ps := make([]Pattern, len(m.nodes))
	for i, n := range m.nodes {
		ps[i] = n.pattern()
	}
	m.mu.RUnlock()
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Count > ps[j].Count })
	return ps
}

func (n *node) pattern() Pattern {
	return Pattern{ID: n.id, Template: n.template, Signature: n.sig, Count: n.count.Load(), Example: n.example}
}

// snapshot is the JSON form of a Miner.
type snapshot struct {
	Version  int       `json:"version"`
	NextID   uint64    `json:"next_id"`
	Patterns []Pattern `json:"patterns"`
}

// ErrSnapshot is returned by [Miner.UnmarshalJSON] for a snapshot it cannot
// restore.
var ErrSnapshot = errors.New("cluster: invalid miner snapshot")

// MarshalJSON returns a snapshot of the Miner's patterns:
//
//	{"version":1,"next_id":N,"patterns":[{"id":..,"template":..,"signature":..,"count":..,"example":..}, ...]}
//
// Patterns are in ID order. The fast-path table is not saved; it refills as
// messages arrive.
func (m *Miner) MarshalJSON() ([]byte, error) {
	m.mu.RLock()
	s := snapshot{Version: 1, NextID: m.nextID, Patterns: make([]Pattern, len(m.nodes))}
	for i, n := range m.nodes {
		s.Patterns[i] = n.pattern()
	}
	m.mu.RUnlock()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON replaces the Miner's patterns with those of a snapshot
// written by [Miner.MarshalJSON]. The Miner's options are kept; when the
// snapshot holds more patterns than the cap, the ones with the lowest counts
// are dropped. It returns an error wrapping [ErrSnapshot] for a snapshot of
// another version or with duplicate or zero IDs, and leaves the Miner
// unchanged on error.
func (m *Miner) UnmarshalJSON(data []byte) error {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	if s.Version != 1 {
		return fmt.Errorf("%w: version %d", ErrSnapshot, s.Version)
	}
	ps := s.Patterns
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	for i, p := range ps {
		if p.ID == 0 || (i > 0 && ps[i-1].ID == p.ID) {
			return fmt.Errorf("%w: duplicate or zero id %d", ErrSnapshot, p.ID)
		}
	}
	if len(ps) > m.cfg.maxPatterns {
		byCount := append([]Pattern(nil), ps...)
		sort.SliceStable(byCount, func(i, j int) bool { return byCount[i].Count > byCount[j].Count })
		byCount = byCount[:m.cfg.maxPatterns]
		sort.Slice(byCount, func(i, j int) bool { return byCount[i].ID < byCount[j].ID })
		ps = byCount
	}
	known := newKnownTable(2 * len(ps))
	groups := make(map[groupKey][]*node)
	nodes := make([]*node, 0, len(ps))
	next := s.NextID
	for _, p := range ps {
		toks := splitTokens(p.Template)
		n := &node{id: p.ID, example: p.Example}
		n.setTokens(toks)
		n.count.Store(p.Count)
		known.insert(&knownEntry{sig: n.sig, node: n})
		k := m.keyOf(toks)
		groups[k] = append(groups[k], n)
		nodes = append(nodes, n)
		next = max(next, p.ID)
	}
	m.mu.Lock()
	m.known.Store(known)
	m.groups, m.nodes, m.nextID = groups, nodes, next
	m.mu.Unlock()
	return nil
}

// splitTokens splits a template at single spaces (templates never hold other
// whitespace). The tokens share the template's memory.
func splitTokens(t string) []string {
	if t == "" {
		return nil
	}
	n := strings.Count(t, " ") + 1
	toks := make([]string, 0, n)
	for {
		i := strings.IndexByte(t, ' ')
		if i < 0 {
			if t != "" {
				toks = append(toks, t)
			}
			return toks
		}
		if i > 0 {
			toks = append(toks, t[:i])
		}
		t = t[i+1:]
	}
}

// globMatch reports whether s matches pattern p in which every <*> stands for
// any string.
func globMatch(p, s string) bool {
	i := strings.Index(p, signature.Wildcard)
	if i < 0 {
		return p == s
	}
	if !strings.HasPrefix(s, p[:i]) {
		return false
	}
	s = s[i:]
	rest := p[i+len(signature.Wildcard):]
	if rest == "" {
		return true
	}
	for k := 0; k <= len(s); k++ {
		if globMatch(rest, s[k:]) {
			return true
		}
	}
	return false
}

// mergeDelims are the bytes at which two differing tokens may share a
// prefix or suffix that is kept around the <*>.
const mergeDelims = "=:([{<'\"@#/,"

// mergeToken generalizes template token a so that it also covers b: the
// longest common prefix ending in a delimiter and the longest common suffix
// starting with one are kept around a single <*>. A kept prefix or suffix
// never ends or starts inside a <*> of a (whose '<' and '>' are
// delimiters too): merging "(<*>" with itself gave "(<<*>>", which covers
// neither (FuzzMiner).
func mergeToken(a, b string) string {
	if a == b {
		return a
	}
	if a == signature.Wildcard || b == signature.Wildcard {
		return signature.Wildcard
	}
	lim := min(len(a), len(b))
	p := 0
	for p < lim && a[p] == b[p] {
		p++
	}
	for p > 0 && (!strings.ContainsRune(mergeDelims, rune(a[p-1])) || strings.HasPrefix(a[p-1:], signature.Wildcard)) {
		p--
	}
	s := 0
	for s < lim-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && (!strings.ContainsRune(mergeDelims+")]}>", rune(a[len(a)-s])) || strings.HasSuffix(a[:len(a)-s+1], signature.Wildcard)) {
		s--
	}
	if p == 0 && s == 0 {
		return signature.Wildcard
	}
	out := a[:p] + signature.Wildcard + a[len(a)-s:]
	for strings.Contains(out, "<*><*>") {
		out = strings.ReplaceAll(out, "<*><*>", signature.Wildcard)
	}
	return out
}

package pattern

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/internal/fnv"
	"github.com/srex-dev/lipservice-go/signature"
)

// DefaultMaxPatterns is the number of patterns a [Miner] holds when
// [WithMaxPatterns] is not given: the sampler's default table size.
const DefaultMaxPatterns = 4096

// MinWordValues is the number of distinct plain words a position must take,
// in one otherwise identical context, before the miner treats it as a
// variable. Enumerations in logs are small closed sets that name different
// events (a lifecycle state: started, stopped, paused, resumed; a level; an
// HTTP method: GET, POST, PUT, DELETE), while names are open sets; five is
// above the common closed sets of up to four values and low enough that an
// open set of names costs at most four extra pattern IDs before it merges.
const MinWordValues = 5

const (
	// maxTokens and maxTemplateBytes bound the templates the miner mines;
	// longer ones keep their signature as pattern ID.
	maxTokens        = 64
	maxTemplateBytes = 2048
	// maxCandidates bounds each index list (see Miner.best).
	maxCandidates = 16
	// minSimilarity is Drain's similarity threshold.
	minSimilarity = 0.5
)

// Option configures a [Miner] built by [New].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct{ maxPatterns int }

// WithMaxPatterns sets the number of patterns the miner holds (see the
// package doc for the eviction rule). The default, and what zero or a
// negative value means, is [DefaultMaxPatterns]; values below 16 mean 16.
// Memory is 96 bytes per pattern plus its template and tokens (24 bytes
// per token), 64 bytes per pattern for the placement table and 32 for the
// origin table (see [Miner.Origin]), all but the templates and tokens
// allocated by New (see the package doc, Memory).
func WithMaxPatterns(n int) Option {
	return optionFunc(func(c *config) { c.maxPatterns = n })
}

// Miner places signatures into patterns (see the package doc). It is safe
// for concurrent use. It must be built with [New]; the zero Miner is not
// usable.
type Miner struct {
	// epoch changes whenever the pattern ID of an already placed signature
	// may have changed; on a cache line of its own, read per record by
	// callers that cache IDs.
	_     [64]byte
	epoch atomic.Uint64
	_     [56]byte

	override atomic.Pointer[map[signature.Sig]signature.Sig]
	known    *knownTable
	origins  *knownTable // ID → origin, for the IDs of generalized patterns
	nodes    []node

	mu      sync.Mutex
	free    []int32
	hand    int
	first   map[uint64][]int32 // first token's index hash → nodes
	last    map[uint64][]int32 // last token's index hash → nodes
	sibs    map[uint64][]sibling
	byID    map[signature.Sig]int32
	stamp   uint32
	norm    []byte   // the normalized message being placed
	buf     []byte   // its template (see appendMasked)
	toks    []token  // its tokens
	bits    []uint64 // tokenBits of each of its tokens
	flags   []uint8  // tokenFlags of each of its tokens
	scratch []byte
	suffix  []byte
	st      Stats
}

// node is one pattern. id and gen are read without the lock; the rest is
// guarded by the miner's mutex.
type node struct {
	id  atomic.Uint64
	gen atomic.Uint32 // starts at 1; changes on eviction and forwarding
	ref atomic.Bool   // CLOCK reference bit

	live              bool
	visit             uint32
	mask              uint64        // the tokenBits of its tokens, or-ed
	origin            signature.Sig // the ID the pattern was created with
	tmpl              string
	toks              []token
	firstKey, lastKey uint64
}

type sibling struct {
	idx int32
	gen uint32
}

// Stats counts what a Miner did.
type Stats struct {
	// Patterns is the number of patterns held.
	Patterns int
	// Placed counts signatures placed (first sights, and signatures whose
	// placement was forgotten); Created how many of them started a
	// pattern; Generalized how many changed a pattern's template.
	Placed, Created, Generalized uint64
	// Merged counts patterns merged into another (siblings whose plain-word
	// position reached MinWordValues, and patterns that generalized into
	// the same template).
	Merged uint64
	// Evicted counts patterns evicted by the CLOCK rule.
	Evicted uint64
	// Unmined counts placements of templates too long to mine (more than
	// 64 tokens or 2048 bytes), which keep their signature as pattern ID.
	Unmined uint64
}

// New returns an empty Miner.
func New(opts ...Option) *Miner {
	var cfg config
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.maxPatterns <= 0 {
		cfg.maxPatterns = DefaultMaxPatterns
	}
	cfg.maxPatterns = max(cfg.maxPatterns, 16)
	m := &Miner{
		known:   newKnownTable(cfg.maxPatterns),
		origins: newKnownTable(cfg.maxPatterns / 2),
		nodes:   make([]node, cfg.maxPatterns),
		free:    make([]int32, 0, cfg.maxPatterns),
		first:   map[uint64][]int32{},
		last:    map[uint64][]int32{},
		sibs:    map[uint64][]sibling{},
		byID:    map[signature.Sig]int32{},
	}
	for i := len(m.nodes) - 1; i >= 0; i-- {
		m.nodes[i].gen.Store(1)
		m.free = append(m.free, int32(i))
	}
	return m
}

// Epoch returns a number that changes whenever the pattern ID of a
// signature already placed may have changed (a pattern generalized, two
// patterns merged, or [Miner.SetMap] was called). A caller that caches IDs
// reads Epoch before [Miner.ID] and treats an ID cached under another epoch
// as stale. This method can be called concurrently.
func (m *Miner) Epoch() uint64 { return m.epoch.Load() }

// SetMap puts an explicit signature → pattern ID map in force (computed
// by a server from fleet statistics, see policy.Policy.PatternMap): a
// signature in the map has the mapped ID, whatever the miner learned. nil
// or an empty map removes it. The Miner copies mp. This method can be
// called concurrently.
func (m *Miner) SetMap(mp map[signature.Sig]signature.Sig) {
	if len(mp) == 0 {
		if m.override.Swap(nil) == nil {
			return
		}
	} else {
		c := maps.Clone(mp)
		m.override.Store(&c)
	}
	m.epoch.Add(1)
}

// Of returns the signature of msg and its pattern ID: signature.Of(msg)
// and [Miner.ID].
func (m *Miner) Of(msg string) (sig, id signature.Sig) {
	sig = signature.Of(msg)
	return sig, m.ID(sig, msg)
}

// ID returns the pattern ID of msg, whose signature is sig
// (signature.Of(msg)). A signature in the map of [Miner.SetMap] has the
// mapped ID. Otherwise, the first time sig is seen (or after its placement
// was forgotten), msg's template is placed into a pattern:
//
//   - the candidates are the patterns whose first token, or whose last
//     token, indexes like the template's (a plain word by itself, a
//     key=value token by its key, any variable under one shared key);
//   - a candidate of the same length is compared position by position; one
//     of another length (at most twice or half) by its longest common prefix
//     and suffix, the rest being one variable span. Tokens match when they
//     are equal, when the pattern has <*> there, or when both are key=value
//     with the same key;
//   - the similarity is the number of matching tokens over the longer
//     length; the template joins the most similar candidate when it is at
//     least 0.5 and the tokens that differ are values (not plain words);
//     the pattern's template becomes the merge (differing tokens, and the
//     span, become <*>; a differing key=value becomes key=<*>), and its ID
//     the signature of that template;
//   - when the differing tokens are plain words, or the differing span of
//     another length holds a key=value token or is the template's head
//     (see the package doc), the template starts a pattern of its own, a
//     sibling of the candidate; when MinWordValues siblings share one
//     merged template, they are merged into it;
//   - otherwise the template starts a pattern whose ID is sig.
//
// ID does not panic, and does not allocate when sig was placed before or
// when its template joins a pattern without changing it. This method can be
// called concurrently; placing takes the miner's mutex.
func (m *Miner) ID(sig signature.Sig, msg string) signature.Sig {
	if ov := m.override.Load(); ov != nil {
		if id, ok := (*ov)[sig]; ok {
			return id
		}
	}
	if id, ok := m.lookup(sig); ok {
		return id
	}
	return m.place(sig, msg)
}

// lookup returns the ID of a placed signature, setting its pattern's
// reference bit.
func (m *Miner) lookup(sig signature.Sig) (signature.Sig, bool) {
	ref := m.known.get(sig)
	if ref == 0 {
		return 0, false
	}
	n := &m.nodes[uint32(ref>>32)]
	id := n.id.Load()
	if n.gen.Load() != uint32(ref) {
		return 0, false
	}
	if !n.ref.Load() {
		n.ref.Store(true)
	}
	return signature.Sig(id), true
}

// Origin returns the ID that the pattern whose ID is id had when it was
// created: id itself for a pattern that never generalized, else the
// signature of the template of its first record (of the pattern it was
// merged into, for a pattern merged into another). Unlike the ID, it does
// not change while the miner learns a family, so it is the key under which
// a pattern's history is kept: the sampler passes it to its anomaly valve,
// so that a pattern that generalizes is not a new pattern, nor its old ID
// a silent one. A sibling that differs from a pattern only in names (see
// the package doc) has that pattern's origin. An ID the miner never gave
// (a mapped ID of [Miner.SetMap], a signature folded with attribute keys)
// is its own origin. The mapping is kept for the IDs of generalized
// patterns and name siblings in a two-way set-associative table of
// [WithMaxPatterns] entries; an ID whose
// entry was evicted by another one of its set is its own origin again
// (the valve then sees it as a new key). Origin takes no lock and does not
// allocate. This method can be called concurrently.
func (m *Miner) Origin(id signature.Sig) signature.Sig {
	if o := m.origins.get(id); o != 0 {
		return signature.Sig(o)
	}
	return id
}

// Template returns the template of the pattern whose ID is id, and false
// when the miner holds no such pattern. The template masks what the
// normalizer masked and what the miner learned is variable. This method can
// be called concurrently.
func (m *Miner) Template(id signature.Sig) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.byID[id]
	if !ok {
		return "", false
	}
	return m.nodes[i].tmpl, true
}

// Stats returns the miner's counters. This method can be called
// concurrently.
func (m *Miner) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.st
	st.Patterns = len(m.byID)
	return st
}

func refOf(idx int32, gen uint32) uint64 { return uint64(uint32(idx))<<32 | uint64(gen) }

func (m *Miner) place(sig signature.Sig, msg string) signature.Sig {
	m.mu.Lock()
	defer m.unlock()
	if id, ok := m.lookup(sig); ok {
		return id
	}
	m.st.Placed++
	// A message of several lines (a stack trace, a dump) is placed by its
	// first line; the lines after it are one variable.
	first, more := msg, false
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		first, more = msg[:i], true
	}
	m.norm = signature.AppendNormalize(m.norm[:0], first)
	if more {
		m.norm = append(m.norm, " <*>"...)
	}
	m.buf = appendMasked(m.buf[:0], unsafe.String(unsafe.SliceData(m.norm), len(m.norm)))
	if len(m.buf) == 0 || len(m.buf) > maxTemplateBytes {
		m.st.Unmined++
		return sig
	}
	// The template is read only under the lock, while m.buf is not
	// changed; create copies it.
	tmpl := unsafe.String(unsafe.SliceData(m.buf), len(m.buf))
	toks, ok := tokenize(m.toks[:0], tmpl, maxTokens)
	m.toks = toks
	if !ok {
		m.st.Unmined++
		return sig
	}
	best, guarded := m.best(tmpl, toks)
	switch {
	case best < 0:
		_, id := m.create(sig, tmpl, toks)
		return id
	case !guarded:
		return m.join(best, sig, tmpl, toks)
	}
	return m.sibling(best, sig, tmpl, toks)
}

// maxBuffer is the capacity above which a placement's buffer is dropped
// rather than kept for the next one.
const maxBuffer = 64 << 10

// unlock drops the buffers a long message grew, and unlocks the miner.
func (m *Miner) unlock() {
	if cap(m.norm) > maxBuffer {
		m.norm = nil
	}
	if cap(m.buf) > maxBuffer {
		m.buf = nil
	}
	m.mu.Unlock()
}

// best returns the most similar candidate pattern (see ID), or -1, and
// whether joining it needs MinWordValues siblings.
func (m *Miner) best(tmpl string, toks []token) (best int32, guarded bool) {
	m.stamp++
	best = -1
	var bestSim float64
	lists := [3][]int32{m.first[toks[0].kh], m.last[toks[len(toks)-1].kh]}
	if toks[0].kh != wildHash {
		lists[2] = m.first[wildHash]
	}
	m.bits, m.flags = m.bits[:0], m.flags[:0]
	for i := range toks {
		m.bits = append(m.bits, tokenBits(tmpl, &toks[i]))
		m.flags = append(m.flags, 0) // computed when needed (valueAt)
	}
	for _, l := range lists {
		for _, i := range l {
			n := &m.nodes[i]
			if n.visit == m.stamp {
				continue
			}
			n.visit = m.stamp
			// An upper bound of the tokens score can match, from the
			// pattern's mask: below half the longer length, score would
			// return less than minSimilarity; skip it without reading
			// the pattern's tokens.
			bound := 0
			for _, b := range m.bits {
				if b&n.mask != 0 {
					bound++
				}
			}
			if 2*bound < max(len(n.toks), len(toks)) {
				continue
			}
			sim, g := score(n, tmpl, toks, m.flags)
			if sim < minSimilarity {
				continue
			}
			if best < 0 || sim > bestSim || (sim == bestSim && (guarded && !g || guarded == g && i < best)) {
				best, bestSim, guarded = i, sim, g
			}
		}
	}
	return best, guarded
}

// score returns the similarity of the template (tmpl, toks) to pattern n
// and whether they differ in plain words.
// flags holds the tokenFlags of toks.
func score(n *node, tmpl string, toks []token, flags []uint8) (sim float64, guarded bool) {
	np, nt := len(n.toks), len(toks)
	if nt > 2*np || np > 2*nt {
		return 0, false
	}
	longer := max(np, nt)
	// allowed is the number of unmatched tokens above which the similarity
	// falls below minSimilarity.
	allowed := longer / 2 // longer - ⌈minSimilarity·longer⌉, minSimilarity being 0.5
	if longer-min(np, nt) > allowed {
		return 0, false
	}
	matched, constant := 0, 0
	if np == nt {
		for i := range toks {
			o, pd := match(n.tmpl, n.toks[i], tmpl, toks[i])
			if pd && !guarded && valueAt(o, n.tmpl, n.toks[i], tmpl, toks[i], i, &flags[i]) {
				pd = false // checked only while it can matter
			}
			if o == distinct {
				return 0, false
			}
			if counts(o) {
				matched++
				if n.toks[i].kind != kindWild {
					constant++
				}
			} else if i+1-matched > allowed {
				return 0, false
			}
			guarded = guarded || pd
		}
	} else {
		p, s, g := affixes(n, tmpl, toks, flags)
		guarded = g
		for i := range p {
			if o, _ := match(n.tmpl, n.toks[i], tmpl, toks[i]); counts(o) {
				matched++
				if n.toks[i].kind != kindWild {
					constant++
				}
			}
		}
		for i := range s {
			if o, _ := match(n.tmpl, n.toks[np-1-i], tmpl, toks[nt-1-i]); counts(o) {
				matched++
				if n.toks[np-1-i].kind != kindWild {
					constant++
				}
			}
		}
		if hasEvent(n.toks[p:np-s]) || hasEvent(toks[p:nt-s]) {
			return 0, false // a kept token never falls into a variable span
		}
		a, b := n.toks[p:np-s], toks[p:nt-s]
		switch {
		case hasKey(a) || hasKey(b):
			// A key=value token is a field, not part of a longer value: a
			// message with one more or one fewer field is another event
			// (PAM's "rhost=<*>" and "rhost=<*> user=<*>"), though next to
			// a variable: a sibling, as for a plain-word difference.
			guarded = true
		case p == 0 && !absorbed(n, p, s):
			// The first words of a message name its event: a differing
			// head ("DHCPDISCOVER from <*>", "DHCPREQUEST for <*> (<*>)
			// from <*>") is another event, unless it continues a variable.
			guarded = true
		case onlyWords(a) && onlyWords(b):
			// Words replaced by other words: different event words, even
			// next to a variable ("<*> Served block" and "<*> Starting
			// thread to transfer block").
			guarded = true
		case !absorbed(n, p, s) && plainSpan(a, b):
			guarded = true
		case clause(n.tmpl, a) && clause(tmpl, b):
			// Two clauses, even after a variable ("client <*> which had
			// sessionid <*>", "client <*> (no session established for
			// client)"): two sentences, not two values.
			guarded = true
		}
	}
	if constant == 0 {
		return 0, false // at least one constant token in common
	}
	return float64(matched) / float64(longer), guarded
}

// affixes returns the lengths of the longest common prefix and suffix of
// pattern n and a template of another length, and whether they differ in
// plain words within them.
// flags holds the tokenFlags of toks, or is nil when guarded is not used.
func affixes(n *node, tmpl string, toks []token, flags []uint8) (p, s int, guarded bool) {
	np, nt := len(n.toks), len(toks)
	lim := min(np, nt)
	var local uint8
	for p < lim {
		o, pd := match(n.tmpl, n.toks[p], tmpl, toks[p])
		if pd && !guarded && valueAt(o, n.tmpl, n.toks[p], tmpl, toks[p], p, flagAt(flags, p, &local)) {
			pd = false
		}
		if o == noMatch || o == distinct {
			break
		}
		guarded = guarded || pd
		p++
	}
	for s < lim-p {
		o, pd := match(n.tmpl, n.toks[np-1-s], tmpl, toks[nt-1-s])
		if pd && !guarded && valueAt(o, n.tmpl, n.toks[np-1-s], tmpl, toks[nt-1-s], nt-1-s, flagAt(flags, nt-1-s, &local)) {
			pd = false
		}
		if o == noMatch || o == distinct {
			break
		}
		guarded = guarded || pd
		s++
	}
	return p, s, guarded
}

// flagAt returns &flags[i], or local, cleared, when flags is nil.
func flagAt(flags []uint8, i int, local *uint8) *uint8 {
	if i < len(flags) {
		return &flags[i]
	}
	*local = 0
	return local
}

// absorbed reports whether a variable span between the prefix of length p
// and the suffix of length s of pattern n continues a variable: the
// pattern's token before it ends with <*>, or the one after it starts
// with <*>.
func absorbed(n *node, p, s int) bool {
	if p > 0 {
		t := n.toks[p-1]
		if endsWild(n.tmpl[t.off:t.end]) {
			return true
		}
	}
	if s > 0 {
		t := n.toks[len(n.toks)-s]
		if startsWild(n.tmpl[t.off:t.end]) {
			return true
		}
	}
	return false
}

// hasEvent reports whether a span holds a token kept as part of the event.
func hasEvent(span []token) bool {
	for _, t := range span {
		if t.event() {
			return true
		}
	}
	return false
}

// hasKey reports whether a span holds a key=value token.
func hasKey(span []token) bool {
	for _, t := range span {
		if t.key > 0 {
			return true
		}
	}
	return false
}

// onlyWords reports whether a span holds plain words and nothing else.
func onlyWords(span []token) bool {
	for _, t := range span {
		if t.kind != kindWord {
			return false
		}
	}
	return len(span) > 0
}

// clause reports whether a span is a clause: at least two words (letters,
// '-' and '_', with quotes, brackets or punctuation around them) that do
// not end with a comma (list items: "red, blue, green"), and words for at
// least half of its tokens.
func clause(tmpl string, span []token) bool {
	w, items := 0, 0
	for _, t := range span {
		if v := tmpl[t.off:t.end]; wordLike(v) {
			w++
			if v[len(v)-1] == ',' {
				items++ // "red, blue, green": a list's items, not a clause
			}
		}
	}
	return w-items >= 2 && 2*w >= len(span)
}

// wordLike reports whether s is a word of a sentence: letters, '-' and
// '_' (two or more), with opening quotes or brackets before and closing
// punctuation after.
func wordLike(s string) bool {
	i, j := 0, len(s)
	for i < j && (s[i] == '(' || s[i] == '[' || s[i] == '"' || s[i] == '\'') {
		i++
	}
	for j > i && strings.IndexByte(".,;:)]\"'!?", s[j-1]) >= 0 {
		j--
	}
	if j-i < 2 {
		return false
	}
	for k := i; k < j; k++ {
		if !isLetter(s[k]) && s[k] != '-' && s[k] != '_' {
			return false
		}
	}
	return true
}

// plainSpan reports whether two differing spans hold plain words and no
// value.
func plainSpan(a, b []token) bool {
	words := false
	for _, span := range [2][]token{a, b} {
		for _, t := range span {
			switch t.kind {
			case kindValue:
				return false
			case kindWord:
				words = true
			}
		}
	}
	return words
}

// merged appends to dst the template of pattern n merged with the template
// (tmpl, toks), aligned as score aligns them.
func (m *Miner) merged(dst []byte, n *node, tmpl string, toks []token) []byte {
	np, nt := len(n.toks), len(toks)
	if np == nt {
		for i := range toks {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = mergeToken(dst, n.tmpl, n.toks[i], tmpl, toks[i])
		}
		return dst
	}
	p, s, _ := affixes(n, tmpl, toks, nil)
	for i := range p {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = mergeToken(dst, n.tmpl, n.toks[i], tmpl, toks[i])
	}
	suf := m.suffix[:0]
	for i := range s {
		if i > 0 {
			suf = append(suf, ' ')
		}
		j := np - s + i
		suf = mergeToken(suf, n.tmpl, n.toks[j], tmpl, toks[nt-s+i])
	}
	m.suffix = suf
	span := !(p > 0 && bytesEndWild(dst)) && !(s > 0 && bytesStartWild(suf))
	if span {
		if p > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, wild...)
	}
	if s > 0 {
		if p > 0 || span {
			dst = append(dst, ' ')
		}
		dst = append(dst, suf...)
	}
	return dst
}

// mergeToken appends the merge of pattern token p and template token t.
func mergeToken(dst []byte, ps string, p token, ts string, t token) []byte {
	pv := ps[p.off:p.end]
	switch o, _ := match(ps, p, ts, t); o {
	case same, covered, wildLeft:
		return append(dst, pv...)
	case sameKey:
		return append(append(dst, pv[:p.key]...), wild...)
	case wildRight, filledRight:
		return append(dst, ts[t.off:t.end]...)
	}
	return append(dst, wild...)
}

// join places sig into pattern i, generalizing its template if needed.
func (m *Miner) join(i int32, sig signature.Sig, tmpl string, toks []token) signature.Sig {
	n := &m.nodes[i]
	b := m.merged(m.scratch[:0], n, tmpl, toks)
	m.scratch = b
	if string(b) != n.tmpl {
		i = m.retemplate(i, string(b))
		n = &m.nodes[i]
		// The siblings that differ in words where the pattern now has
		// a variable took a value there: an open set, not events.
		m.absorbSiblings(i, fnv.AddBytes(fnv.Offset64, b))
	}
	n.ref.Store(true)
	m.known.put(sig, refOf(i, n.gen.Load()))
	return signature.Sig(n.id.Load())
}

// absorbSiblings forwards into pattern i the live siblings whose merged
// template hashes to key (the template i just generalized to).
func (m *Miner) absorbSiblings(i int32, key uint64) {
	list, ok := m.sibs[key]
	if !ok {
		return
	}
	delete(m.sibs, key)
	for _, s := range list {
		if s.idx != i && m.nodes[s.idx].live && m.nodes[s.idx].gen.Load() == s.gen {
			m.forward(s.idx, i)
		}
	}
}

// sibling places sig next to pattern i, from which it differs in plain
// words, merging the siblings once MinWordValues share one template.
func (m *Miner) sibling(i int32, sig signature.Sig, tmpl string, toks []token) signature.Sig {
	b := m.merged(m.scratch[:0], &m.nodes[i], tmpl, toks)
	m.scratch = b
	key := fnv.AddBytes(fnv.Offset64, b)
	list := m.sibs[key][:0:0]
	for _, s := range m.sibs[key] {
		if m.nodes[s.idx].live && m.nodes[s.idx].gen.Load() == s.gen {
			list = append(list, s)
		}
	}
	found := false
	for _, s := range list {
		found = found || s.idx == i
	}
	if !found {
		list = append(list, sibling{i, m.nodes[i].gen.Load()})
	}
	if len(list)+1 >= MinWordValues {
		delete(m.sibs, key)
		t := m.retemplate(i, string(b))
		for _, s := range list {
			if s.idx != i && s.idx != t && m.nodes[s.idx].live {
				m.forward(s.idx, t)
			}
		}
		n := &m.nodes[t]
		n.ref.Store(true)
		m.known.put(sig, refOf(t, n.gen.Load()))
		return signature.Sig(n.id.Load())
	}
	m.nodes[i].ref.Store(true) // do not let create evict it
	names := nameSibling(&m.nodes[i], tmpl, toks)
	origin := m.nodes[i].origin
	j, id := m.create(sig, tmpl, toks)
	if j >= 0 {
		list = append(list, sibling{j, m.nodes[j].gen.Load()})
		if names && origin != 0 && origin != id {
			// Another name in a known event: a pattern of its own until
			// MinWordValues names merge, but the same history (Origin).
			m.nodes[j].origin = origin
			m.origins.put(id, uint64(origin))
		}
	}
	if len(m.sibs) >= len(m.nodes) {
		clear(m.sibs) // bounded: forget the sibling counts
	}
	m.sibs[key] = list
	return id
}

// nameSibling reports whether the template (tmpl, toks) differs from
// pattern n, of the same length, only in plain words (or plain values of
// one key) none of which is an event word: an HTTP-method-shaped word
// (eventtok.Method) or a verb form of state or outcome (eventtok.Verb).
// Such words are names (a user, a queue), not events: the sibling they
// make shares n's history. A difference in an event word, of keys, or of
// another length is not (started and paused stay two events).
func nameSibling(n *node, tmpl string, toks []token) bool {
	if len(n.toks) != len(toks) {
		return false
	}
	diff := false
	for i := range toks {
		p, t := n.toks[i], toks[i]
		o, pd := match(n.tmpl, p, tmpl, t)
		if f := uint8(0); pd && valueAt(o, n.tmpl, p, tmpl, t, i, &f) {
			pd = false
		}
		if o == same || o == covered || o == wildLeft || o == wildRight || o == filledRight {
			continue
		}
		if !pd || p.key != t.key {
			return false
		}
		pv, tv := n.tmpl[int(p.off)+int(p.key):p.end], tmpl[int(t.off)+int(t.key):t.end]
		if eventtok.Method(pv) || eventtok.Method(tv) || eventtok.Verb(pv) || eventtok.Verb(tv) {
			return false
		}
		diff = true
	}
	return diff
}

// create starts a pattern with the template (tmpl, toks) and places sig
// into it. It returns the pattern's index (-1 when the template's pattern
// already exists) and ID.
func (m *Miner) create(sig signature.Sig, tmpl string, toks []token) (int32, signature.Sig) {
	id := signature.OfTemplate(tmpl)
	if j, ok := m.byID[id]; ok {
		n := &m.nodes[j]
		m.known.put(sig, refOf(j, n.gen.Load()))
		return -1, id
	}
	m.st.Created++
	i := m.alloc()
	n := &m.nodes[i]
	n.tmpl = strings.Clone(tmpl)         // tmpl aliases m.buf
	n.toks = append(n.toks[:0], toks...) // reuses an evicted pattern's array
	n.id.Store(uint64(id))
	n.origin = id
	n.live = true
	n.ref.Store(true)
	m.byID[id] = i
	m.index(i)
	m.known.put(sig, refOf(i, n.gen.Load()))
	return i, id
}

// retemplate gives pattern i the template tmpl and the matching ID, and
// returns the pattern's index: i, or the pattern that already had that
// template, into which i is then forwarded.
func (m *Miner) retemplate(i int32, tmpl string) int32 {
	n := &m.nodes[i]
	id := signature.OfTemplate(tmpl)
	if j, ok := m.byID[id]; ok && j != i {
		m.forward(i, j)
		return j
	}
	m.st.Generalized++
	m.unindex(i)
	if m.byID[signature.Sig(n.id.Load())] == i {
		delete(m.byID, signature.Sig(n.id.Load()))
	}
	n.tmpl = tmpl
	n.toks, _ = tokenize(n.toks[:0], tmpl, maxTokens+1)
	n.id.Store(uint64(id))
	if n.origin != 0 && n.origin != id {
		m.origins.put(id, uint64(n.origin))
	}
	m.byID[id] = i
	m.index(i)
	m.epoch.Add(1)
	return i
}

// forward merges pattern from into pattern to: the signatures placed into
// from now map to to, and from is freed.
func (m *Miner) forward(from, to int32) {
	m.st.Merged++
	m.known.redirect(uint32(from), refOf(to, m.nodes[to].gen.Load()))
	m.release(from)
	m.free = append(m.free, from)
	m.epoch.Add(1)
}

// release unlinks pattern i and invalidates references to it.
func (m *Miner) release(i int32) {
	n := &m.nodes[i]
	m.unindex(i)
	if id := signature.Sig(n.id.Load()); m.byID[id] == i {
		delete(m.byID, id)
	}
	n.gen.Add(1)
	n.live = false
	n.tmpl, n.toks = "", n.toks[:0]
}

// alloc returns a free node, evicting one by the CLOCK rule if needed.
func (m *Miner) alloc() int32 {
	if k := len(m.free); k > 0 {
		i := m.free[k-1]
		m.free = m.free[:k-1]
		return i
	}
	for range 2*len(m.nodes) + 1 {
		i := int32(m.hand)
		m.hand = (m.hand + 1) % len(m.nodes)
		n := &m.nodes[i]
		if !n.live {
			return i
		}
		if n.ref.Load() {
			n.ref.Store(false)
			continue
		}
		m.st.Evicted++
		m.release(i)
		return i
	}
	// Unreachable: one pass clears every reference bit.
	i := int32(m.hand)
	m.release(i)
	return i
}

// index adds pattern i to the candidate lists of its first and last tokens.
func (m *Miner) index(i int32) {
	n := &m.nodes[i]
	n.mask = 0
	for k := range n.toks {
		n.mask |= tokenBits(n.tmpl, &n.toks[k])
	}
	n.firstKey, n.lastKey = n.toks[0].kh, n.toks[len(n.toks)-1].kh
	m.first[n.firstKey] = push(m.first[n.firstKey], i)
	m.last[n.lastKey] = push(m.last[n.lastKey], i)
}

func push(l []int32, i int32) []int32 {
	if len(l) == maxCandidates {
		copy(l, l[1:]) // drop the oldest candidate
		l = l[:len(l)-1]
	}
	return append(l, i)
}

func (m *Miner) unindex(i int32) {
	n := &m.nodes[i]
	if len(n.toks) == 0 {
		return
	}
	for _, x := range [2]struct {
		idx map[uint64][]int32
		key uint64
	}{{m.first, n.firstKey}, {m.last, n.lastKey}} {
		l := x.idx[x.key]
		for k, j := range l {
			if j == i {
				l = append(l[:k], l[k+1:]...)
				break
			}
		}
		if len(l) == 0 {
			delete(x.idx, x.key)
		} else {
			x.idx[x.key] = l
		}
	}
}

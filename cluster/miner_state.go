// The Miner's bounds and state: eviction under the pattern cap, the read
// accessors and the JSON snapshot. Split from miner.go (issue 12); no code
// changed.

package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

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
	m.reindex()
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
	// Tails lists the IDs of tail patterns (whose last <*> stands for one
	// or more tokens); absent in snapshots written before them.
	Tails []uint64 `json:"tails,omitempty"`
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
		if n.tail {
			s.Tails = append(s.Tails, n.id)
		}
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
	tails := make(map[uint64]bool, len(s.Tails))
	for _, id := range s.Tails {
		tails[id] = true
	}
	known := newKnownTable(2 * len(ps))
	groups := make(map[groupKey][]*node)
	nodes := make([]*node, 0, len(ps))
	next := s.NextID
	nTails := 0
	for _, p := range ps {
		toks, glue := tokenize(p.Template)
		toks, units := splitUnits(toks, glue)
		n := &node{id: p.ID, example: p.Example, tail: tails[p.ID] && len(toks) >= 2 && glue == nil, glue: glue, shape: shapeOf(glue), units: units}
		n.setTokens(toks)
		n.count.Store(p.Count)
		known.insert(&knownEntry{sig: n.sig, node: n})
		if n.tail {
			nTails++
		} else {
			k := m.keyOf(toks, n.shape)
			groups[k] = append(groups[k], n)
		}
		nodes = append(nodes, n)
		next = max(next, p.ID)
	}
	m.mu.Lock()
	m.known.Store(known)
	m.groups, m.nodes, m.nextID, m.tails = groups, nodes, next, nTails
	m.reindex()
	m.mu.Unlock()
	return nil
}

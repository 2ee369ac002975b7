package cluster

import (
	"fmt"
	"testing"
)

// TestSpanIndexBounded feeds many events of distinct words, half with an
// extra masked token, into a small Miner: the span index never holds much
// more than twice as many entries as there are patterns (it is rebuilt
// past that and at each eviction), and its count matches its buckets.
func TestSpanIndexBounded(t *testing.T) {
	m := NewMiner(WithMaxPatterns(16))
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
	for i := range 3000 {
		w := words[i%8] + " " + words[(i/8)%8] + " " + words[(i/64)%8]
		extra := ""
		if i%2 == 1 {
			extra = " *64"
		}
		m.Add(fmt.Sprintf("app%d.exe%s - h%d.example.com:443 %s done", i, extra, i, w))
		m.mu.RLock()
		if s := m.spans; s != nil {
			n := 0
			for _, g := range s.byKey {
				n += len(g)
			}
			// A call adds at most two entries after the bound check.
			if n != s.entries || n > 2*len(m.nodes)+64+2 {
				t.Fatalf("message %d: %d entries (counted %d) for %d patterns", i, n, s.entries, len(m.nodes))
			}
		}
		m.mu.RUnlock()
	}
}

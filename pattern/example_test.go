package pattern_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// A family whose variable part the normalizer does not mask (a user name
// is a plain word) gets one pattern ID once the miner has seen enough
// distinct values in that position (MinWordValues): before that, a plain
// word may be an event word (started/stopped), so each name is its own
// pattern. The ID is the signature of the learned template.
func Example() {
	m := pattern.New()
	for _, name := range []string{"alice", "bob", "carol", "dave", "erin", "frank", "alice"} {
		_, id := m.Of("user " + name + " logged in from 10.0.0.7")
		tmpl, _ := m.Template(id)
		fmt.Printf("%-5s %s %s\n", name, id, tmpl)
	}
	_, id := m.Of("user alice logged in from 10.0.0.7")
	fmt.Println(id == signature.OfTemplate("user <*> logged in from <*>"))
	// Output:
	// alice b60ae1bf1d791309 user alice logged in from <*>
	// bob   aeda72b8fc204aa8 user bob logged in from <*>
	// carol b52e0bf15e9f3c6a user carol logged in from <*>
	// dave  e761f70c8e59fb6f user dave logged in from <*>
	// erin  6352ded5a7019e91 user <*> logged in from <*>
	// frank 6352ded5a7019e91 user <*> logged in from <*>
	// alice 6352ded5a7019e91 user <*> logged in from <*>
	// true
}

// A server's explicit map takes precedence over what the miner learned.
func ExampleMiner_SetMap() {
	m := pattern.New()
	sig, id := m.Of("job 12 started")
	fmt.Println(sig == id)
	m.SetMap(map[signature.Sig]signature.Sig{sig: 0x1234})
	_, id = m.Of("job 12 started")
	fmt.Println(id)
	// Output:
	// true
	// 0000000000001234
}

// A pattern that generalizes gets a new ID, but keeps its origin, the ID it
// was created with: the key under which its history is kept, so that the
// known event is not a new pattern to an anomaly detector.
func ExampleMiner_Origin() {
	m := pattern.New()
	_, first := m.Of(`handler main.(*Server).Get failed`)
	_, later := m.Of(`handler main.(*Server).Put failed`)
	tmpl, _ := m.Template(later)
	fmt.Println(tmpl)
	fmt.Println(first == later, m.Origin(later) == first, m.Origin(first) == first)
	// Output:
	// handler <*> failed
	// false true true
}

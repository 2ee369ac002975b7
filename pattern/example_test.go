package pattern_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// A family whose variable part the normalizer does not mask (quoted free
// text) gets one pattern ID, the signature of its template with the quoted
// value masked.
func Example() {
	m := pattern.New()
	for _, msg := range []string{
		`search query="green lamp desk" returned 12 results in 3ms`,
		`search query="red" returned 4 results in 1ms`,
		`search query="oak table" returned 9 results in 2ms`,
	} {
		sig, id := m.Of(msg)
		tmpl, _ := m.Template(id)
		fmt.Printf("%s → %s %s\n", sig, id, tmpl)
	}
	// Output:
	// 3bab7a04d4865450 → 03fcadd1e2eed510 search query=<*> returned <*> results in <*>
	// ff529e52686d2389 → 03fcadd1e2eed510 search query=<*> returned <*> results in <*>
	// 06500508b23f16a7 → 03fcadd1e2eed510 search query=<*> returned <*> results in <*>
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

package fnv_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/internal/fnv"
)

// The hash of a template is the same whether it is computed at once or
// folded in piece by piece, which is how the normalizer hashes a template
// while writing it.
func ExampleAddString() {
	whole := fnv.String("user <*> logged in")
	h := fnv.AddString(fnv.Offset64, "user ")
	h = fnv.AddString(h, "<*>")
	h = fnv.AddString(h, " logged in")
	fmt.Println(whole == h)
	fmt.Printf("%016x\n", fnv.String(""))
	// Output:
	// true
	// cbf29ce484222325
}

package eventtok_test

import (
	"fmt"
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
)

// Mark finds the tokens of a split access-log template that are part of
// the event: the method, the route and the status.
func ExampleMark() {
	toks := strings.Split(`<*> "GET /login HTTP/1.1" 404 <*>`, " ")
	ev := make([]bool, len(toks))
	eventtok.Mark(toks, ev)
	for i, t := range toks {
		if ev[i] {
			fmt.Println(t)
		}
	}
	// Output:
	// "GET
	// /login
	// 404
}

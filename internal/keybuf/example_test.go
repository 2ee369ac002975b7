package keybuf_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
)

// An adapter qualifies the key "id" inside the group "req" (opened by
// WithGroup) and the nested group "user".
func ExampleBuffer_Join() {
	var b keybuf.Buffer
	p := b.Reset("req.")
	g, _ := b.Join(0, p, "user", true) // "req.user."
	gLen := p + len("user") + 1
	k, _ := b.Join(g, gLen, "id", false)
	fmt.Println(b.String(k, gLen+len("id")))
	// Output: req.user.id
}

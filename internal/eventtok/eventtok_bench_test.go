package eventtok_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
)

var sinkBool bool

// BenchmarkMark marks the tokens of an access-log template and of a
// template without event tokens, as cluster.Miner does per new template.
func BenchmarkMark(b *testing.B) {
	for _, bench := range []struct{ name, tmpl string }{
		{"access", `<*> - - <*> "GET /api/<*> HTTP/1.1" 200 <*> "-" <*>`},
		{"plain", "Receiving block <*> src: <*> dest: <*>"},
	} {
		b.Run(bench.name, func(b *testing.B) {
			toks := strings.Split(bench.tmpl, " ")
			ev := make([]bool, len(toks))
			b.ReportAllocs()
			for b.Loop() {
				eventtok.Mark(toks, ev)
			}
		})
	}
}

// BenchmarkKept asks Kept about a quoted request line, a status and a
// word, as pattern.Miner does per token of a new template.
func BenchmarkKept(b *testing.B) {
	vs := []string{`"GET /api/<*> HTTP/1.1"`, "200", "started"}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vs {
			sinkBool = eventtok.Kept(v)
		}
	}
}

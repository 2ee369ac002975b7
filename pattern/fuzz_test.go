package pattern_test

import (
	"testing"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// FuzzMiner places pairs of messages and checks the miner's invariants:
// no panic; a placed signature keeps answering the same ID until the epoch
// changes; an ID the miner holds is the signature of its template; valid
// UTF-8 in gives a valid UTF-8 template.
func FuzzMiner(f *testing.F) {
	for _, s := range [][2]string{
		{`search query="green lamp desk" returned 12 results`, `search query="red" returned 4 results`},
		{`email sent to ines.miller@example.com template=welcome`, `email sent to bob@mail.test template=welcome`},
		{`user alice logged in`, `user bob logged in`},
		{`admin Tomasz Patel granted role admin`, `admin Ines Miller granted role admin`},
		{`10.0.0.1 - - [07/Dec/2016:11:05:07 +0100] "GET /api/orders/1 HTTP/1.1" 200 512`, `10.0.0.2 - - [07/Dec/2016:11:05:08 +0100] "POST /apache_pb.gif HTTP/1.0" 500 0`},
		{`request method=GET path=/api/x/1 status=200`, `request method=PUT path=/api/y/2 status=503`},
		{"panic: boom\ngoroutine 1", `body={"a": [1, {"b": "c"}]} x`},
		{`'unclosed "quote [bracket {`, `a= =b == @ @@ x@ @y`},
		{"", " "},
		{`took 12 ms, then (3 KB) size=4 bytes`, `took 1.5 s, then (3) size=4`}, // a variable and its unit
		{`x close, 0 bytes sent, lifetime <1 sec`, `y close, 1190 bytes (1.16 KB) sent, lifetime 00:02`},
		{`acquire ws=WorkSource{10113 com.google.android.gms}, uid=1000`, `q plan=IXSCAN { a: { b: 1 } } ms=3 is X(k=Y(1, 2), z) (w`}, // object dumps
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		m := pattern.New(pattern.WithMaxPatterns(16))
		sa, ida := m.Of(a)
		e := m.Epoch()
		if _, again := m.Of(a); again != ida && m.Epoch() == e {
			t.Fatalf("%q: ID %s then %s with no epoch change", a, ida, again)
		}
		_, idb := m.Of(b)
		for _, id := range []signature.Sig{ida, idb} {
			tmpl, ok := m.Template(id)
			if !ok {
				continue // unmined (too long), or the first ID was retired
			}
			if signature.OfTemplate(tmpl) != id {
				t.Fatalf("ID %s is not the signature of its template %q", id, tmpl)
			}
			if utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(tmpl) {
				t.Fatalf("invalid UTF-8 template %q from %q and %q", tmpl, a, b)
			}
		}
		if sa != signature.Of(a) {
			t.Fatalf("Of returned signature %s, want %s", sa, signature.Of(a))
		}
	})
}

package eventtok_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
)

func TestNumber(t *testing.T) {
	for _, test := range []struct {
		s    string
		want bool
	}{
		{"200", true},
		{"0", true},
		{"5030", true},
		{"", false},
		{"503,", false}, // a closer: not the kept token of the other miners
		{"-1", false},
		{"1.5", false},
		{"<*>", false},
		{"2xx", false},
		{"٣", false}, // a non-ASCII digit
	} {
		if got := eventtok.Number(test.s); got != test.want {
			t.Errorf("Number(%q) = %v, want %v", test.s, got, test.want)
		}
	}
}

func TestMethod(t *testing.T) {
	for _, test := range []struct {
		s    string
		want bool
	}{
		{"GET", true},
		{"DELETE", true},
		{"PROPFIND", true},
		{"MKCALENDAR", true}, // 10 letters, the longest
		{"GE", false},
		{"VERYLONGMETHOD", false},
		{"Get", false},
		{"\"GET", false}, // Mark strips the quote, Method does not
		{"GET1", false},
		{"", false},
	} {
		if got := eventtok.Method(test.s); got != test.want {
			t.Errorf("Method(%q) = %v, want %v", test.s, got, test.want)
		}
	}
}

func TestRoute(t *testing.T) {
	for _, test := range []struct {
		s    string
		want bool
	}{
		{"/", true},
		{"/api/<*>", true},
		{"*", true},
		{"<*>", false},
		{"api/x", false},
		{"", false},
	} {
		if got := eventtok.Route(test.s); got != test.want {
			t.Errorf("Route(%q) = %v, want %v", test.s, got, test.want)
		}
	}
}

func TestKept(t *testing.T) {
	for _, test := range []struct {
		name string
		v    string
		want bool
	}{
		{"status", "404", true},
		{"quoted request line", `"GET /api/<*> HTTP/1.1"`, true},
		{"single-quoted request line", `'PUT /login HTTP/1.0'`, true},
		{"bare method and route", "DELETE /v1/orders/<*>", true},
		{"OPTIONS *", "OPTIONS * HTTP/1.1", true},
		{"SQL star is no target", `"SELECT * FROM orders"`, false},
		{"star without protocol", "OPTIONS *", false},
		{"target masked whole", `"POST <*> HTTP/1.0"`, true},
		{"masked target, no protocol", `"POST <*>"`, false},
		{"lower-case method", `"get /api HTTP/1.1"`, false},
		{"free text", `"user <*> logged in"`, false},
		{"variable", "<*>", false},
		{"word", "started", false},
		{"empty", "", false},
		{"one quote", `"`, false},
		{"leading space", " GET /x", false},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := eventtok.Kept(test.v); got != test.want {
				t.Errorf("Kept(%q) = %v, want %v", test.v, got, test.want)
			}
		})
	}
}

func TestMark(t *testing.T) {
	for _, test := range []struct {
		name string
		tmpl string
		want string // one character per token: 'e' event, '.' not
	}{
		{"nginx combined", `<*> - - <*> "GET /api/<*> HTTP/1.1" 200 <*> "-" <*>`, "....ee.e..."},
		{"masked target", `<*> - - <*> "POST <*> HTTP/1.0" 503 <*>`, "....e..e."},
		{"masked target without protocol", `"POST <*> done" 503`, "...e"},
		{"key=value", "method=GET path=/login status=500 took=<*>", "eee."},
		{"method at the end", "request GET", ".."},
		{"method before a word", "GET started", ".."},
		{"upper-case word before a path", "ERROR /var/log/<*>", "ee"},
		{"no event", "user <*> logged in", "...."},
		{"digits with punctuation", "code 503, retry", "..."},
		{"single token", "200", "e"},
		{"OPTIONS star", `"OPTIONS * HTTP/1.1" 200`, "ee.e"},
		{"SQL star", "statement: SELECT * FROM orders", "....."},
		{"empty", "", ""},
	} {
		t.Run(test.name, func(t *testing.T) {
			var toks []string
			if test.tmpl != "" {
				toks = strings.Split(test.tmpl, " ")
			}
			ev := make([]bool, len(toks))
			eventtok.Mark(toks, ev)
			var got strings.Builder
			for _, e := range ev {
				if e {
					got.WriteByte('e')
				} else {
					got.WriteByte('.')
				}
			}
			if got.String() != test.want {
				t.Errorf("Mark(%q) = %s, want %s", test.tmpl, got.String(), test.want)
			}
		})
	}
}

// TestMark_keepsSet checks that Mark only sets entries: a caller's own
// event marks survive.
func TestMark_keepsSet(t *testing.T) {
	ev := []bool{true, false}
	eventtok.Mark([]string{"started", "<*>"}, ev)
	if !ev[0] || ev[1] {
		t.Errorf("Mark changed entries it does not mark: %v, want [true false]", ev)
	}
}

func TestKeyLen(t *testing.T) {
	for _, test := range []struct {
		s    string
		want int
	}{
		{"status=200", 7},
		{"req.id=<*>", 7},
		{"a-b_c=1", 6},
		{"=x", 0},
		{"no key", 0},
		{"a b=c", 0},
		{"200", 0},
		{strings.Repeat("k", 254) + "=v", 255},
		{strings.Repeat("k", 255) + "=v", 0}, // too long for a key
	} {
		if got := eventtok.KeyLen(test.s); got != test.want {
			t.Errorf("KeyLen(%.20q) = %d, want %d", test.s, got, test.want)
		}
	}
}

// TestMark_noAllocs pins that Mark does not allocate (the miners call it
// once per new template).
func TestMark_noAllocs(t *testing.T) {
	toks := strings.Split(`<*> - - <*> "GET /api/<*> HTTP/1.1" 200 <*> "-" <*>`, " ")
	ev := make([]bool, len(toks))
	if n := testing.AllocsPerRun(100, func() {
		eventtok.Mark(toks, ev)
		eventtok.Kept(`"GET /api/<*> HTTP/1.1"`)
	}); n != 0 {
		t.Errorf("Mark and Kept allocate %v times per call, want 0", n)
	}
}

func TestVerb(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"started", true}, {"Stopped", true}, {"running", true}, {"failed", true},
		{"alice", false}, {"bob", false}, {"red", false}, {"sing", false}, // too short
		{"STARTED", false}, {"re-started", false}, {"started.", false}, {"", false},
	}
	for _, tt := range tests {
		if got := eventtok.Verb(tt.s); got != tt.want {
			t.Errorf("Verb(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestCapitalized(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"Active", true}, {"Ok", true}, {"A", false}, {"", false},
		{"active", false}, {"ACTIVE", false}, {"Active2", false}, {"McDonald", false}, {"Émile", false},
	} {
		if got := eventtok.Capitalized(tt.in); got != tt.want {
			t.Errorf("Capitalized(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBracketDepth(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", 0}, {"ws=WorkSource{10024", 1}, {"com.google.android.gms}", -1},
		{"Intent", 0}, {"{", 1}, {"isr=List(2,", 1}, {"3),", -1}, {"f(a[{x}])", 0}, {")]}", -3}, {"<>", 0},
	} {
		if got := eventtok.BracketDepth(tt.in); got != tt.want {
			t.Errorf("BracketDepth(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDumpWord(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"IXSCAN", true}, {"Intent", true}, {"task_1", true}, {"", false},
		{"a-b", false}, {"x.y", false}, {"{", false}, {"<*>", false},
	} {
		if got := eventtok.DumpWord(tt.in); got != tt.want {
			t.Errorf("DumpWord(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

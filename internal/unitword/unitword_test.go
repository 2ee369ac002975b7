package unitword_test

import (
	"testing"

	"github.com/srex-dev/lipservice-go/internal/unitword"
	"github.com/srex-dev/lipservice-go/signature"
)

// units is the list of signature SPEC §3.1, written out from the SPEC.
var units = []string{
	"B", "kB", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB", "byte", "bytes",
	"ns", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
	"h", "hr", "hrs", "hour", "hours", "day", "days",
}

// TestIsAsSpec checks Is against the normalizer itself: a word is a unit
// exactly when "N word (N word)" is one compound quantity (SPEC §3.1).
func TestIsAsSpec(t *testing.T) {
	probe := func(w string) bool {
		return signature.Normalize("sent 12 "+w+" (3 "+w+") ok") == "sent <*> ok"
	}
	for _, u := range units {
		if !unitword.Is(u) {
			t.Errorf("Is(%q) = false, SPEC lists it", u)
		}
		if !probe(u) {
			t.Errorf("the normalizer does not treat %q as a unit", u)
		}
	}
	for _, w := range []string{"b", "Bytes", "kb", "mb", "S", "sent", "M", "d", "w", "m", "hours.", "", "msec", "millis"} {
		if unitword.Is(w) {
			t.Errorf("Is(%q) = true", w)
		}
		if probe(w) {
			t.Errorf("the normalizer treats %q as a unit, Is does not", w)
		}
	}
}

func TestToken(t *testing.T) {
	for _, c := range []struct {
		tok string
		n   int
		ok  bool
	}{
		{"ms", 2, true},
		{"ms,", 2, true},
		{"KB)", 2, true},
		{"sec).", 3, true},
		{"seconds;", 7, true},
		{"bytes'", 5, true},
		{")", 0, false},
		{"", 0, false},
		{"msg", 0, false},
		{"ms-", 0, false},
		{"(ms)", 0, false},
		{"sent,", 0, false},
	} {
		n, ok := unitword.Token(c.tok)
		if n != c.n || ok != c.ok {
			t.Errorf("Token(%q) = %d, %v; want %d, %v", c.tok, n, ok, c.n, c.ok)
		}
	}
}

func TestAfter(t *testing.T) {
	for _, c := range []struct {
		tok  string
		want bool
	}{
		{"<*>", true},
		{"(<*>", true},
		{"size=<*>", true},
		{"<*>,", false},
		{"took", false},
		{"<*", false},
		{"", false},
	} {
		if got := unitword.After(c.tok); got != c.want {
			t.Errorf("After(%q) = %v, want %v", c.tok, got, c.want)
		}
	}
}

func TestAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { unitword.Token("seconds,"); unitword.After("size=<*>") }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

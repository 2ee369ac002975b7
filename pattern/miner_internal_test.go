package pattern

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/signature"
)

// TestMiner_longMessageNotHeld checks that the buffers a long message grew
// are dropped after its placement (the package doc's memory bound).
func TestMiner_longMessageNotHeld(t *testing.T) {
	m := New()
	long := "blob " + strings.Repeat("x", 200<<10)
	m.ID(signature.Of(long), long)
	if cap(m.norm) > maxBuffer || cap(m.buf) > maxBuffer {
		t.Fatalf("buffers held after a 200 KiB message: norm %d, buf %d bytes", cap(m.norm), cap(m.buf))
	}
	short := "a short message"
	m.ID(signature.Of(short), short)
	if cap(m.norm) == 0 {
		t.Fatal("a short message's buffer is kept for the next placement")
	}
}

// TestQualifiedPair: a qualified name has a '.' or '/' between two parts
// and a lower-case letter in its last part; a pair needs two different
// names with the same punctuation after them.
func TestQualifiedPair(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"shop.carts", "analytics.events", true},
		{"nginx.service:", "cart.service:", true},
		{"orders/show.html.erb", "carts/index.html.erb", true},
		{"com.tencent.mm/.ui.LauncherUI", "com.android.settings/.Settings", true},
		{"shop.carts", "shop.carts", false},                                            // the same name
		{"shop.carts,", "shop.orders", false},                                          // another frame
		{"done.", "finished.", false},                                                  // sentence words
		{"v1.2", "v1.3", false},                                                        // the last part has no lower-case letter
		{"android.intent.action.SCREEN_ON", "android.intent.action.SCREEN_OFF", false}, // constants
		{"alice", "bob", false},                                                        // plain words
		{"shop.<*>", "shop.carts", false},                                              // a masked part
	}
	for _, tt := range tests {
		if got := qualifiedPair(tt.a, tt.b); got != tt.want {
			t.Errorf("qualifiedPair(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestFilled: a token with a variable and delimiters covers the same
// token with a non-empty value in the variable's place; nothing else.
func TestFilled(t *testing.T) {
	tests := []struct {
		w, t string
		want bool
	}{
		{"(<*>):", "(eth0):", true},
		{"'<*>'", "'office'", true},
		{"(<*>-<*>)", "(a-b)", true},
		{"(<*>-<*>)", "(a-b-c)", true},
		{"[<*>],", "[main],", true},
		{"(<*>)", "(<*>-x)", true},
		{"(<*>)", "()", false},        // empty: see emptied
		{"(<*>-<*>)", "(ab)", false},  // the frame differs
		{"(<*>):", "(eth0)", false},   // the frame differs
		{"<*>,", "LOCAL(<*>),", true}, // a variable and its delimiter
		{"<*>)", "eth0)", true},
		{"<*>)", ")", false}, // empty: the end of a group of several tokens
		{"(<*>", "(eth0", true},
		{"(x)", "(y)", false}, // no variable
		{"(<*>)", "[eth0]", false},
	}
	for _, tt := range tests {
		if got := filled(tt.w, tt.t); got != tt.want {
			t.Errorf("filled(%q, %q) = %v, want %v", tt.w, tt.t, got, tt.want)
		}
	}
}

// TestClassifyWild checks the one-scan classifier against its definition:
// classify, and whether the token holds "<*>".
func TestClassifyWild(t *testing.T) {
	for _, s := range []string{"", "<*>", "<*><*>", "word", "Word.x", "a=b", "x<*>", "<*>y", "(<*>)", "a<*>b=", "1<*>", "<*>1", "<*", "*>", "a<*", "ab<*>cd<*>", "é<*>", "<*>é"} {
		kind, has := classifyWild(s)
		if want := classify(s); kind != want {
			t.Errorf("classifyWild(%q) kind = %d, classify = %d", s, kind, want)
		}
		if want := strings.Contains(s, "<*>"); has != want {
			t.Errorf("classifyWild(%q) wild = %v, want %v", s, has, want)
		}
	}
}

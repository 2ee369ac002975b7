package cluster_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/unitword"
	"github.com/srex-dev/lipservice-go/signature"
)

// covers reports whether template covers the normalized message tmpl: the
// same number of space-separated tokens, each equal or matched by a template
// token in which every <*> stands for any string; or, for a tail pattern,
// fewer template tokens, the last of which holds a <*> and matches the rest
// of tmpl joined by spaces. A unit word after a variable belongs to the
// variable (miner_unit.go): when the tokens differ, both are compared
// again without such units ("took <*>" covers "took <*> ms").
func covers(template, tmpl string) bool {
	if template == "" || tmpl == "" {
		return template == tmpl
	}
	a, b := strings.Split(template, " "), strings.Split(tmpl, " ")
	// A span <*> (miner_span.go) stands for one or more tokens inside the
	// template: the whole text then globs.
	return coversTokens(a, b) || coversTokens(dropUnits(a), dropUnits(b)) ||
		glob(strings.Join(dropUnits(a), " "), strings.Join(dropUnits(b), " "))
}

// dropUnits removes from toks each unit token (internal/unitword) that
// follows a token ending in <*>, moving its closing punctuation to that
// token.
func dropUnits(toks []string) []string {
	var out []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) && strings.HasSuffix(t, signature.Wildcard) {
			if k, ok := unitword.Token(toks[i+1]); ok {
				t += toks[i+1][k:]
				i++
			}
		}
		out = append(out, t)
	}
	return out
}

func coversTokens(a, b []string) bool {
	if len(a) < len(b) && strings.Contains(a[len(a)-1], signature.Wildcard) {
		b = append(b[:len(a)-1:len(a)-1], strings.Join(b[len(a)-1:], " "))
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !glob(a[i], b[i]) {
			return false
		}
	}
	return true
}

func glob(p, s string) bool {
	i := strings.Index(p, signature.Wildcard)
	if i < 0 {
		return p == s
	}
	if !strings.HasPrefix(s, p[:i]) {
		return false
	}
	rest := p[i+len(signature.Wildcard):]
	for k := i; k <= len(s); k++ {
		if glob(rest, s[k:]) {
			return true
		}
	}
	return false
}

func TestCovers(t *testing.T) {
	tests := []struct {
		template, tmpl string
		want           bool
	}{
		{"a <*> c", "a b c", true},
		{"a <*> c", "a b", false},
		{"user=<*>", "user=bob", true},
		{"(<*>)", "[x]", false},
		{"Started <*>.", "Started a b c.", true},
		{"Started <*>.", "Started a b c", false},
		{"a b", "a b c", false},
		{"", "", true},
		{"a", "", false},
	}
	for _, test := range tests {
		if got := covers(test.template, test.tmpl); got != test.want {
			t.Errorf("covers(%q, %q) = %v, want %v", test.template, test.tmpl, got, test.want)
		}
	}
}

// FuzzMiner adds three messages and the first one again to a fresh Miner and
// checks that nothing panics, that adding the same message twice gives the
// same pattern, that every pattern's template covers the template of each
// of its messages (as Add returned it and as Match finds it later), and
// that the pattern's signature is that of its template.
func FuzzMiner(f *testing.F) {
	seeds := [][3]string{
		{"Failed password for root from 1.2.3.4", "Failed password for admin from 1.2.3.5", "Failed password for guest from 1.2.3.6"},
		{"login ok user=alice tty=ssh", "login ok user=bob tty=ssh", "login ok user=carol tty=ssh"},
		{"(root) CMD run parts", "(news) CMD run parts", "(cyrus) CMD run parts"},
		{"", "   ", "a"},
		{"a <*> b", "a x b", "a y<*> b"},
		{"Started Session 12 of User alice.", "Started Daily apt download activities.", "Started Cleanup of Temporary Directories."}, // a tail pattern
		{"Resolved [a b]", "Resolved [c]", "Resolved [d e f]"},
		{"state is 'Active'", "state is 'Inactive'", "state is 'Active'"},
		{"x=1 y=[a]", "x=2 y=[b]", "x=3 y=[c]"},
		{"(A CMD run parts", "(B CMD run parts", "(0 CMD run parts"}, // gave "(<<*>> CMD run parts"
		{"state is 'Active'", "state is 'Inactive'", "state is 5"},   // folds the two patterns it covers
		{"node-D1 has detected net 5.5.224.0", "node-128 has detected net 5.5.226.0", "node-D7 has detected net 5.5.224.0"},
		{"took 1 ms statement: SELECT a FROM t", "took 2 ms statement: UPDATE t SET a = 1", "took 3 ms statement: DELETE FROM t"},                        // a key tail
		{"partition p is Obj(a=1, l=List(1, 2))", "partition q is Obj(a=2, l=List(1))", "partition r is Obj(a=3, l=List(1, 2, 3))"},                      // an object dump
		{"ISR from 1,2,3 to 1,2.", "ISR from 3,1 to 3.", "ISR from 2,1 to 2,1,3."},                                                                       // lists of variable length
		{"conn <0.1.0> user 'billing'", "conn <0.2.0> user 'shop'", "Proxy x started."},                                                                  // angle brackets, an -ing name
		{`{"level":"info","msg":"job done","host":"a"}`, `{"level":"info","msg":"job done","host":"b"}`, `{"level":"info","msg":"job done","host":"c"}`}, // JSON members
		{"took 1 ms then 2 s", "took 3 s then 4 s", "took 5 then 6 s"},                                                                                   // units after a variable
		{"x close, 0 bytes sent, lifetime <1 sec", "y close, 1190 bytes (1.16 KB) sent, lifetime 00:02", "z close, 3 bytes sent, lifetime 01:13"},        // Proxifier
		{`{"u":{"n":"a","g":["x"]},"m":{},"t":true}`, `{"u":{"n":"b","g":["x","y"]},"m":{},"t":false}`, `{"a b":"c \"d\" e"}`},                           // nested, arrays, escapes
		// a variable span
		{"a.exe - h.example.com:443 open through proxy p.example.edu:80 HTTPS", "a.exe *64 - i.example.com:443 open through proxy p.example.edu:80 HTTPS", "b.exe - j.example.com:80 open through proxy p.example.edu:80 HTTPS"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		m := cluster.NewMiner(cluster.WithMaxPatterns(8))
		msgs := []string{a, b, c}
		var first cluster.Pattern
		for i, msg := range msgs {
			p := m.Add(msg)
			if i == 0 {
				first = p
			}
			if p.ID == 0 {
				t.Fatalf("Add(%q) returned no pattern", msg)
			}
			if !covers(p.Template, signature.Normalize(msg)) {
				t.Errorf("Add(%q): template %q does not cover %q", msg, p.Template, signature.Normalize(msg))
			}
		}
		again := m.Add(a)
		if p, _ := m.Match(a); again.ID != p.ID {
			t.Errorf("Add(%q) again gave pattern %d, Match gives %d", a, again.ID, p.ID)
		}
		if again2 := m.Add(a); again2.ID != again.ID || again2.Count != again.Count+1 {
			t.Errorf("Add(%q) twice: pattern %d count %d, then %d count %d", a, again.ID, again.Count, again2.ID, again2.Count)
		}
		if first.ID != again.ID {
			// Allowed only when the first pattern was merged into another.
			if _, ok := m.Pattern(first.ID); ok {
				t.Errorf("Add(%q) first gave live pattern %d, later %d", a, first.ID, again.ID)
			}
		}
		for _, msg := range msgs {
			p, ok := m.Match(msg)
			if !ok {
				t.Errorf("Match(%q) found no pattern after Add", msg)
				continue
			}
			if !covers(p.Template, signature.Normalize(msg)) {
				t.Errorf("Match(%q): template %q does not cover %q", msg, p.Template, signature.Normalize(msg))
			}
			if p.Signature != signature.OfTemplate(p.Template) {
				t.Errorf("pattern %d: signature %v is not that of %q", p.ID, p.Signature, p.Template)
			}
		}
	})
}

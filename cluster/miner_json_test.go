package cluster

import (
	"slices"
	"testing"
)

func TestJSONTokens(t *testing.T) {
	tests := []struct {
		in   string
		toks []string
		glue []bool // nil: not split as a JSON object
	}{
		{`{"a":1,"b":"x"}`, []string{`{"a":`, `1,`, `"b":`, `"x"}`}, []bool{true, true, true, false}},
		// Words of a string value are split at spaces; keys and member
		// boundaries are glued.
		{`{"msg":"cache warmed","n":<*>}`, []string{`{"msg":`, `"cache`, `warmed",`, `"n":`, `<*>}`}, []bool{true, false, true, true, false}},
		// A nested object is flattened; an array is one value.
		{`{"u":{"name":"<*>","g":["a","b c"]},"ok":true}`, []string{`{"u":`, `{"name":`, `"<*>",`, `"g":`, `["a","b c"]},`, `"ok":`, `true}`}, []bool{true, true, true, true, true, true, false}},
		{`{"m":{},"c":200}`, []string{`{"m":`, `{},`, `"c":`, `200}`}, []bool{true, true, true, false}},
		// Separators inside strings and escaped quotes do not split.
		{`{"k":"a,b:c \"d\"","z":0}`, []string{`{"k":`, `"a,b:c`, `\"d\"",`, `"z":`, `0}`}, []bool{true, false, true, true, false}},
		// A key with a space stays one token.
		{`{"a b":1}`, []string{`{"a b":`, `1}`}, []bool{true, false}},
		// Not a compact JSON object: split at spaces as any message.
		{`{"a": 1, "b": 2}`, []string{`{"a":`, `1,`, `"b":`, `2}`}, nil},
		{`{"a":1} trailing {x}`, []string{`{"a":1}`, `trailing`, `{x}`}, nil},
		{`{"a":"open}`, []string{`{"a":"open}`}, nil},
		{`{"a":[1}`, []string{`{"a":[1}`}, nil},
		{`{}`, []string{`{}`}, nil},
		{`plain message here`, []string{`plain`, `message`, `here`}, nil},
	}
	for _, tt := range tests {
		toks, glue := tokenize(tt.in)
		if !slices.Equal(toks, tt.toks) || !slices.Equal(glue, tt.glue) || (glue == nil) != (tt.glue == nil) {
			t.Errorf("tokenize(%s) = %q %v, want %q %v", tt.in, toks, glue, tt.toks, tt.glue)
			continue
		}
		if glue != nil {
			if got := joinTokens(toks, glue); got != tt.in {
				t.Errorf("joinTokens(tokenize(%s)) = %s", tt.in, got)
			}
		}
	}
}

func TestJSONTokensNoPanic(t *testing.T) {
	for _, in := range []string{`{`, `}`, `{"`, `{"\`, `{]`, `{[}`, `{"a":"b\"}`, `{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}`, `{" ":" "}`, `{"a":"  b  "}`} {
		toks, glue := tokenize(in)
		if glue != nil && len(glue) != len(toks) {
			t.Errorf("tokenize(%s): %d tokens, %d glue flags", in, len(toks), len(glue))
		}
	}
}

// TestMinerJSONMembers mines JSON objects member by member: a member whose
// values vary becomes "<*>" inside its quotes, the template keeps the
// object's punctuation without spaces, and objects with other keys or
// another message stay other patterns.
func TestMinerJSONMembers(t *testing.T) {
	m := NewMiner()
	lines := []string{
		`{"level":"info","msg":"job done","queue":"mail","host":"alpha"}`,
		`{"level":"info","msg":"job done","queue":"mail","host":"beta"}`,
		`{"level":"info","msg":"job done","queue":"mail","host":"gamma"}`,
		`{"level":"info","msg":"job failed badly","queue":"mail","host":"alpha"}`,
		`{"level":"info","msg":"job done","topic":"mail","host":"alpha"}`,
	}
	for _, l := range lines {
		m.Add(l)
	}
	want := []string{
		`{"level":"info","msg":"job done","queue":"mail","host":"<*>"}`,
		`{"level":"info","msg":"job done","queue":"mail","host":"<*>"}`,
		`{"level":"info","msg":"job done","queue":"mail","host":"<*>"}`,
		`{"level":"info","msg":"job failed badly","queue":"mail","host":"alpha"}`,
		`{"level":"info","msg":"job done","topic":"mail","host":"alpha"}`,
	}
	for i, l := range lines {
		p, ok := m.Match(l)
		if !ok || p.Template != want[i] {
			t.Errorf("Match(%s) = %q, %v; want %q", l, p.Template, ok, want[i])
		}
	}
	if m.Len() != 3 {
		t.Errorf("%d patterns, want 3", m.Len())
	}
	// A snapshot restores the member tokens: a new value joins.
	data, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	r := NewMiner()
	if err := r.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if p := r.Add(`{"level":"info","msg":"job done","queue":"mail","host":"delta"}`); p.Template != want[0] || p.Count != 4 {
		t.Errorf("after restore: %q count %d, want %q count 4", p.Template, p.Count, want[0])
	}
}

// TestMinerJSONKeysNotCounted checks that an object's keys do not count in
// its similarity: a message field that differs in two of its four words
// stays apart, as the plain message of the object's values does.
func TestMinerJSONKeysNotCounted(t *testing.T) {
	for _, lines := range [][]string{
		{`{"level":"info","msg":"job red cat done"}`, `{"level":"info","msg":"job green dog done"}`, `{"level":"info","msg":"job blue cow done"}`, `{"level":"info","msg":"job gray owl done"}`},
		{`info job red cat done`, `info job green dog done`, `info job blue cow done`, `info job gray owl done`},
	} {
		m := NewMiner()
		for _, l := range lines {
			m.Add(l)
		}
		if m.Len() != len(lines) {
			t.Errorf("%q: %d patterns, want %d", lines, m.Len(), len(lines))
		}
	}
}

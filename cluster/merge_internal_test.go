package cluster

import "testing"

func TestMergeToken(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"(A", "(B", "(<*>"},
		{"(<*>", "(<*>", "(<*>"},
		{"(<*>", "(B", "(<*>"},
		{"(A", "(<*>", "(<*>"},
		{"x=<*>", "x=<*>", "x=<*>"},
		{"<*>:1", "<*>:2", "<*>:<*>"},
		{"[a]", "[b]", "[<*>]"},
		{"id=42", "id=7", "id=<*>"},
		{"a", "b", "<*>"},
		{"<*>", "x", "<*>"},
		{"<<*>>", "<x>", "<<*>>"},
		{"path=kubernetes/", "path=approle/", "path=<*>"},
		{"kubernetes/", "approle/", "<*>"},
		{"/a/b", "/a/c", "/a/<*>"},
		{"a/x/", "b/x/", "<*>/x/"},
		{"<*>,<*>,<*>", "<*>,<*>", "<*>"},    // a list of variable length
		{"<*>,<*>.", "<*>,<*>,<*>.", "<*>."}, // with its closing punctuation
		{"[<*>,<*>]", "[<*>]", "[<*>]"},      // brackets are not closing punctuation of a bare list
		// A name that prefixes a masked value is part of it: one <*>,
		// with the quotes and closing punctuation around it.
		{"tcp:<*>", "unix:<*>", "<*>"},
		{`"cart:<*>",`, `"product:<*>",`, `"<*>",`},
		{"events,<*>,<*>.", "usertable,<*>,<*>.", "<*>."},
	}
	for _, test := range tests {
		if got := mergeToken(test.a, test.b); got != test.want {
			t.Errorf("mergeToken(%q, %q) = %q, want %q", test.a, test.b, got, test.want)
		}
	}
}

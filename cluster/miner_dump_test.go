package cluster

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestJoinDumps(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // the tokens, written by hand
	}{
		{"glued bracket", "acquire name=gms, ws=WorkSource{<*> com.google.android.gms}, uid=<*>",
			[]string{"acquire", "name=gms,", "ws=WorkSource{<*> com.google.android.gms},", "uid=<*>"}},
		{"spaced bracket after a word", "intent=Intent { act=a.START cmp=a/.S } flags=<*>",
			[]string{"intent=Intent { act=a.START cmp=a/.S }", "flags=<*>"}},
		{"nested brackets", "plan=IXSCAN { a: { b: <*> } } ms=<*>",
			[]string{"plan=IXSCAN { a: { b: <*> } }", "ms=<*>"}},
		{"closed in its token", "ws=WorkSource{<*>} uid=<*>",
			[]string{"ws=WorkSource{<*>}", "uid=<*>"}},
		{"a dump that ends the message is left to the tail rules", "error UserInfo={NSDescription=query missing class name}",
			[]string{"error", "UserInfo={NSDescription=query", "missing", "class", "name}"}},
		{"a key inside an open bracket is a field of an enclosing dump", "is LeaderAndIsr(leader=<*>, isr=List(<*>, <*>), zk=<*>) now",
			[]string{"is", "LeaderAndIsr(leader=<*>,", "isr=List(<*>,", "<*>),", "zk=<*>)", "now"}},
		{"no key", "users Set(yarn, curi); done",
			[]string{"users", "Set(yarn,", "curi);", "done"}},
		{"never closed", "ws=WorkSource{<*> gms uid=<*>",
			[]string{"ws=WorkSource{<*>", "gms", "uid=<*>"}},
		{"closed below zero", "a=x { b)) c d",
			[]string{"a=x", "{", "b))", "c", "d"}},
		{"a word then a token that is not only a bracket", "a=x {y} z",
			[]string{"a=x", "{y}", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, joinDumps(splitTokens(tt.in)))
		})
	}
}

func TestJoinDumpsBounded(t *testing.T) {
	// A bracket that closes past maxDumpTokens is no dump.
	long := "a=x{" + strings.Repeat("w ", maxDumpTokens) + "} z"
	toks := joinDumps(splitTokens(long))
	assert.Equal(t, "a=x{w", toks[0])
	assert.Len(t, toks, maxDumpTokens+2) // a=x{w, 31 w, } and z: unjoined
	// One token fewer inside, and it closes within the bound.
	short := "a=x{" + strings.Repeat("w ", maxDumpTokens-2) + "} z"
	assert.Len(t, joinDumps(splitTokens(short)), 2)
}

func TestDumpPair(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"ws=WorkSource{<*> com.google.android.gms},", "ws=<*>,", true},
		{"ws=WorkSource{<*> com.google.android.gms},", "ws=null,", true},
		{"intent=Intent { act=a cmp=b }", "intent=Intent { cmp=c }", true},
		{"plan=IXSCAN { email: <*> }", "plan=COLLSCAN", true},
		{"ws=WorkSource{<*> gms},", "ws=<*>", false},   // different punctuation after the value
		{"ws=WorkSource{<*> gms},", "wk=<*>,", false},  // different keys
		{"ws=WorkSource{<*> gms}", "ws=failed", false}, // an event word names the event
		{"ws=WorkSource{<*>},", "ws=<*>,", false},      // no dump: no space
		{"ws WorkSource{<*> gms},", "ws=<*>,", false},  // no key
		{"ws=WorkSource{<*> gms},", "ws=,", false},     // an empty value
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, dumpPair(tt.a, tt.b), "dumpPair(%q, %q)", tt.a, tt.b)
		assert.Equal(t, tt.want, dumpPair(tt.b, tt.a), "dumpPair(%q, %q)", tt.b, tt.a)
	}
	assert.Equal(t, "ws=<*>,", mergeToken("ws=WorkSource{<*> gms},", "ws=<*>,"))
	assert.Equal(t, "intent=<*>", mergeToken("intent=Intent { act=a cmp=b }", "intent=Intent { cmp=c }"))
}

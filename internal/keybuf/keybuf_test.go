package keybuf_test

import (
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
)

func TestJoin(t *testing.T) {
	var b keybuf.Buffer
	pLen := b.Reset("req.")
	if pLen != 4 {
		t.Fatalf("Reset returned %d, want 4", pLen)
	}
	off, ok := b.Join(0, pLen, "user", true) // "req.user."
	if !ok || b.String(off, pLen+len("user")+1) != "req.user." {
		t.Fatalf("group join = %q, %v", b.String(off, 9), ok)
	}
	off2, ok := b.Join(off, 9, "id", false)
	if got := b.String(off2, 11); !ok || got != "req.user.id" {
		t.Errorf("key join = %q, %v; want req.user.id", got, ok)
	}
	if got := b.String(0, 0); got != "" {
		t.Errorf("String(0, 0) = %q, want empty", got)
	}
}

func TestOverflow(t *testing.T) {
	var b keybuf.Buffer
	if got := b.Reset(strings.Repeat("x", keybuf.MaxBytes+1)); got != 0 {
		t.Errorf("an oversized prefix was written (%d bytes)", got)
	}
	long := strings.Repeat("k", keybuf.MaxBytes-2)
	if _, ok := b.Join(0, 0, long, false); !ok {
		t.Fatal("a key that fits was refused")
	}
	if _, ok := b.Join(0, 0, "abc", false); ok {
		t.Error("a key past MaxBytes was accepted")
	}
}

func TestJoinAllocs(t *testing.T) {
	var b keybuf.Buffer
	n := testing.AllocsPerRun(100, func() {
		p := b.Reset("g.")
		off, _ := b.Join(0, p, "key", false)
		_ = b.String(off, p+3)
	})
	if n != 0 {
		t.Errorf("%v allocs per record, want 0", n)
	}
}

package fnv

import (
	"hash/fnv"
	"testing"
)

func TestMatchesStdlib(t *testing.T) {
	for _, s := range []string{"", "a", "foobar", "PacketResponder <*> for block <*> terminating", "\x00\xff"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := String(s), h.Sum64(); got != want {
			t.Errorf("String(%q) = %#x, want %#x (hash/fnv)", s, got, want)
		}
		if got, want := AddBytes(Offset64, []byte(s)), h.Sum64(); got != want {
			t.Errorf("AddBytes(%q) = %#x, want %#x", s, got, want)
		}
	}
}

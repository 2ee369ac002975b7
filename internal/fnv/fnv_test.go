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

// TestMix checks Mix against the SplitMix64 reference outputs: the
// first values of the generator seeded with 0, whose state advances by the
// golden gamma 0x9e3779b97f4a7c15 before each output (Vigna's splitmix64.c).
func TestMix(t *testing.T) {
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	var state uint64
	for i, w := range want {
		state += 0x9e3779b97f4a7c15
		if got := Mix(state); got != w {
			t.Errorf("output %d: got %#x, want %#x", i, got, w)
		}
	}
}

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

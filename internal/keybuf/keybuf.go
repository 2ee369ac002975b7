package keybuf

import "unsafe"

// MaxBytes bounds the bytes of qualified keys built per record. Keys that do
// not fit are passed less qualified (see [Buffer.Join]).
const MaxBytes = 256

// Buffer is a fixed array of key bytes and how much of it is in use. The
// zero Buffer is empty and ready. A Buffer is used by one goroutine at a
// time; strings returned by [Buffer.String] alias its bytes and stay valid
// until the Buffer is reset or reused.
type Buffer struct {
	n   int // buf[:n] are in use
	buf [MaxBytes]byte
}

// Reset empties b and writes prefix at its start, returning the prefix's
// length; a prefix longer than MaxBytes is not written (0 is returned).
func (b *Buffer) Reset(prefix string) (pLen int) {
	b.n = 0
	if len(prefix) <= MaxBytes {
		b.n = copy(b.buf[:], prefix)
	}
	return b.n
}

// Join appends buf[pOff:pOff+pLen] + key (+ "." if dot) and returns where
// the result starts, if it fits.
func (b *Buffer) Join(pOff, pLen int, key string, dot bool) (off int, ok bool) {
	n := pLen + len(key)
	if dot {
		n++
	}
	off = b.n
	if off+n > MaxBytes {
		return 0, false
	}
	copy(b.buf[off:], b.buf[pOff:pOff+pLen])
	copy(b.buf[off+pLen:], key)
	if dot {
		b.buf[off+n-1] = '.'
	}
	b.n = off + n
	return off, true
}

// String returns buf[off:off+n] as a string that aliases b's bytes: the
// adapters pass it to the sampler, which retains nothing a Record points to,
// and b is not reused before the decision returns.
func (b *Buffer) String(off, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&b.buf[off], n)
}

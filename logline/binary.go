package logline

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// SniffBytes is how much of the start of an input [Binary] should see.
const SniffBytes = 8 << 10

// maxInvalidShare is the share of the bytes of a block, in invalid UTF-8
// sequences, above which [Binary] calls it binary. Log text in a legacy
// 8-bit encoding (Latin-1 names, say) has a few such bytes; executables,
// images and compressed data have about half.
const maxInvalidShare = 0.3

// Binary reports whether b, the first block of an input (up to
// [SniffBytes]), is not text: it holds a NUL byte, which no text log
// contains but nearly every binary format does in its first kilobytes, or
// more than 30 % of its bytes are not valid UTF-8. reason says which, for
// an error message. A block cut in the middle of a UTF-8 sequence is not
// penalised for the cut.
func Binary(b []byte) (reason string, binary bool) {
	if len(b) == 0 {
		return "", false
	}
	invalid := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c == 0 {
			return "a NUL byte at offset " + strconv.Itoa(i), true
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if !utf8.FullRune(b[i:]) {
				break // cut at the end of the block
			}
			invalid++
		}
		i += n
	}
	if float64(invalid) > maxInvalidShare*float64(len(b)) {
		return strconv.Itoa(100*invalid/len(b)) + " % of the first " + strconv.Itoa(len(b)) + " bytes are not UTF-8", true
	}
	return "", false
}

// Printable returns s with every byte or rune that would disturb a
// terminal or a text table escaped: control characters (tab and newline
// included) and other non-printing runes as \t, \n, \r or \uXXXX,
// and bytes that are not valid UTF-8 as \xXX. Printable text is returned
// unchanged without allocating.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !unicode.IsPrint(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\x`...)
			b = append(b, hexDigits[s[i]>>4], hexDigits[s[i]&15])
		case r == '\t':
			b = append(b, `\t`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case !unicode.IsPrint(r):
			b = append(b, `\u`...)
			for shift := 12; shift >= 0; shift -= 4 {
				b = append(b, hexDigits[(r>>shift)&15])
			}
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

const hexDigits = "0123456789abcdef"

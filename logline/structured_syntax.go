package logline

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// add records a field, if there is room.
func (sc *Scratch) add(key, val string, kind uint8) {
	if sc.n < maxFields && key != "" {
		sc.fields[sc.n] = field{key: key, val: val, kind: kind}
		sc.n++
	}
}

// object scans the members of a JSON object whose '{' is at s[i-1], with
// keys qualified by kb[pOff:pOff+pLen], and returns the index after its
// '}'.
func (sc *Scratch) object(s string, i, pOff, pLen, depth int) (int, bool) {
	i = skipWS(s, i)
	if i < len(s) && s[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return i, false
		}
		kEnd, esc, ok := stringEnd(s, i+1)
		if !ok {
			return i, false
		}
		key := s[i+1 : kEnd]
		_ = esc // keys are compared as written
		i = skipWS(s, kEnd+1)
		if i >= len(s) || s[i] != ':' {
			return i, false
		}
		i = skipWS(s, i+1)
		if i >= len(s) {
			return i, false
		}
		qual := key
		if pLen > 0 {
			if off, ok := sc.kb.Join(pOff, pLen, key, false); ok {
				qual = sc.kb.String(off, pLen+len(key))
			}
		}
		switch c := s[i]; {
		case c == '"':
			end, esc, ok := stringEnd(s, i+1)
			if !ok {
				return end, false
			}
			kind := vString
			if esc {
				kind = vStringEsc
			}
			sc.add(qual, s[i+1:end], kind)
			i = end + 1
		case c == '{' && depth+1 < maxDepth:
			gOff, gLen := pOff, pLen
			if off, ok := sc.kb.Join(pOff, pLen, key, true); ok {
				gOff, gLen = off, pLen+len(key)+1
			}
			end, ok := sc.object(s, i+1, gOff, gLen, depth+1)
			if !ok {
				return end, false
			}
			i = end
		case c == '{' || c == '[':
			end, ok := skipComposite(s, i)
			if !ok {
				return end, false
			}
			sc.add(qual, s[i:end], vComposite)
			i = end
		default:
			j := i
			for j < len(s) && !jsonDelim(s[j]) {
				j++
			}
			if j == i {
				return j, false
			}
			kind := vLiteral
			if isDigit(c) || c == '-' {
				kind = vNumber
			}
			sc.add(qual, s[i:j], kind)
			i = j
		}
		i = skipWS(s, i)
		if i >= len(s) {
			return i, false
		}
		switch s[i] {
		case ',':
			i = skipWS(s, i+1)
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

func jsonDelim(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == ':'
}

// stringEnd returns the index of the '"' that closes a string starting at
// s[i], and whether the string has escapes.
func stringEnd(s string, i int) (end int, esc, ok bool) {
	for {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return len(s), esc, false
		}
		end = i + j
		if k := strings.IndexByte(s[i:end], '\\'); k < 0 {
			return end, esc, true
		}
		esc = true
		// Count the backslashes right before the quote.
		n := 0
		for k := end - 1; k >= i && s[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return end, esc, true
		}
		i = end + 1
	}
}

// skipComposite returns the index after the array or object at s[i].
func skipComposite(s string, i int) (int, bool) {
	depth := 0
	for i < len(s) {
		switch s[i] {
		case '"':
			end, _, ok := stringEnd(s, i+1)
			if !ok {
				return end, false
			}
			i = end + 1
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return i, false
}

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// minLogfmtPairs is the number of key=value pairs a line needs to be read
// as logfmt: one pair ("status=ok") is as likely a plain message.
const minLogfmtPairs = 2

// logfmt scans s as logfmt: space-separated key=value pairs, a value bare
// or double-quoted with backslash escapes, every token a pair. A line
// whose first minLogfmtPairs tokens are pairs but that later breaks the
// syntax (an unterminated quote, a bare word) is Malformed; a line that
// breaks it earlier is Plain.
func (sc *Scratch) logfmt(s string) Kind {
	pairs := 0
	i := 0
	for i < len(s) {
		i = skipWS(s, i)
		if i >= len(s) {
			break
		}
		k := i
		for i < len(s) && s[i] > ' ' && s[i] != '=' && s[i] != '"' {
			i++
		}
		if i == k || i >= len(s) || s[i] != '=' {
			return badLogfmt(pairs)
		}
		key := s[k:i]
		i++ // '='
		if i < len(s) && s[i] == '"' {
			end, esc, ok := stringEnd(s, i+1)
			if !ok {
				return badLogfmt(pairs)
			}
			kind := vString
			if esc {
				kind = vStringEsc
			}
			sc.add(key, s[i+1:end], kind)
			i = end + 1
			if i < len(s) && s[i] != ' ' && s[i] != '\t' {
				return badLogfmt(pairs)
			}
		} else {
			v := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				if s[i] == '"' {
					return badLogfmt(pairs)
				}
				i++
			}
			kind := vString
			if v < i && (isDigit(s[v]) || s[v] == '-') {
				kind = vNumber
				for j := v + 1; j < i; j++ {
					if !isDigit(s[j]) && s[j] != '.' {
						kind = vString
						break
					}
				}
			}
			sc.add(key, s[v:i], kind)
		}
		pairs++
	}
	if pairs < minLogfmtPairs {
		return Plain
	}
	return Logfmt
}

func badLogfmt(pairs int) Kind {
	if pairs >= minLogfmtPairs {
		return Malformed
	}
	return Plain
}

// appendUnescape appends s with JSON / Go-quoted escapes resolved: \" \\
// \/ \b \f \n \r \t \uXXXX (with surrogate pairs) and \xHH. An unknown or
// cut escape is kept as written.
func appendUnescape(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case '"', '\\', '/':
			dst = append(dst, s[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'x':
			if v, ok := hexN(s, i+1, 2); ok {
				dst = append(dst, byte(v))
				i += 2
			} else {
				dst = append(dst, '\\', 'x')
			}
		case 'u':
			v, ok := hexN(s, i+1, 4)
			if !ok {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += 4
			r := rune(v)
			if r >= 0xD800 && r < 0xDC00 && i+6 < len(s)+0 && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if lo, ok := hexN(s, i+3, 4); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
					i += 6
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, '\\', s[i])
		}
	}
	return dst
}

// hexN reads n hex digits at s[i:].
func hexN(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// trimSpaceASCII trims ASCII white space.
func trimSpaceASCII(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
		j--
	}
	return s[i:j]
}

// unsafeString returns b as a string without copying; b must not change
// while the string is in use.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

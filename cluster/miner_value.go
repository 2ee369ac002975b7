package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/eventtok"
	"github.com/srex-dev/lipservice-go/signature"
)

// valuePair reports whether two differing template tokens a and b sit in a
// value position: both carry the same key= prefix (a name of letters,
// digits, '_', '.' or '-' then '='; [eventtok.KeyLen]; one of the values
// may be empty), or both are one
// quoted word ('x' or "x", possibly followed by the same closing
// punctuation, as in `zone "login",`), and neither value is an event word
// ([isEventWord]). Such a token names its own role (the key, or the quotes
// a program puts around a value it inserts), so what changes inside is a
// value, not the event: two messages that differ only there are one event
// (see [Miner]). Two names that prefix the same masked value
// ([namePair]: tcp:<*> and unix:<*>) or tag it in brackets ([idPair])
// are values too. A bare word has no such mark, and there the miner still
// waits for three values.
func valuePair(a, b string) bool {
	// Most differing tokens are bare words: reject them before any scan.
	if a == "" || b == "" {
		return false
	}
	if !markedValue(a) || !markedValue(b) {
		return idPair(a, b) || namePair(a, b)
	}
	if strings.Contains(a, signature.Wildcard) || strings.Contains(b, signature.Wildcard) {
		// A value the normalizer masked in part has a shape of its own
		// (tty=:<*> is not tty=NODEVssh): no evidence of one event,
		// unless both name the kind of the same masked value
		// ("cart:<*>", "product:<*>").
		return namePair(a, b)
	}
	// Strip the closing punctuation both share (code=exited, and
	// code=killed, are the values exited and killed).
	for len(a) > 1 && len(b) > 1 && a[len(a)-1] == b[len(b)-1] && closingPunct(a[len(a)-1]) {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	ka, kb := eventtok.KeyLen(a), eventtok.KeyLen(b)
	if ka != kb {
		return false
	}
	if ka > 0 {
		if a[:ka] != b[:kb] {
			return false
		}
		a, b = a[ka:], b[kb:]
		// A value that opens a quote must close it in the token: the first
		// word of quoted text (msg="worker started") is not a whole value.
		if opensQuote(a) && quotedWord(a) == 0 || opensQuote(b) && quotedWord(b) == 0 {
			return false
		}
		if a == "" || b == "" {
			// An empty value (port=, name=) is the value a program
			// prints when it has none: it pairs with a plain value of
			// the same key.
			return plainValue(unquoted(a + b))
		}
		return plainValue(unquoted(a)) && plainValue(unquoted(b))
	}
	qa, qb := quotedWord(a), quotedWord(b)
	if qa == 0 || qa != qb {
		return false
	}
	va, vb := a[1:len(a)-1], b[1:len(b)-1]
	return plainValue(va) && plainValue(vb) || quotedName(va) && plainValue(vb) || plainValue(va) && quotedName(vb)
}

// quotedName reports whether v, a quoted word, is a lower-case -ing word
// that pairs with a plain value as a name: quotes mark a value the program
// inserted (user 'billing', vhost 'billing', unit 'reporting'), and names
// of that shape are common (billing, reporting, staging), while a state in
// quotes is compared with another state (two verb forms stay apart). An -ed
// form, a capitalized word and a bare or key= word keep their rules.
func quotedName(v string) bool {
	return len(v) > 0 && v[0] >= 'a' && v[0] <= 'z' && eventtok.Verb(v) && strings.HasSuffix(v, "ing")
}

// idPair reports whether a and b are two names that each carry a masked
// id in the same brackets (tasks.send_email[<*>] and
// tasks.resize_image[<*>]): the normalizer found an id in a bracket glued
// to the name, the way a program tags an instance it inserts (a task, a
// job), so the name is a value too. The frame from the opening bracket on
// must be equal, the names before it plain ([plainValue]) and non-empty.
func idPair(a, b string) bool {
	// Cheap rejection first: both must end in the same closing bracket.
	if len(a) < 5 || len(b) < 5 || a[len(a)-1] != b[len(b)-1] || strings.IndexByte(")]}", a[len(a)-1]) < 0 {
		return false
	}
	ia, ib := strings.Index(a, signature.Wildcard), strings.Index(b, signature.Wildcard)
	if ia < 2 || ib < 2 || a[ia-1] != b[ib-1] || a[ia:] != b[ib:] {
		return false
	}
	var closer byte
	switch a[ia-1] {
	case '[':
		closer = ']'
	case '(':
		closer = ')'
	case '{':
		closer = '}'
	default:
		return false
	}
	if a[len(a)-1] != closer {
		return false
	}
	return plainValue(a[:ia-1]) && plainValue(b[:ib-1])
}

// plainValue reports whether v, a value in a value position, may merge
// with another value at once: it is not an event word ([isEventWord]) and
// not a capitalized word (one upper-case letter, then only lower-case
// ones: 'Active', 'Inactive', 'Enabled'), the display form of an
// enumerated state, which like a state verb names the event; such values
// wait for three values as a bare word does.
func plainValue(v string) bool {
	if isEventWord(v) {
		return false
	}
	if len(v) < 2 || v[0] < 'A' || v[0] > 'Z' {
		return true
	}
	for i := 1; i < len(v); i++ {
		if v[i] < 'a' || v[i] > 'z' {
			return true
		}
	}
	return false
}

// markedValue reports whether t may be a marked value: it starts with a
// quote or holds a '=' after its first byte (a cheap filter; valuePair
// decides).
func markedValue(t string) bool {
	return t[0] == '"' || t[0] == '\'' || strings.IndexByte(t[1:], '=') >= 0
}

// closingPunct reports whether c may follow a quoted value inside its token.
func closingPunct(c byte) bool {
	switch c {
	case ',', '.', ';', ':', ')', ']', '}':
		return true
	}
	return false
}

// quotedWord returns the quote byte (' or ") when s is a quote, at least
// one byte without that quote or a space, and the same quote; else 0.
func quotedWord(s string) byte {
	if len(s) < 3 {
		return 0
	}
	q := s[0]
	if (q != '"' && q != '\'') || s[len(s)-1] != q {
		return 0
	}
	for i := 1; i < len(s)-1; i++ {
		if s[i] == q || s[i] == ' ' {
			return 0
		}
	}
	return q
}

func opensQuote(s string) bool { return s != "" && (s[0] == '"' || s[0] == '\'') }

// unquoted strips one pair of matching quotes around s.
func unquoted(s string) string {
	if quotedWord(s) != 0 {
		return s[1 : len(s)-1]
	}
	return s
}

// namePair reports whether a and b are two names that each prefix a masked
// value with ':' or ',' (tcp:<*> and unix:<*>, "cart:<*>" and
// "product:<*>", HBase's region events,<*>,<*>. and usertable,<*>,<*>.):
// a scheme, a key space or a table, the way a program names the kind of
// a value it inserts (an address, a cache key, a region), so the name is
// part of the value. The rest from the separator on must be equal and be
// made of <*> and punctuation only (name:<memory:<*>, names a field, not
// a value), the names before it identifiers ([identName]) and plain
// values; a quote around both is stripped.
func namePair(a, b string) bool {
	// Cheap rejection first: most differing tokens are bare words, and
	// both must hold a <*> after a name and a separator.
	if len(a) < 5 || len(b) < 5 || strings.IndexByte(a, '<') < 2 || strings.IndexByte(b, '<') < 2 {
		return false
	}
	if len(a) > 2 && len(b) > 2 && (a[0] == '"' || a[0] == '\'') && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	ia, ib := nameLen(a), nameLen(b)
	if ia == 0 || ib == 0 || ia == len(a) || a[ia] != ':' && a[ia] != ',' || a[ia:] != b[ib:] || a[:ia] == b[:ib] {
		return false
	}
	rest := a[ia+1:]
	if !strings.HasPrefix(rest, signature.Wildcard) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if strings.HasPrefix(rest[i:], signature.Wildcard) {
			i += len(signature.Wildcard) - 1
			continue
		}
		if c := rest[i] | 0x20; c >= 'a' && c <= 'z' || rest[i] >= '0' && rest[i] <= '9' {
			return false // more structure than one value (name:<memory:<*>,)
		}
	}
	return plainValue(a[:ia]) && plainValue(b[:ib])
}

// nameLen returns the length of the name that starts s: a letter, then
// letters, digits, '_' and '-'; 0 when s does not start with a letter.
func nameLen(s string) int {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return 0
	}
	i := 1
	for i < len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			break
		}
		i++
	}
	return i
}

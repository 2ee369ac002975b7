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
	if dumpPair(a, b) {
		return true // an object dump is one value (miner_dump.go)
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
	return !isEventWord(v) && !eventtok.Capitalized(v)
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

// valueAt is valuePair for the tokens at position i of a message, with
// one more value pair past the first token: two qualified names
// ([qualifiedPair]). The first token of a message is its subject, and
// Loghub's labels keep "rpc.statd startup succeeded" apart from
// "rpc.idmapd startup succeeded" as they keep "cupsd startup succeeded"
// apart from "syslogd startup succeeded" (the short-message rule of
// [Miner] treats a subject label the same way).
func valueAt(a, b string, i int) bool {
	return valuePair(a, b) || i > 0 && (qualifiedPair(a, b) || listPair(a, b))
}

// qualifiedPair reports whether a and b are two different qualified names
// in the same frame ([qualifiedCore]): a package, class, component,
// property, task or file name written with '.' or '/' between its parts
// (com.android.settings/.Settings, system.time.showampm,
// billing.refresh_rates, orders/show.html.erb). The separators mark the
// token as the name of a thing the program inserts, not a word of its
// sentence, so, as a key= value, it is a value at two values (issue 9:
// Android's components and Rails' templates split events whose few lines
// carry two names). Neither may hold a <*> (a name masked in part has a
// shape of its own), and the frame around them, opening and closing
// punctuation and quotes, must be the same.
func qualifiedPair(a, b string) bool {
	pa, ca, sa := qualifiedCore(a)
	pb, cb, sb := qualifiedCore(b)
	return ca != "" && cb != "" && ca != cb && pa == pb && sa == sb
}

// qualifiedCore splits t into its opening frame (quotes and opening
// brackets), a qualified name and its closing frame (quotes, brackets and
// closing punctuation). The name starts with a letter, is made of
// letters, digits and _ - $ : . /, and has a '.' or '/' between two of
// its parts (a letter or digit before it, and a letter, digit or '.'
// after it: com.tencent.mm/.ui.LauncherUI), so a sentence word ending in
// a period, a version or an address is none. A name whose last part has
// no lower-case letter is a constant (android.intent.action.SCREEN_ON,
// the naming of a Java constant or enum value): it names the kind of the
// event, as an event word does, and Loghub's HealthApp labels keep
// "action: android.intent.action.SCREEN_ON" apart from SCREEN_OFF, so it
// is none either. The name is "" when t is not framed that way or holds
// a <*>.
func qualifiedCore(t string) (open, name, close string) {
	i := 0
	for i < len(t) && strings.IndexByte("\"'([{", t[i]) >= 0 {
		i++
	}
	e := len(t)
	for e > i && (t[e-1] == '"' || t[e-1] == '\'' || closingPunct(t[e-1])) {
		e--
	}
	if e-i < 3 || !isLetter(t[i]) {
		return "", "", ""
	}
	inner := false
	for j := i; j < e; j++ {
		c := t[j]
		switch {
		case isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '$' || c == ':':
		case c == '.' || c == '/':
			if j+1 < e && isAlnum(t[j-1]) && (isAlnum(t[j+1]) || t[j+1] == '.') {
				inner = true
			}
		default:
			return "", "", ""
		}
	}
	if !inner {
		return "", "", ""
	}
	lower := false
	for j := e - 1; j >= i && t[j] != '.' && t[j] != '/'; j-- {
		lower = lower || t[j] >= 'a' && t[j] <= 'z'
	}
	if !lower {
		return "", "", ""
	}
	return t[:i], t[i:e], t[e:]
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }

package eventtok

import "strings"

// wild is the normalizer's variable marker (signature.Wildcard; not
// imported, so that the package depends on nothing).
const wild = "<*>"

// Number reports whether s is a non-empty run of ASCII digits: a number
// the normalizer left in a template, which it does only for a number that
// is part of the event (the HTTP status after a method and route, or of a
// status= key): two templates that differ in it are different events,
// however many values the position takes.
func Number(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Method reports whether s has the form of an HTTP method as servers log
// it: 3 to 10 upper-case ASCII letters (GET, DELETE, PROPFIND).
func Method(s string) bool {
	if len(s) < 3 || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Route reports whether s starts like a request target: '/' (origin form)
// or '*' (OPTIONS *).
func Route(s string) bool { return s != "" && (s[0] == '/' || s[0] == '*') }

// Kept reports whether v, the value of one token (after its key=, see
// [KeyLen]), is one the normalizer keeps as part of the event: a
// [Number], or a request line, quoted or not, made of a [Method], a space
// and a [Route] ("GET /api/<*> HTTP/1.1"; the target "*" only before the
// protocol) or a target masked whole
// followed by the protocol ("POST <*> HTTP/1.0").
func Kept(v string) bool {
	if Number(v) {
		return true
	}
	if len(v) > 1 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	sp := strings.IndexByte(v, ' ')
	if sp <= 0 || !Method(v[:sp]) {
		return false
	}
	// A target the normalizer masked whole ("/apache_pb.gif") still leaves
	// the method, when the protocol shows it is a request line.
	r := v[sp+1:]
	if r != "" && r[0] == '*' {
		// The asterisk form is a target only before the protocol
		// (OPTIONS * HTTP/1.1); SELECT * FROM is no request line.
		return strings.HasPrefix(r, "* HTTP/")
	}
	return Route(r) || strings.HasPrefix(r, wild+" HTTP/")
}

// Mark sets event[i] for every token toks[i] of a template split at each
// space that the normalizer kept as part of the event, and leaves the
// other entries alone: a token whose value (after its key=) is a
// [Number]; a method token (its value, after one opening quote, a
// [Method]) followed by a token whose value is a [Route], which are both
// marked (a target "*" only when a token that starts with "HTTP/"
// follows); and a method token followed by "<*>" and a token that starts
// with "HTTP/" (the target was masked whole: the method alone is marked).
// It is [Kept] for the tokens of a request line that spaces split. event
// must be at least as long as toks.
func Mark(toks []string, event []bool) {
	for k, t := range toks {
		v := t[KeyLen(t):]
		if Number(v) {
			event[k] = true
		}
		if k+1 == len(toks) {
			break
		}
		if len(v) > 1 && (v[0] == '"' || v[0] == '\'') {
			v = v[1:]
		}
		if !Method(v) {
			continue
		}
		next := toks[k+1]
		switch r := next[KeyLen(next):]; {
		case r == "*" || r == "*\"":
			// The asterisk form only before the protocol (SELECT * FROM
			// is no request line).
			if k+2 < len(toks) && strings.HasPrefix(toks[k+2], "HTTP/") {
				event[k], event[k+1] = true, true
			}
		case Route(r):
			event[k], event[k+1] = true, true
		case r == wild && k+2 < len(toks) && strings.HasPrefix(toks[k+2], "HTTP/"):
			event[k] = true
		}
	}
}

// KeyLen returns the length of the "key=" prefix of s: a name of letters,
// digits, '_', '.' and '-' followed by '=' (0 when there is none, or when
// it would be longer than 255 bytes: such a token is not a key=value).
func KeyLen(s string) int {
	for i := 0; i < len(s) && i < 255; i++ {
		c := s[i]
		switch {
		case c == '=' && i > 0:
			return i + 1
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-':
		default:
			return 0
		}
	}
	return 0
}

// Verb reports whether s is an English verb form of state or outcome: a
// word of at least five ASCII letters, all lower case after an optional
// capital, that ends in "ed" or "ing" (started, Stopped, paused, failed,
// running). Such a word names the event (a "paused" is not a "started"),
// unlike a name in the same position; both miners keep messages that
// differ in one apart.
func Verb(s string) bool {
	n := len(s)
	if n < 5 {
		return false
	}
	for i := 0; i < n; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || i == 0 && c >= 'A' && c <= 'Z' {
			continue
		}
		return false
	}
	return s[n-2:] == "ed" || s[n-3:] == "ing"
}

// Capitalized reports whether v is one upper-case ASCII letter followed by
// one or more lower-case ones (Active, Enabled): the display form of an
// enumerated state, which, like a state verb, names the event, so both
// miners keep it apart from another value of its key.
func Capitalized(v string) bool {
	if len(v) < 2 || v[0] < 'A' || v[0] > 'Z' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] < 'a' || v[i] > 'z' {
			return false
		}
	}
	return true
}

// BracketDepth returns the opening brackets ({ ( [) of s less its closing
// ones: how many an object dump written with spaces inside its brackets
// still has open after s (both miners' object-dump class).
func BracketDepth(s string) int {
	d := 0
	for i := 0; i < len(s); i++ {
		d += int(bracketStep[s[i]]) // a table: no branch per byte (first sight's cost)
	}
	return d
}

// bracketStep is +1 for an opening bracket, -1 for a closing one.
var bracketStep = [256]int8{'{': 1, '(': 1, '[': 1, '}': -1, ')': -1, ']': -1}

// DumpWord reports whether v, a key's value, is one word of ASCII letters,
// digits and '_': the class name or plan that a spaced "{" follows in an
// object dump (IXSCAN { email: 1 }).
func DumpWord(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

package signature

import "strings"

// ErrorType returns the type of the error a log message reports, or "" when
// it reports none. The result is a substring of msg (a type name) or one of
// a fixed set of lower-case constants (a well-known condition), so ErrorType
// never allocates. Like [Of], it reads at most the first [MaxMessageBytes]
// bytes of msg, and it never panics.
//
// The rules are tried in order, and the first match wins:
//
//  1. A Go panic, "panic: " at the start of msg or after a space: the
//     constant "runtime error" when the panic value starts with "runtime
//     error" (index out of range, nil pointer dereference), else the type
//     found by rule 2 in the rest of the message, else the constant "panic".
//
//  2. A type name, the first word (a run of letters, digits and _ . $ *,
//     trailing dots dropped) that is one of these:
//     - a class whose last dotted component starts with an upper-case letter
//     and ends in "Exception" or "Error": java.io.IOException,
//     TimeoutError, requests.exceptions.ConnectionError. A bare
//     "Exception" or "Error" counts only when it is qualified (has a dot)
//     or directly followed by ':', so "Error reading file" is not one, and
//     "ERROR" (a level) never is;
//     - a Go type as printed by %T, "*pkg.Type" with a lower-case package
//     and "err" or "Err" in the type name: *errors.errorString,
//     *net.OpError, *fs.PathError;
//     - a C++ standard exception, "std::" and a lower-case name:
//     std::bad_alloc, std::runtime_error.
//
//     A bare "Error:" or "Exception:" often only introduces the real type,
//     so when the first type name is one of these two, the next type name
//     after it in msg that is not bare wins if there is one: "Error:
//     java.net.NoRouteToHostException: No Route to Host" gives
//     java.net.NoRouteToHostException.
//
//  3. One of 30 common POSIX errno names as a whole word: ECONNREFUSED,
//     ECONNRESET, ETIMEDOUT, ENOENT, EACCES, EPIPE, ENOSPC, EAGAIN, ...
//
//  4. The leftmost well-known condition, matched in any ASCII case at word
//     boundaries and returned in lower case; where several start at the same
//     place, the first in this list wins: "context
//     deadline exceeded", "context canceled", "deadline exceeded",
//     "connection refused", "connection reset by peer", "connection reset",
//     "connection timed out", "broken pipe", "i/o timeout", "no route to
//     host", "network is unreachable", "no such host", "no such file or
//     directory", "permission denied", "too many open files", "address
//     already in use", "no space left on device", "out of memory",
//     "unexpected eof", "stack overflow", "deadlock", "timeout".
//
// The rules look at the message text only; a message that merely mentions an
// exception class (a log line about configuring a RetryException policy)
// gets that type too.
func ErrorType(msg string) string {
	msg = clip(msg)
	if i := indexPanic(msg); i >= 0 {
		rest := msg[i+len("panic: "):]
		if hasPrefix(rest, "runtime error") {
			return "runtime error"
		}
		if t := typeName(rest); t != "" {
			return t
		}
		return "panic"
	}
	if t := typeName(msg); t != "" {
		return t
	}
	if t := errnoName(msg); t != "" {
		return t
	}
	return condition(msg)
}

// conditions are the well-known error conditions of rule 4, in lower case;
// a condition that is a prefix of another comes after it.
var conditions = [...]string{
	"context deadline exceeded",
	"context canceled",
	"deadline exceeded",
	"connection refused",
	"connection reset by peer",
	"connection reset",
	"connection timed out",
	"broken pipe",
	"i/o timeout",
	"no route to host",
	"network is unreachable",
	"no such host",
	"no such file or directory",
	"permission denied",
	"too many open files",
	"address already in use",
	"no space left on device",
	"out of memory",
	"unexpected eof",
	"stack overflow",
	"deadlock",
	"timeout",
}

// errnoNames are the POSIX error names of rule 3.
var errnoNames = [...]string{
	"ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EHOSTUNREACH",
	"ENETUNREACH", "EADDRINUSE", "EADDRNOTAVAIL", "EPIPE", "ENOENT", "EACCES",
	"EPERM", "EEXIST", "ENOTDIR", "EISDIR", "EINVAL", "ENOMEM", "ENOSPC",
	"EMFILE", "ENFILE", "EAGAIN", "EWOULDBLOCK", "EBADF", "EBUSY", "EINTR",
	"EIO", "EROFS", "EDQUOT", "ENOTCONN", "ESHUTDOWN",
}

// indexPanic returns the index of "panic: " at the start of msg or after a
// space, or -1.
func indexPanic(msg string) int {
	const p = "panic: "
	for off := 0; ; {
		k := strings.Index(msg[off:], p)
		if k < 0 {
			return -1
		}
		i := off + k
		if i == 0 || isSpace(msg[i-1]) {
			return i
		}
		off = i + 1
	}
}

func hasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && s[:len(prefix)] == prefix
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// isTypeByte reports the bytes of the words rule 2 looks at.
func isTypeByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '$' || c == '*'
}

func isIdentStart(c byte) bool { return isLetter(c) || c == '_' }

func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '$' }

// typeName returns the type name of rule 2 in msg, or "": the first one,
// unless that is a bare "Error" or "Exception" and a type name that is not
// bare follows it.
//
// Rather than walking every word, typeName jumps (with the vectorized
// strings.IndexByte and strings.Index) to the anchors a type name must
// contain, and only checks the words around them: a class name contains
// "Error" or "Exception", a Go type starts with '*', and a C++ exception
// starts with "std::". A word without an anchor cannot be a type name, so
// the anchors visited in order give the type names in order. Lines that
// name no error, the common case, cost a few vectorized scans.
func typeName(msg string) string {
	bare := ""
	// nextE, nextStar and nextStd are the absolute positions of the next
	// candidate anchors at or after i, or len(msg) when there is none.
	i := 0
	nextE, nextStar, nextStd := -1, -1, -1
	for i < len(msg) {
		if nextE < i {
			nextE = indexFrom(msg, i, 'E')
		}
		if nextStar < i {
			nextStar = indexFrom(msg, i, '*')
		}
		if nextStd < i {
			nextStd = len(msg)
			if k := strings.Index(msg[i:], "std::"); k >= 0 {
				nextStd = i + k
			}
		}
		a := min(nextE, nextStar, nextStd)
		if a == len(msg) {
			break
		}
		if a == nextE && !hasPrefix(msg[a:], "Error") && !hasPrefix(msg[a:], "Exception") {
			i = a + 1
			continue
		}
		// The word around the anchor: a maximal run of type bytes.
		w0 := a
		for w0 > 0 && isTypeByte(msg[w0-1]) {
			w0--
		}
		j := a
		for j < len(msg) && isTypeByte(msg[j]) {
			j++
		}
		i = j
		w := msg[w0:j]
		for len(w) > 0 && w[len(w)-1] == '.' {
			w = w[:len(w)-1]
		}
		if w == "std" && j+2 < len(msg) && msg[j] == ':' && msg[j+1] == ':' && isLower(msg[j+2]) {
			k := j + 2
			for k < len(msg) && (isLower(msg[k]) || isDigit(msg[k]) || msg[k] == '_') {
				k++
			}
			return msg[w0:k]
		}
		if isTypeName(w, j < len(msg) && msg[j] == ':') {
			if w != "Error" && w != "Exception" {
				return w
			}
			if bare == "" {
				bare = w
			}
		}
	}
	return bare
}

// indexFrom returns the index of the first c in msg at or after i, or
// len(msg).
func indexFrom(msg string, i int, c byte) int {
	if k := strings.IndexByte(msg[i:], c); k >= 0 {
		return i + k
	}
	return len(msg)
}

// isTypeName reports whether the word w is a type name of rule 2; colon
// reports whether ':' follows it.
func isTypeName(w string, colon bool) bool {
	if w == "" {
		return false
	}
	goType := w[0] == '*'
	if goType {
		w = w[1:]
	}
	// w must be a dotted identifier; find its last component.
	dots, last := 0, 0
	for k := 0; k < len(w); k++ {
		c := w[k]
		switch {
		case c == '.':
			if k == last {
				return false // empty component
			}
			dots++
			last = k + 1
		case k == last && !isIdentStart(c):
			return false
		case !isIdentByte(c):
			return false
		}
	}
	if last == len(w) {
		return false
	}
	name := w[last:]
	if goType {
		if dots == 0 || !isLower(w[0]) {
			return false
		}
		for k := 0; k+3 <= len(name); k++ {
			if name[k:k+3] == "err" || name[k:k+3] == "Err" {
				return true
			}
		}
		return false
	}
	if name[0] < 'A' || name[0] > 'Z' {
		return false
	}
	for _, suffix := range [...]string{"Exception", "Error"} {
		if hasSuffix(name, suffix) {
			return len(name) > len(suffix) || dots > 0 || colon
		}
	}
	return false
}

// errnoName returns the first word of msg that is in errnoNames, or "".
func errnoName(msg string) string {
	for i := 0; i < len(msg); i++ {
		k := strings.IndexByte(msg[i:], 'E')
		if k < 0 {
			return ""
		}
		i += k
		if i > 0 && isIdentByte(msg[i-1]) {
			continue
		}
		j := i + 1
		for j < len(msg) && msg[j] >= 'A' && msg[j] <= 'Z' {
			j++
		}
		if j < len(msg) && isIdentByte(msg[j]) {
			continue
		}
		w := msg[i:j]
		for _, e := range errnoNames {
			if w == e {
				return w
			}
		}
	}
	return ""
}

// condSecond maps the first byte of a condition, in either case, to the set
// of its possible second bytes (lower case, as a bit mask over 'a'..'z' and
// bit 26 for '/'); 0 means no condition starts with that byte.
var condSecond = func() (t [256]uint32) {
	for _, c := range conditions {
		t[c[0]] |= condBit(c[1])
		t[c[0]-'a'+'A'] |= condBit(c[1])
	}
	return t
}()

// condBit returns the bit of the lower-case second byte c in condSecond, or
// 0 for a byte that no condition has there.
func condBit(c byte) uint32 {
	switch {
	case c >= 'a' && c <= 'z':
		return 1 << (c - 'a')
	case c == '/':
		return 1 << 26
	}
	return 0
}

// condition returns the leftmost condition of rule 4 in msg, or "": one
// pass over the words of msg, trying the conditions only at word starts
// whose first two bytes (folded to lower case) start one.
func condition(msg string) string {
	for i := 0; i < len(msg); {
		// Skip to the next word start.
		for i < len(msg) && !isAlnum(msg[i]) {
			i++
		}
		if i+1 < len(msg) {
			if m := condSecond[msg[i]]; m != 0 && m&condBit(lowerASCII(msg[i+1])) != 0 {
				c := lowerASCII(msg[i])
				for _, p := range conditions {
					if p[0] == c && hasWordFold(msg[i:], p) {
						return p
					}
				}
			}
		}
		// Skip the rest of the word.
		for i < len(msg) && isAlnum(msg[i]) {
			i++
		}
	}
	return ""
}

// hasWordFold reports whether s starts with the lower-case ASCII phrase p,
// compared case-insensitively, not followed by a letter or digit.
func hasWordFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		if lowerASCII(s[k]) != p[k] {
			return false
		}
	}
	return len(s) == len(p) || !isAlnum(s[len(p)])
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

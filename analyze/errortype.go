package analyze

import "strings"

// countsAt reports whether a line at level lvl whose message names the error
// type t (a result of signature.ErrorType) counts it: a named type counts at every
// level, the other results (an errno name such as ECONNREFUSED, a
// well-known condition such as "timeout" or "connection refused", or a
// panic) at WARNING and above only. On an INFO line, or one without a level
// word, a condition is more often configuration ("timeout set to 30s") than
// a failure, while an exception named on any line is one.
func countsAt(t string, lvl level) bool {
	return t != "" && (lvl >= levelWarning || isNamedType(t))
}

// isNamedType reports whether t, a result of signature.ErrorType, is a type
// name of its rule 2: a class ending in "Exception" or "Error", a Go type
// ("*pkg.Type") or a C++ standard exception ("std::name"). The other results
// are all lower case ("runtime error", "panic", the conditions) or all upper
// case (the errno names), so none of them has these forms.
func isNamedType(t string) bool {
	switch {
	case len(t) == 0:
		return false
	case t[0] == '*':
		return true
	case strings.HasPrefix(t, "std::"):
		return true
	}
	return strings.HasSuffix(t, "Exception") || strings.HasSuffix(t, "Error")
}

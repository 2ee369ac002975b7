package analyze

import "strings"

// errorType returns the error type named in msg, or "" when there is none:
//
//   - on any line, the first word (a run of letters, digits and . _ $) that
//     ends in "Exception" or "Error" after at least one letter, such as
//     java.io.IOException, NullPointerException or ValueError (see
//     exceptionWord);
//   - on lines at WARNING or above, else the first errno name from a fixed
//     list (ECONNREFUSED, ETIMEDOUT, ...), else the first of a fixed list of
//     failure phrases, matched ignoring ASCII case ("connection refused",
//     "timed out", "permission denied", ...), reported in lower case (see
//     failureName).
//
// The analysis splits the work: the workers look for the exception word of
// every line, and failureName runs once per signature, on its first line,
// because errno names and phrases have no digits and so are part of the
// signature's template. The result is a substring of msg or a constant; the
// caller clones it before keeping it. errorType does not allocate.
func errorType(msg string, lvl level) string {
	if t := exceptionWord(msg); t != "" {
		return t
	}
	if lvl < levelWarning {
		return ""
	}
	return failureName(msg)
}

// failureName returns the first errno name of errnoNames in msg, else the
// first of failurePhrases (ignoring ASCII case), else "".
func failureName(msg string) string {
	if strings.IndexByte(msg, 'E') >= 0 {
		for _, e := range errnoNames {
			if i := strings.Index(msg, e); i >= 0 && wordAt(msg, i, len(e)) {
				return e
			}
		}
	}
	for _, p := range failurePhrases {
		if indexFold(msg, p) >= 0 {
			return p
		}
	}
	return ""
}

// errnoNames are POSIX errno names common in service logs.
var errnoNames = [...]string{
	"ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH",
	"EADDRINUSE", "EPIPE", "ENOENT", "EACCES", "EPERM", "ENOSPC", "ENOMEM", "EMFILE", "EAGAIN", "EEXIST", "EIO",
}

// failurePhrases are lower-case phrases that name a failure; they are
// matched ignoring ASCII case, longest and most specific first.
var failurePhrases = [...]string{
	"connection refused", "connection reset", "connection timed out", "deadline exceeded",
	"no such file or directory", "permission denied", "authentication failure",
	"out of memory", "broken pipe", "timed out", "timeout",
}

// isWordByte reports whether c may be part of an exception word.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '$'
}

// exceptionWord returns the first word of msg ending in "Exception" or
// "Error" after at least one letter, without a trailing '.', or "".
func exceptionWord(msg string) string {
	for _, suffix := range [...]string{"Exception", "Error"} {
		off := 0
		for {
			i := strings.Index(msg[off:], suffix)
			if i < 0 {
				break
			}
			end := off + i + len(suffix)
			off = end
			if end < len(msg) && isWordByte(msg[end]) && msg[end] != '.' {
				continue // part of a longer word, like ErrorCode
			}
			start := end - len(suffix)
			for start > 0 && isWordByte(msg[start-1]) {
				start--
			}
			for start < end-len(suffix) && (msg[start] == '.' || msg[start] >= '0' && msg[start] <= '9') {
				start++
			}
			if start == end-len(suffix) || !isLetter(msg[end-len(suffix)-1]) {
				continue // "Error" alone, or "_Error", "9Error"
			}
			return msg[start:end]
		}
	}
	return ""
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// wordAt reports whether msg[i:i+n] is delimited by non-word bytes.
func wordAt(msg string, i, n int) bool {
	return (i == 0 || !isWordByte(msg[i-1])) && (i+n == len(msg) || !isWordByte(msg[i+n]) || msg[i+n] == '.')
}

// indexFold returns the index of the first occurrence of the lower-case
// ASCII string sub in s, ignoring ASCII case, or -1.
func indexFold(s, sub string) int {
	if len(sub) == 0 {
		return 0
	}
	c0 := sub[0]
	for i := 0; i+len(sub) <= len(s); i++ {
		if lowerASCII(s[i]) != c0 {
			continue
		}
		j := 1
		for j < len(sub) && lowerASCII(s[i+j]) == sub[j] {
			j++
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

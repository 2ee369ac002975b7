package logline

import (
	"strings"
	"time"
)

// Detect recognizes a common log-line header without a format and returns
// the rest of the line as content. The header is a timestamp at the start
// of the line, or a Unix-time prefix, followed by optional fields described
// below. The rules are about the shape of the header only, never about a
// particular system, and are conservative: a line whose header is not
// recognized is returned whole, because a wrong strip hurts template
// mining more than none.
//
// Timestamps recognized at the start of the line ([ParseTime] layouts,
// followed by a space, a tab, '|' or the end of the line):
//
//	2006-01-02T15:04:05[.frac](Z|±07:00)   RFC 3339 / ISO 8601
//	2006-01-02 15:04:05[,frac|.frac]        log4j / Python logging
//	2006-01-02-15.04.05.000000              '.' between the clock parts
//	20060102-15:04:05:000                   compact date
//	060102 150405                           compact, as in HDFS
//	Jan _2 15:04:05                         syslog (year 0: the line has none)
//	Mon Jan _2 15:04:05 2006                ANSI C
//
// A Unix-time prefix is an optional alert label ("-" or an upper-case word
// such as KERNDTLB), then a Unix time in seconds (9 to 11 digits, an
// optional fraction), then an optional whole date ("2005.06.03"). It counts
// as a header only when it is followed by a date, by a timestamp (possibly
// after one token, a host or node name), or by a level word; a leading
// number alone is content. Its time is the Unix time, whose zone is known,
// not the local timestamp after it.
//
// After the timestamp come, optionally:
//   - up to two '|'-separated fields without spaces when the timestamp is
//     followed directly by '|' ("20171223-22:15:29:606|Step_LSC|30002312|…");
//     a field that is a level word sets the level;
//   - a numeric process id;
//   - a level word (INFO, [WARN], error:, ...) optionally followed by a
//     log4j thread name in brackets and a logger name ending in ':', or by
//     a component name ending in ':';
//   - for syslog timestamps without a year, a host and a tag ending in ':'
//     (sshd[42]:);
//   - otherwise up to three upper-case tokens (no lower-case letter, not
//     ending in ':', such as node names and categories) followed by an
//     upper-case level word ("R02-M1-N0 RAS KERNEL INFO …"); the content
//     starts right after the level word.
//
// Times without a zone are UTC. ok is false, and content is the trimmed
// line, when no timestamp is found; level is "" when none is found. Detect
// does not allocate and never panics.
func Detect(line string) (content string, ts time.Time, level string, ok bool) {
	line = strings.TrimSpace(line)
	ts, rest, syslog, ok := detectTime(line)
	if !ok {
		return line, time.Time{}, "", false
	}
	if rest != "" && rest[0] == '|' {
		return pipeFields(rest[1:]), ts, pipeLevel(rest[1:]), true
	}
	tok, after := nextToken(rest)
	if tok != "" && isAllDigits(tok) { // process id
		rest = after
		tok, after = nextToken(rest)
	}
	if lv := levelWord(tok); lv != "" {
		level = lv
		rest = after
		tok, after = nextToken(rest)
		// log4j's "%p [%t] %c: %m": a bracketed thread name, then the
		// logger name ending in ':'.
		// The thread name may contain spaces ("[IPC Server handler 5]").
		if r := strings.TrimLeft(rest, " \t"); len(r) > 2 && r[0] == '[' {
			if end := strings.IndexByte(r, ']'); end > 1 {
				if c, a2 := nextToken(r[end+1:]); len(c) > 1 && strings.HasSuffix(c, ":") {
					return strings.TrimSpace(a2), ts, level, true
				}
			}
		}
	} else if syslog && tok != "" && !strings.HasSuffix(tok, ":") {
		// host name, then the tag
		if tag, a2 := nextToken(after); strings.HasSuffix(tag, ":") {
			return strings.TrimSpace(a2), ts, "", true
		}
	} else if !syslog {
		if lv, a2 := upperLevel(rest); lv != "" {
			return strings.TrimSpace(a2), ts, lv, true
		}
	}
	if (level != "" || syslog) && len(tok) > 1 && strings.HasSuffix(tok, ":") {
		rest = after
	}
	return strings.TrimSpace(rest), ts, level, true
}

// maxPipeFields is the number of '|'-separated header fields skipped after
// a timestamp: component and process id, as in "time|component|pid|msg".
// A larger number would eat into messages that contain '|' themselves.
const maxPipeFields = 2

// pipeFields skips up to maxPipeFields fields of s that contain no space
// and end in '|', and returns the rest, trimmed.
func pipeFields(s string) string {
	for range maxPipeFields {
		j := strings.IndexByte(s, '|')
		if j <= 0 || strings.ContainsAny(s[:j], " \t") {
			break
		}
		s = s[j+1:]
	}
	return strings.TrimSpace(s)
}

// pipeLevel returns the level named by one of the header fields that
// pipeFields skips, or "".
func pipeLevel(s string) string {
	for range maxPipeFields {
		j := strings.IndexByte(s, '|')
		if j <= 0 || strings.ContainsAny(s[:j], " \t") {
			break
		}
		if lv := levelWord(s[:j]); lv != "" {
			return lv
		}
		s = s[j+1:]
	}
	return ""
}

// maxUpperFields is the number of upper-case tokens allowed before an
// upper-case level word: node, type and component as in
// "R02-M1-N0-C:J12-U11 RAS KERNEL INFO".
const maxUpperFields = 3

// upperLevel looks for an upper-case level word after at most
// maxUpperFields upper-case tokens at the start of s, and returns the level
// and the text after it, or "" when there is none.
func upperLevel(s string) (level, rest string) {
	for range maxUpperFields + 1 {
		tok, after := nextToken(s)
		if tok == "" || hasLower(tok) {
			return "", ""
		}
		if lv := levelWord(tok); lv != "" && isPlainWord(tok) {
			return lv, after
		}
		if strings.HasSuffix(tok, ":") {
			return "", ""
		}
		s = after
	}
	return "", ""
}

// isPlainWord reports whether tok is made of letters only.
func isPlainWord(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if c := tok[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return tok != ""
}

func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

func nextToken(s string) (tok, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// levelWord returns the canonical upper-case level named by tok (which may
// be bracketed or end in ':'), in any ASCII case, or "".
func levelWord(tok string) string {
	tok = strings.TrimSuffix(tok, ":")
	tok = strings.TrimPrefix(strings.TrimSuffix(tok, "]"), "[")
	if len(tok) < 3 || len(tok) > 8 {
		return ""
	}
	var b [8]byte
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(tok)]) {
	case "TRACE":
		return "TRACE"
	case "DEBUG", "DBG":
		return "DEBUG"
	case "INFO", "INF", "NOTICE":
		return "INFO"
	case "WARN", "WARNING", "WRN":
		return "WARN"
	case "ERROR", "ERR", "SEVERE":
		return "ERROR"
	case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT":
		return "FATAL"
	}
	return ""
}

// stampAt parses a timestamp at the start of s (see [ParseTime]) that ends
// at a space, a tab, '|' or the end of s. syslog is true for a month-name
// timestamp without a year.
func stampAt(s string) (ts time.Time, rest string, syslog, ok bool) {
	t, n, ok := parseStamp(s)
	if !ok || n == 0 || (n < len(s) && s[n] != ' ' && s[n] != '\t' && s[n] != '|') {
		return time.Time{}, "", false, false
	}
	return t, s[n:], !isDigit(s[0]) && t.Year() == 0, true
}

func detectTime(line string) (ts time.Time, rest string, syslog, ok bool) {
	if ts, rest, syslog, ok = stampAt(line); ok {
		return ts, rest, syslog, true
	}
	return detectUnix(line)
}

// detectUnix recognizes the Unix-time prefix described at [Detect].
func detectUnix(line string) (ts time.Time, rest string, syslog, ok bool) {
	tok, after := nextToken(line)
	if isAlertLabel(tok) {
		tok, after = nextToken(after)
	}
	if ts, ok = unixSeconds(tok); !ok {
		return time.Time{}, "", false, false
	}
	rest = after
	if d, a := nextToken(rest); d != "" {
		if _, _, _, n, _, ok := parseDate(d); ok && n == len(d) {
			// A whole date after the Unix time: the header is certain.
			rest = a
			if _, r, sys, ok := stampAfterToken(rest); ok {
				return ts, r, sys, true
			}
			return ts, rest, false, true
		}
	}
	if _, r, sys, ok := stampAfterToken(rest); ok {
		return ts, r, sys, true
	}
	if tok, _ := nextToken(rest); levelWord(tok) != "" {
		return ts, rest, false, true
	}
	return time.Time{}, "", false, false
}

// stampAfterToken parses a timestamp at the start of s or after its first
// token (a host or node name).
func stampAfterToken(s string) (ts time.Time, rest string, syslog, ok bool) {
	s = strings.TrimLeft(s, " \t")
	if ts, rest, syslog, ok = stampAt(s); ok {
		return ts, rest, syslog, true
	}
	if _, after := nextToken(s); after != "" {
		return stampAt(strings.TrimLeft(after, " \t"))
	}
	return time.Time{}, "", false, false
}

// isAlertLabel reports whether tok is "-" or an upper-case word of at most
// 16 letters, digits and '_', starting with a letter: the alert category
// that system logs such as BGL's put before the Unix time.
func isAlertLabel(tok string) bool {
	if tok == "-" {
		return true
	}
	if len(tok) == 0 || len(tok) > 16 || tok[0] < 'A' || tok[0] > 'Z' {
		return false
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if (c < 'A' || c > 'Z') && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// unixSeconds reads tok as a Unix time in seconds: 9 to 11 digits (from
// March 1973) with an optional fraction.
func unixSeconds(tok string) (time.Time, bool) {
	d := 0
	for d < len(tok) && isDigit(tok[d]) {
		d++
	}
	if d < 9 || d > 11 {
		return time.Time{}, false
	}
	return parseUnix(tok)
}

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
// Timestamps recognized at the start of the line ([ParseTime] layouts and
// the last two below, followed by a space, a tab, '|' or the end of the
// line):
//
//	2006-01-02T15:04:05[.frac](Z|±07:00)   RFC 3339 / ISO 8601
//	2006-01-02 15:04:05[,frac|.frac]        log4j / Python logging
//	2006-01-02-15.04.05.000000              '.' between the clock parts
//	20060102-15:04:05:000                   compact date
//	060102 150405                           compact, as in HDFS
//	Jan _2 15:04:05                         syslog (year 0: the line has none)
//	Mon Jan _2 15:04:05 2006                ANSI C
//	06/01/02 15:04:05[.frac]                two-digit year, '/' only (log4j's
//	                                        yy/MM/dd; day-first dates are not
//	                                        recognized)
//	01-02 15:04:05[.frac]                   month and day without a year,
//	                                        '-', '.' or '/' (year 0)
//
// Any of these may instead be enclosed in square brackets
// ("[Sun Dec 04 04:47:44 2005]", "[10.30 16:49:06]"), the ']' followed by
// a blank or the end of the line. A timestamp may also be followed by ','
// when a level word comes next ("2016-09-28 04:30:30, Info").
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
//   - a lone "-" before a level word ("… - INFO  [thread] - msg");
//   - a numeric process id; when a second number (thread id) and an
//     Android logcat priority letter (V, D, I, W, E, F: TRACE, DEBUG, INFO,
//     WARN, ERROR, FATAL) follow, the tag runs to the first ": " and the
//     content starts after it;
//   - a level word (INFO, [WARN], error:, ...) optionally followed by a
//     log4j thread name in brackets and a logger name ending in ':', by a
//     bracketed field (brackets may nest) and a lone "-", by a lone "-",
//     by a component name ending in ':', or, when the level and the next
//     token are each followed by two or more blanks (a column layout), by
//     that token as a component;
//   - for syslog timestamps without a year, a host and a tag ending in ':'
//     (sshd[42]:);
//   - otherwise up to three upper-case tokens (no lower-case letter, not
//     ending in ':', such as node names and categories) followed by an
//     upper-case level word ("R02-M1-N0 RAS KERNEL INFO …"); the content
//     starts right after the level word;
//   - for bracketed timestamps without a level, a program name of one or
//     two tokens followed by a lone "-" ("[…] chrome.exe - msg").
//
// Before these generic rules, the headers of common servers are recognized
// by their shape:
//
//	I0507 12:04:17.512345  1 file.go:123] msg   klog: the severity letter
//	                                           (I, W, E, F) is the level;
//	                                           no year (year 0)
//	host - user [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 200 …
//	                                           nginx/Apache access log
//	                                           (Common/Combined Log Format):
//	                                           the content starts at the
//	                                           request; no level
//	4961:M 30 May 2018 12:34:56.789 * msg      Redis: the mark . - * # is
//	                                           DEBUG, DEBUG, INFO, WARN
//	[2018-05-30T12:34:56,939][INFO ][logger] msg
//	                                           Elasticsearch / log4j2: the
//	                                           logger bracket is skipped
//	E, [2018-05-30T12:34:56.789 #1] ERROR -- prog: msg
//	                                           Ruby Logger
//	2024-05-07T10:04:17.5Z stdout F msg        Kubernetes CRI container
//	                                           log: the runtime's time; the
//	                                           level and content of msg's
//	                                           own header, if it has one
//
// and after a generic timestamp:
//
//	2018-05-30 12:34:56.789 UTC [1234] LOG:  msg
//	                                           PostgreSQL: zone name, [pid],
//	                                           severity (LOG, STATEMENT,
//	                                           DETAIL, HINT … are INFO; PANIC
//	                                           is FATAL); the zone name is
//	                                           not converted
//	[Wed Oct 11 14:32:52.123 2000] [core:error] msg
//	                                           Apache error log: the level
//	                                           after the module name
//
// Times without a zone are UTC. ok is false, and content is the trimmed
// line, when no timestamp is found; level is "" when none is found. Detect
// does not allocate and never panics.
func Detect(line string) (content string, ts time.Time, level string, ok bool) {
	line = strings.TrimSpace(line)
	if content, ts, level, ok = detectFamily(line); ok {
		return content, ts, level, true
	}
	var rest string
	var syslog, bracketed bool
	if line != "" && line[0] == '[' {
		ts, rest, bracketed = bracketStamp(line)
		ok = bracketed
	} else {
		ts, rest, syslog, ok = detectTime(line)
	}
	if !ok {
		return line, time.Time{}, "", false
	}
	if bracketed {
		if c, lv, ok := apacheErrorTail(rest); ok {
			return c, ts, lv, true
		}
	} else if !syslog {
		if c, lv, ok := postgresTail(rest); ok {
			return c, ts, lv, true
		}
	}
	if rest != "" && rest[0] == '|' {
		return pipeFields(rest[1:]), ts, pipeLevel(rest[1:]), true
	}
	tok, after := nextToken(rest)
	if tok == "-" { // log4j's "%d - %p ...": a dash before the level
		if lt, la := nextToken(after); levelWord(lt) != "" {
			tok, after = lt, la
		}
	}
	if tok != "" && isAllDigits(tok) { // process id
		rest = after
		tok, after = nextToken(rest)
		if isAllDigits(tok) { // logcat: pid, tid, one-letter level, tag
			if lt, la := nextToken(after); logcatLevel(lt) != "" {
				return logcatContent(la), ts, logcatLevel(lt), true
			}
		}
	}
	if lv := levelWord(tok); lv != "" {
		level = lv
		padded := after != "" && (after[0] == ' ' || after[0] == '\t')
		rest = after
		tok, after = nextToken(rest)
		if tok == "-" { // "%p - %m"
			return strings.TrimSpace(after), ts, level, true
		}
		// log4j's "%p [%t] %c: %m": a bracketed thread name, then the
		// logger name ending in ':'.
		// The thread name may contain spaces ("[IPC Server handler 5]").
		if r := trimBlanks(rest); len(r) > 2 && r[0] == '[' {
			if end := strings.IndexByte(r, ']'); end > 1 {
				if c, a2 := nextToken(r[end+1:]); len(c) > 1 && strings.HasSuffix(c, ":") {
					return strings.TrimSpace(a2), ts, level, true
				}
			}
			// "%p [%t] - %m": a bracketed field (brackets may nest, as in
			// "[QuorumPeer[myid=1]/…@774]"), then a dash.
			if end := closeBracket(r); end > 1 {
				if c, a2 := nextToken(r[end+1:]); c == "-" {
					return strings.TrimSpace(a2), ts, level, true
				}
			}
		}
		// Column layout: the level and a component each padded with at
		// least two blanks ("Info      CBS    Loaded …").
		if padded && tok != "" && after != "" && (after[0] == ' ' || after[0] == '\t') && !strings.HasSuffix(tok, ":") {
			return strings.TrimSpace(after), ts, level, true
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
		if bracketed {
			if c, ok := dashProgram(rest); ok {
				return c, ts, "", true
			}
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

// nextToken returns the first blank-separated token of s and what follows
// its separator. Byte loops, not strings.TrimLeft/IndexAny: those build a
// set from their cutset on every call, and header detection calls this
// several times per line (about a quarter of analyze's CPU before).
func nextToken(s string) (tok, rest string) {
	s = trimBlanks(s)
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// trimBlanks returns s without its leading spaces and tabs.
func trimBlanks(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[i:]
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
// be bracketed or end in ':'), in any ASCII case, or "": a word of the one
// level table (level.go) of two letters or more. One-letter severities
// (klog's I/W/E/F, logcat's V/D/I/W/E/F/A) are read only where a format
// puts them (klogHeader, logcatLevel): in free text "I" and "A" are words.
func levelWord(tok string) string {
	if len(strings.Trim(tok, "[]:")) < 2 {
		return ""
	}
	return tableLevel(tok)
}

// stampAt parses a timestamp at the start of s (see [ParseTime]) that ends
// at a space, a tab, '|' or the end of s. syslog is true for a month-name
// timestamp without a year.
func stampAt(s string) (ts time.Time, rest string, syslog, ok bool) {
	t, n, ok := parseStamp(s)
	if !ok {
		t, n, ok = parseShortStamp(s)
	}
	if !ok || n == 0 {
		return time.Time{}, "", false, false
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' && s[n] != '|' {
		// ", Level" right after the time, as in "2016-09-28 04:30:30, Info".
		if s[n] != ',' || n+1 >= len(s) || (s[n+1] != ' ' && s[n+1] != '\t') {
			return time.Time{}, "", false, false
		}
		if tok, _ := nextToken(s[n+1:]); levelWord(tok) == "" {
			return time.Time{}, "", false, false
		}
		n++
	}
	return t, s[n:], !isDigit(s[0]) && t.Year() == 0, true
}

// parseShortStamp parses, at the start of s, a numeric date and time that
// [ParseTime] does not take: "yy/MM/dd HH:mm:ss" (two-digit year, '/'
// only) or a date without a year, "MM-dd HH:mm:ss" with '-', '.' or '/'
// (year 0, see [TimeFields]). Each date part has two digits; the clock has
// two-digit hours, minutes and seconds, then an optional fraction and zone.
// Day-first dates ("17/06/09" read as day 17) are not recognized: the
// two-digit-year layout is log4j's yy/MM/dd.
func parseShortStamp(s string) (t time.Time, n int, ok bool) {
	if len(s) < 14 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[3]) || !isDigit(s[4]) {
		return time.Time{}, 0, false
	}
	a, b := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	year, month, day := 0, a, b
	switch {
	case s[2] == '/' && s[5] == '/':
		if len(s) < 17 || !isDigit(s[6]) || !isDigit(s[7]) {
			return time.Time{}, 0, false
		}
		year, month, day, n = twoDigitYear(a), b, int(s[6]-'0')*10+int(s[7]-'0'), 8
	case (s[2] == '-' || s[2] == '.' || s[2] == '/') && s[5] == ' ':
		n = 5
	default:
		return time.Time{}, 0, false
	}
	if s[n] != ' ' || len(s) < n+9 || s[n+3] != ':' || s[n+6] != ':' {
		return time.Time{}, 0, false
	}
	n++
	c, cn, ok := parseClock(s[n:], false)
	if !ok || cn < 8 {
		return time.Time{}, 0, false
	}
	t, ok = makeTime(year, month, day, c)
	return t, n + cn, ok
}

// bracketStamp parses a timestamp in square brackets at the start of line
// ("[Sun Dec 04 04:47:44 2005]", "[10.30 16:49:06]"): the whole text inside
// the first pair of brackets is a [ParseTime] or [parseShortStamp] time,
// and the ']' is followed by a blank or the end of the line.
func bracketStamp(line string) (ts time.Time, rest string, ok bool) {
	end := strings.IndexByte(line, ']')
	if end < 2 || (end+1 < len(line) && line[end+1] != ' ' && line[end+1] != '\t') {
		return time.Time{}, "", false
	}
	in := line[1:end]
	t, n, ok := parseStamp(in)
	if !ok || n != len(in) {
		if t, n, ok = parseShortStamp(in); !ok || n != len(in) {
			return time.Time{}, "", false
		}
	}
	return t, line[end+1:], true
}

// closeBracket returns the index of the ']' that closes the '[' at s[0],
// counting nested brackets, or -1.
func closeBracket(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// maxProgramTokens is the number of tokens a program name may have before
// the " - " that ends it, as in "chrome.exe *64 - …".
const maxProgramTokens = 2

// dashProgram recognizes "program - content" after a bracketed timestamp:
// at most maxProgramTokens tokens that are not "-" and do not end in ':',
// then a lone "-". It returns the content, trimmed.
func dashProgram(s string) (content string, ok bool) {
	tok, after := nextToken(s)
	for i := 0; i < maxProgramTokens; i++ {
		if tok == "" || tok == "-" || strings.HasSuffix(tok, ":") {
			return "", false
		}
		if tok, after = nextToken(after); tok == "-" {
			return strings.TrimSpace(after), true
		}
	}
	return "", false
}

// logcatLevel returns the level of an Android logcat priority letter (V, D,
// I, W, E, F, A) from the one level table, or "".
func logcatLevel(tok string) string {
	if len(tok) != 1 {
		return ""
	}
	return tableLevel(tok)
}

// logcatContent returns the text after a logcat tag, which runs to the
// first ": " (logcat pads tags with spaces: "chatty  : …"), trimmed; or s
// trimmed when there is none.
func logcatContent(s string) string {
	if i := strings.Index(s, ": "); i > 0 && strings.TrimSpace(s[:i]) != "" {
		return strings.TrimSpace(s[i+2:])
	}
	return strings.TrimSpace(s)
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
	s = trimBlanks(s)
	if ts, rest, syslog, ok = stampAt(s); ok {
		return ts, rest, syslog, true
	}
	if _, after := nextToken(s); after != "" {
		return stampAt(trimBlanks(after))
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

package logline

import (
	"strings"
	"time"
)

// parseCLFTime parses the Common Log Format time of nginx and Apache access
// logs at the start of s, "02/Jan/2006:15:04:05 -0700" (the zone
// optional), and returns the bytes it used.
func parseCLFTime(s string) (t time.Time, n int, ok bool) {
	if len(s) < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' {
		return time.Time{}, 0, false
	}
	d, dn := digits(s, 2)
	mo, mok := monthName(s[3:6])
	y, yn := digits(s[7:], 4)
	if dn != 2 || !mok || yn != 4 {
		return time.Time{}, 0, false
	}
	c, cn, ok := parseClock(s[12:], false)
	if !ok || cn < 8 {
		return time.Time{}, 0, false
	}
	n = 12 + cn
	if n+5 <= len(s) && s[n] == ' ' && (s[n+1] == '+' || s[n+1] == '-') {
		if c2, cn2, ok := finishClock(s[n+1:], clockTime{}, 0); ok && cn2 == 5 {
			c.off = c2.off
			n += 6
		}
	}
	t, ok = makeTime(y, mo, d, c)
	return t, n, ok
}

// Record limits of [Joiner]: a record is cut after MaxRecordLines lines or
// once it holds MaxRecordBytes bytes, so one runaway dump (a goroutine dump
// of a large server has tens of thousands of lines) does not become one
// unbounded record. The line that would pass a limit starts a new record.
const (
	MaxRecordLines = 500
	MaxRecordBytes = 256 << 10
)

// Continues reports whether line, which has no header of its own (no
// [Detect] timestamp, not JSON or logfmt), has the shape of a line that
// continues the record above it rather than starting one. The shapes are
// those of multi-line records written by common runtimes, never a
// particular program's words:
//
//   - indented: it starts with a space or a tab (Java "\tat ...", Go
//     "\t/src/x.go:12 +0x1d", Python '  File "x.py", line 3', wrapped
//     SQL, banner art);
//   - a stack-dump line: "at ...", "Caused by:", "Suppressed:",
//     "... N more", "Traceback (most recent call last):", "During
//     handling of the above exception...", "The above exception was
//     the direct cause...", "goroutine N [", "created by ...";
//   - a Go stack frame: a function name containing '.' and no space
//     before its '(' (main.main(), net/http.(*conn).serve(0xc0001)), or
//     the runtime's panic(...), the line ending in ')';
//   - a Ruby backtrace location, "path:line:in `method'...";
//   - an exception line: a class name (letters, digits, '_', '.', '$')
//     that ends in Exception, Error or Throwable and is longer than that
//     word, then ':' or the end of the line (java.lang.IllegalStateException:
//     boom, ValueError: bad value).
//
// A blank line does not continue a record. Continues does not allocate.
func Continues(line string) bool {
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return false
	}
	if line[0] == ' ' || line[0] == '\t' {
		return trimBlanks(line) != ""
	}
	for _, p := range [...]string{"at ", "Caused by:", "Suppressed:", "Traceback (most recent call last)",
		"During handling of the above exception", "The above exception was the direct cause", "created by "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	if strings.HasPrefix(line, "... ") && strings.HasSuffix(line, " more") {
		return true
	}
	if strings.HasPrefix(line, "goroutine ") {
		n := len("goroutine ")
		d := n
		for d < len(line) && isDigit(line[d]) {
			d++
		}
		if d > n && d+1 < len(line) && line[d] == ' ' && line[d+1] == '[' {
			return true
		}
	}
	return goFrame(line) || exceptionLine(line) || rubyFrame(line)
}

// rubyFrame reports whether line starts with a Ruby backtrace location,
// "path:line:in `", as the first line of an uncaught exception is.
func rubyFrame(line string) bool {
	i := strings.Index(line, ":in `")
	if i <= 0 || strings.IndexAny(line[:i], " \t") >= 0 {
		return false
	}
	j := strings.LastIndexByte(line[:i], ':')
	return j > 0 && j+1 < i && isAllDigits(line[j+1:i])
}

// goFrame reports whether line is a Go stack frame: a dotted function name
// without spaces up to its '(', the line ending in ')'.
func goFrame(line string) bool {
	if line[len(line)-1] != ')' {
		return false
	}
	i := strings.IndexByte(line, '(')
	if i <= 0 {
		return false
	}
	// "(*conn).serve(...)": the receiver's parenthesis comes first.
	name := line[:i]
	if strings.HasSuffix(name, ".") {
		if j := strings.IndexByte(line[i:], ')'); j > 0 {
			if k := strings.IndexByte(line[i+j:], '('); k > 0 {
				name = line[:i+j+k]
			}
		}
	}
	// The runtime's own frame of a panic is "panic(...)", without package.
	return name == "panic" || strings.IndexByte(name, '.') > 0 && strings.IndexAny(name, " \t") < 0
}

// exceptionLine reports whether line starts with an exception class name
// followed by ':' or the end of the line (see [Continues]).
func exceptionLine(line string) bool {
	end := strings.IndexByte(line, ':')
	if end < 0 {
		end = len(line)
	}
	name := line[:end]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '.' || c == '$') {
			return false
		}
	}
	for _, s := range [...]string{"Exception", "Error", "Throwable"} {
		if len(name) > len(s) && strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// Joiner decides, line by line, which lines of a stream continue the
// record above them (see [Continues]): a line joins when it has no header,
// has a continuation shape, follows a record, and the record is under
// [MaxRecordLines] and [MaxRecordBytes]. The zero Joiner is ready; it is
// not safe for concurrent use.
type Joiner struct {
	lines, bytes int // of the current record; 0: none yet
}

// Next reports whether a line of n bytes (its newline included) joins the
// current record. header is true when the line has a header of its own
// (a [Detect] timestamp, a JSON or logfmt line, a --format match);
// continues is [Continues] of the line (callers may skip evaluating it for
// lines with a header). Blank lines are not passed to Next: they neither
// join nor end a record.
func (j *Joiner) Next(n int, header, continues bool) bool {
	if !header && continues && j.lines > 0 && j.lines < MaxRecordLines && j.bytes+n <= MaxRecordBytes {
		j.lines++
		j.bytes += n
		return true
	}
	j.lines, j.bytes = 1, n
	return false
}

// detectFamily recognizes the headers of common servers whose shape the
// generic rules of [Detect] do not cover (see the list there). line is
// trimmed.
func detectFamily(line string) (content string, ts time.Time, level string, ok bool) {
	if len(line) < 12 {
		return "", time.Time{}, "", false
	}
	switch c := line[0]; {
	case c == '[':
		return bracketLevelHeader(line)
	case isDigit(c):
		if content, ts, level, ok = redisHeader(line); ok {
			return content, ts, level, true
		}
		if t, rest, ok := criPrefix(line); ok {
			// Kubernetes CRI: the runtime's time, the application's
			// header (if any) inside.
			if c, _, lv, ok := Detect(rest); ok {
				return c, t, lv, true
			}
			return rest, t, "", true
		}
	case c >= 'A' && c <= 'Z':
		if content, ts, level, ok = klogHeader(line); ok {
			return content, ts, level, true
		}
		if content, ts, level, ok = rubyHeader(line); ok {
			return content, ts, level, true
		}
	}
	return accessHeader(line)
}

// klogHeader parses klog's "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg"
// (L one of I, W, E, F). The year is not written: year 0 (see
// [TimeFields]).
func klogHeader(line string) (string, time.Time, string, bool) {
	if !strings.ContainsRune("IWEF", rune(line[0])) {
		return "", time.Time{}, "", false
	}
	lv := tableLevel(line[:1])
	md, n := digits(line[1:], 4)
	if n != 4 || line[5] != ' ' {
		return "", time.Time{}, "", false
	}
	c, cn, ok := parseClock(line[6:], false)
	if !ok || cn < 8 {
		return "", time.Time{}, "", false
	}
	t, ok := makeTime(0, md/100, md%100, c)
	if !ok {
		return "", time.Time{}, "", false
	}
	rest := line[6+cn:]
	tid, after := nextToken(rest)
	if !isAllDigits(tid) {
		return "", time.Time{}, "", false
	}
	src, after := nextToken(after)
	if len(src) < 2 || src[len(src)-1] != ']' || strings.IndexByte(src, ':') < 0 {
		return "", time.Time{}, "", false
	}
	return strings.TrimSpace(after), t, lv, true
}

// rubyHeader parses Ruby's Logger format,
// "L, [2006-01-02T15:04:05.000000 #pid]  LEVEL -- progname: msg".
func rubyHeader(line string) (string, time.Time, string, bool) {
	if line[1] != ',' || line[2] != ' ' || line[3] != '[' {
		return "", time.Time{}, "", false
	}
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return "", time.Time{}, "", false
	}
	in := line[4:end]
	if i := strings.Index(in, " #"); i > 0 {
		in = in[:i]
	}
	t, ok := ParseTime(in)
	if !ok {
		return "", time.Time{}, "", false
	}
	tok, after := nextToken(line[end+1:])
	lv := levelWord(tok)
	if lv == "" {
		lv = levelName(tok) // ANY, UNKNOWN: no level
	}
	if i := strings.Index(after, "-- "); i >= 0 {
		after = after[i+3:]
		if j := strings.Index(after, ": "); j >= 0 && !strings.ContainsAny(after[:j], " \t") {
			after = after[j+2:]
		} else if strings.HasPrefix(after, ": ") {
			after = after[2:]
		}
	}
	return strings.TrimSpace(after), t, lv, true
}

// redisHeader parses Redis' "pid:R dd Mon yyyy hh:mm:ss.mmm L msg", R the
// role (M, S, C, X) and L the level mark (. debug, - verbose, * notice,
// # warning).
func redisHeader(line string) (string, time.Time, string, bool) {
	i := 0
	for i < len(line) && isDigit(line[i]) {
		i++
	}
	if i == 0 || i+3 >= len(line) || line[i] != ':' || !strings.ContainsRune("MSCX", rune(line[i+1])) || line[i+2] != ' ' {
		return "", time.Time{}, "", false
	}
	s := line[i+3:]
	d, dn := digits(s, 2)
	if dn == 0 || len(s) < dn+10 || s[dn] != ' ' {
		return "", time.Time{}, "", false
	}
	mo, ok := monthName(s[dn+1 : dn+4])
	if !ok || s[dn+4] != ' ' {
		return "", time.Time{}, "", false
	}
	y, yn := digits(s[dn+5:], 4)
	k := dn + 5 + yn
	if yn != 4 || k >= len(s) || s[k] != ' ' {
		return "", time.Time{}, "", false
	}
	c, cn, ok := parseClock(s[k+1:], false)
	if !ok {
		return "", time.Time{}, "", false
	}
	t, ok := makeTime(y, mo, d, c)
	if !ok {
		return "", time.Time{}, "", false
	}
	mark, after := nextToken(s[k+1+cn:])
	lv := ""
	switch mark {
	case ".", "-":
		lv = "DEBUG"
	case "*":
		lv = "INFO"
	case "#":
		lv = "WARN"
	default:
		return "", time.Time{}, "", false
	}
	return strings.TrimSpace(after), t, lv, true
}

// bracketLevelHeader parses a bracketed timestamp directly followed by a
// bracketed level, as Elasticsearch's log4j2 layout writes it,
// "[2018-05-30T12:34:56,939][INFO ][o.e.n.Node] [node-1] msg": the logger
// bracket after the level is skipped.
func bracketLevelHeader(line string) (string, time.Time, string, bool) {
	end := strings.IndexByte(line, ']')
	if end < 2 || end+1 >= len(line) || line[end+1] != '[' {
		return "", time.Time{}, "", false
	}
	in := line[1:end]
	t, ok := ParseTime(in)
	if !ok {
		return "", time.Time{}, "", false
	}
	rest := line[end+1:]
	lend := strings.IndexByte(rest, ']')
	if lend < 0 {
		return "", time.Time{}, "", false
	}
	lv := levelWord(strings.TrimSpace(rest[1:lend]))
	if lv == "" {
		return "", time.Time{}, "", false
	}
	rest = rest[lend+1:]
	if len(rest) > 0 && rest[0] == '[' {
		if e := closeBracket(rest); e > 0 {
			rest = rest[e+1:]
		}
	}
	return strings.TrimSpace(rest), t, lv, true
}

// maxAccessTokens is the number of tokens before the bracketed time of an
// access log line: client, identity and user in the Common Log Format
// (a virtual host may come first).
const maxAccessTokens = 4

// accessHeader parses the Common/Combined Log Format of nginx and Apache
// access logs, 'host ident user [02/Jan/2006:15:04:05 -0700] "GET / ..."
// 200 ...': the content is the text from the request on, with the client
// fields dropped. There is no level.
func accessHeader(line string) (string, time.Time, string, bool) {
	// Most lines have no '[' at all; IndexByte rejects them at memory speed.
	if strings.IndexByte(line, '[') < 0 {
		return "", time.Time{}, "", false
	}
	s := line
	for range maxAccessTokens {
		tok, after := nextToken(s)
		if tok == "" || after == "" {
			return "", time.Time{}, "", false
		}
		if tok[0] == '[' {
			return "", time.Time{}, "", false
		}
		s = trimBlanks(after)
		if len(s) > 0 && s[0] == '[' {
			t, n, ok := parseCLFTime(s[1:])
			if !ok || n+1 >= len(s) || s[n+1] != ']' {
				return "", time.Time{}, "", false
			}
			return strings.TrimSpace(s[n+2:]), t, "", true
		}
	}
	return "", time.Time{}, "", false
}

// postgresTail reads what PostgreSQL's default log_line_prefix
// ("%m [%p] ") puts after the timestamp: a zone abbreviation, the process
// id in brackets, then the severity ending in ':' (DEBUG1-5, INFO, NOTICE,
// WARNING, ERROR, LOG, FATAL, PANIC, and DETAIL, HINT, QUERY, CONTEXT,
// LOCATION, STATEMENT for the lines that complete an error). The zone name
// is not converted: times of a zone other than UTC/GMT stay as written.
func postgresTail(rest string) (content, level string, ok bool) {
	zone, after := nextToken(rest)
	if len(zone) < 2 || len(zone) > 5 || !isUpperWord(zone) {
		return "", "", false
	}
	pid, after := nextToken(after)
	if len(pid) < 3 || pid[0] != '[' || pid[len(pid)-1] != ']' || !isDigit(pid[1]) {
		return "", "", false
	}
	sev, after := nextToken(after)
	if len(sev) < 3 || sev[len(sev)-1] != ':' || !isUpperWord(sev[:len(sev)-1]) {
		return "", "", false
	}
	switch s := sev[:len(sev)-1]; s {
	case "LOG", "DETAIL", "HINT", "QUERY", "CONTEXT", "LOCATION", "STATEMENT":
		level = "INFO"
	case "PANIC":
		level = "FATAL"
	default:
		if strings.HasPrefix(s, "DEBUG") {
			level = "DEBUG"
		} else {
			level = levelWord(s)
		}
	}
	if level == "" {
		return "", "", false
	}
	return strings.TrimSpace(after), level, true
}

// isUpperWord reports whether s is made of upper-case ASCII letters and
// digits, starting with a letter.
func isUpperWord(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// apacheErrorTail reads what Apache's error log puts after its bracketed
// timestamp: "[module:level]" or "[level]". The "[pid ...]" and
// "[client ...]" brackets that may follow stay in the content, as in the
// Loghub Apache templates.
func apacheErrorTail(rest string) (content, level string, ok bool) {
	s := trimBlanks(rest)
	if len(s) < 3 || s[0] != '[' {
		return "", "", false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", "", false
	}
	in := s[1:end]
	if i := strings.IndexByte(in, ':'); i >= 0 {
		in = in[i+1:]
	}
	if level = levelWord(in); level == "" {
		if strings.HasPrefix(in, "trace") {
			level = "TRACE"
		} else {
			return "", "", false
		}
	}
	s = s[end+1:]
	return strings.TrimSpace(s), level, true
}

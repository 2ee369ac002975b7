package signature

// The value classes of signature version 3 (SPEC.md §5.1, §5.2, §6.4, §6.5
// and §7): quoted values and quoted free text, e-mail addresses, prefixed
// hex ids, host:port, quantities with a unit, function-like identifiers and
// the access-log rule. All of them work on the message's bytes without
// allocating.

import "github.com/srex-dev/lipservice-go/internal/unitword"

// Access-log states of writer.http.
const (
	httpMethod uint8 = 1 + iota // the last token ended with an HTTP method
	httpRoute                   // the last token held the route
	httpProto                   // the last token was a protocol version after the route
	httpTimers                  // the last token was a timer list (isTimerToken)
)

// isMethod reports an HTTP request method of RFC 9110 (§9) or RFC 5789
// (PATCH), in upper case.
func isMethod(s string) bool {
	switch s {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return true
	}
	return false
}

// isMethodToken reports a token whose last delimiter-free run is an HTTP
// method: GET, "GET, method=GET.
func isMethodToken(tok string) bool {
	n := len(tok)
	if n < 3 {
		return false
	}
	switch tok[n-1] {
	case 'T', 'D', 'E', 'S', 'H': // the last letters of the methods
	default:
		return false
	}
	k := n
	for k > 0 && n-k < 8 && class[tok[k-1]]&cDelim == 0 {
		k--
	}
	return isMethod(tok[k:]) // a run of 8 or more bytes is no method
}

// isProtoToken reports a token that is a protocol version (HTTP/1.1,
// HTTP/2, or its template HTTP/<*>), with an optional opening quote and
// closers other than '>' (which ends the <*>).
func isProtoToken(tok string) bool {
	if len(tok) > 0 && (tok[0] == '"' || tok[0] == '\'') {
		tok = tok[1:]
	}
	n := len(tok)
	for n > 0 && (tok[n-1] == '"' || tok[n-1] == '\'' || tok[n-1] == ',' || tok[n-1] == ';' || tok[n-1] == ')' || tok[n-1] == ']' || tok[n-1] == '}') {
		n--
	}
	core := tok[:n]
	if isProtoVersion(core) {
		return true
	}
	k := indexByte(core, '/')
	if k < 2 {
		return false
	}
	for i := 0; i < k; i++ {
		if core[i] < 'A' || core[i] > 'Z' {
			return false
		}
	}
	v := core[k+1:]
	return len(v) == 1 && isDigit(v[0]) || v == Wildcard
}

// isRootRoute reports a token that is the root route /, with closers.
func isRootRoute(tok string) bool {
	core, _ := trimClosers(tok)
	return core == "/"
}

// isPlainKV reports a token key=value whose value does not start with a
// quote: time=..., level=INFO.
func isPlainKV(tok string) bool {
	if tok == "" || !(isLetter(tok[0]) || tok[0] == '_') {
		return false
	}
	for k := 1; k < len(tok); k++ {
		c := tok[k]
		if c == '=' {
			return k+1 == len(tok) || tok[k+1] != '"' && tok[k+1] != '\''
		}
		if class[c]&^cKey != 0 {
			return false
		}
	}
	return false
}

// dateAt reports whether s starts with a date (dateLen).
func dateAt(s string) bool {
	n, _ := dateLen(s)
	return n > 0
}

func leadingOpens(tok string) int {
	n := 0
	for n < len(tok) && (tok[n] == '[' || tok[n] == '(') {
		n++
	}
	return n
}

// isDateWord reports a calendar date: yyyy-mm-dd, yyyy/mm/dd, yyyy.mm.dd,
// yymmdd / yyyymmdd, or dd/Mon/yyyy (the common log format's date, which
// Python's http.server and Django's runserver write before a space).
func isDateWord(s string) bool {
	switch len(s) {
	case 6, 8:
		return isDigits(s)
	case 11:
		return s[2] == '/' && s[6] == '/' && isDigits(s[:2]) && isMonth(s[3:6]) && isDigits(s[7:])
	case 10:
		c := s[4]
		return (c == '-' || c == '/' || c == '.') && s[7] == c && isDigits(s[:4]) && isDigits(s[5:7]) && isDigits(s[8:])
	}
	return false
}

// clockLen returns the length of the clock hh:mm:ss (with an optional '.'
// or ',' fraction) that s starts with, or 0.
func clockLen(s string) int {
	if len(s) < 8 || !isClock(s[:8]) {
		return 0
	}
	n := 8
	if n+1 < len(s) && (s[n] == '.' || s[n] == ',') && isDigit(s[n+1]) {
		n++
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	return n
}

// isZoneOffset reports a numeric time-zone offset: +hhmm, -hhmm, +hh:mm.
func isZoneOffset(s string) bool {
	if len(s) < 5 || (s[0] != '+' && s[0] != '-') {
		return false
	}
	if len(s) == 5 {
		return isDigits(s[1:])
	}
	return len(s) == 6 && s[3] == ':' && isDigits(s[1:3]) && isDigits(s[4:])
}

// stampAt returns the end of a timestamp written over two tokens that starts
// with tok, the token that ends at msg[j]: a date (isDateWord, after leading
// [ or () followed by a token that starts with a clock, whose end is
// returned (the rest of that token is rendered on its own), or by a clock
// token and a numeric zone offset, whose end before its closers is
// returned (three tokens); or a token that
// ends with a clock followed by a numeric zone offset (isZoneOffset) and
// closers, whose end before the closers is returned. 0 when neither applies.
func stampAt(msg, tok string, j int) int {
	x := tok[leadingOpens(tok):]
	date := isDateWord(x)
	if !date && !isDateTimeWord(x) {
		return 0
	}
	s, e := nextToken(msg, j)
	if s == e {
		return 0
	}
	next := msg[s:e]
	if date {
		n := clockLen(next)
		if n > 0 && n == len(next) {
			// A numeric zone after the time is part of the timestamp
			// (Ruby's and Go's default: 2023-12-07 10:05:07 +0000).
			if s2, e2 := nextToken(msg, e); s2 < e2 {
				if core, _ := trimClosers(msg[s2:e2]); isZoneOffset(core) {
					return s2 + len(core)
				}
			}
		}
		if n > 0 && (n == len(next) || !isLetter(next[n]) && !isDigit(next[n])) {
			return s + n
		}
		return 0
	}
	if !isDigits(x) {
		core, _ := trimClosers(next)
		if isZoneOffset(core) {
			return s + len(core)
		}
	}
	return 0
}

// isDateTimeWord reports a clock hh:mm:ss with an optional '.' or ','
// fraction, alone or after a date: dd/Mon/yyyy: (the common log format) or
// a date word (isDateWord) and 'T'.
func isDateTimeWord(x string) bool {
	// A fraction is the trailing run of digits after the last '.' or ','
	// (the last non-digit byte).
	k := len(x) - 1
	for k >= 0 && isDigit(x[k]) {
		k--
	}
	if k > 0 && k+1 < len(x) && (x[k] == '.' || x[k] == ',') {
		x = x[:k]
	}
	if len(x) < 8 || !isClock(x[len(x)-8:]) {
		return false
	}
	p := x[:len(x)-8]
	switch {
	case p == "":
		return true
	case len(p) == 12:
		return p[2] == '/' && p[6] == '/' && p[11] == ':' && isDigits(p[:2]) && isMonth(p[3:6]) && isDigits(p[7:11])
	default:
		return len(p) > 1 && p[len(p)-1] == 'T' && isDateWord(p[:len(p)-1])
	}
}

// isStatusToken reports a token that is an HTTP status code, 100 to 599,
// alone or as the value of key=value, with optional closers: 200, 503,
// status=404, 200,
func isStatusToken(tok string) bool {
	core, _ := trimClosers(tok)
	if n := len(core); n > 4 && core[n-4] == '=' {
		k := core[:n-4]
		if !(isLetter(k[0]) || k[0] == '_') {
			return false
		}
		for i := 0; i < len(k); i++ {
			if class[k[i]]&^cKey != 0 {
				return false
			}
		}
		core = core[n-3:]
	}
	return len(core) == 3 && core[0] >= '1' && core[0] <= '5' && isDigit(core[1]) && isDigit(core[2])
}

// routeOf writes a path that follows an HTTP method: its first segment is
// kept when it is a word (letters, '-' and '_'); a version label (v1, V2)
// is kept with the word segment that follows it. The rest becomes <*>. Any
// other first segment makes the whole path <*>.
func (w *writer) routeOf(b []byte, p string) []byte {
	k := routeSeg(p, 1)
	first := p[1:k]
	switch {
	case isRouteWord(first):
	case isVersionLabel(first) && k < len(p) && p[k] == '/' && isRouteWord(p[k+1:routeSeg(p, k+1)]):
		k = routeSeg(p, k+1)
	default:
		b = w.wild(b)
		for n := len(p); n > 0 && p[n-1] == ':'; n-- {
			b = w.byte(b, ':')
		}
		return b
	}
	if k < len(p) && p[k] == '?' && isRouteWord(p[k+1:]) {
		// A query that is one word selects a variant of the resource
		// (/server-status?auto, /service?wsdl): part of the route.
		return w.str(b, p)
	}
	b = w.str(b, p[:k])
	if k < len(p) {
		b = w.byte(b, p[k])
		if k+1 < len(p) {
			b = w.wild(b)
			for n := len(p); n > k+1 && p[n-1] == ':'; n-- {
				b = w.byte(b, ':')
			}
		}
	}
	return b
}

// routeSeg returns the end of the path segment of p that starts at i: the
// first '/', '?', '#' or ';' at or after i, or len(p).
func routeSeg(p string, i int) int {
	for i < len(p) && p[i] != '/' && p[i] != '?' && p[i] != '#' && p[i] != ';' {
		i++
	}
	return i
}

func isRouteWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// isVersionLabel reports v or V followed by one or two digits.
func isVersionLabel(s string) bool {
	return (len(s) == 2 || len(s) == 3) && (s[0] == 'v' || s[0] == 'V') && isDigits(s[1:])
}

// closingQuote returns the index in msg, at or after i, of the quote q that
// closes a quoted value: the first q that is not preceded by a backslash and
// is followed by the end of msg, a space, or one of , ; : . ) ] } >; -1 when
// there is none.
func closingQuote(msg string, i int, q byte) int {
	for ; i < len(msg); i++ {
		if msg[i] != q || i > 0 && msg[i-1] == '\\' {
			continue
		}
		if i+1 == len(msg) {
			return i
		}
		switch c := msg[i+1]; c {
		case ',', ';', ':', '.', ')', ']', '}', '>':
			return i
		default:
			if isSpace(c) {
				return i
			}
		}
	}
	return -1
}

// isLocalPart reports the local part of an e-mail address: letters, digits
// and . _ % + -, starting with a letter or digit.
func isLocalPart(s string) bool {
	if s == "" || !(isLetter(s[0]) || isDigit(s[0])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// hostAfterAt returns the length of the host name that s starts with, up
// to the next delimiter or ':' and without trailing dots, or 0 when that run
// is not a host name (§7).
func hostAfterAt(s string) int {
	n := 0
	for n < len(s) && class[s[n]]&(cDelim|cColon) == 0 {
		n++
	}
	core, _ := trimDots(s[:n])
	if !isHostName(core) {
		return 0
	}
	return len(core)
}

// isFuncName reports a function-like identifier (it is followed by '('):
// letters, digits and '_', starting with a letter, with every run of digits
// followed by a letter or '_' (digits inside the name: name2_init, ext4_fill).
func isFuncName(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digits = true
			if i+1 == len(s) {
				return false
			}
		case isLetter(c) || c == '_':
		default:
			return false
		}
	}
	return digits
}

// isPrefixedHex reports a digit-free id made of a prefix, '-' and a long hex
// word: vol-faecfedc, snap-deadbeefcafe.
func isPrefixedHex(s string) bool {
	// From the end: the hex part (most words end in a letter that is not
	// a hex digit, which ends the scan at once), then the '-'.
	k := len(s) - 1
	for k >= 0 && class[s[k]]&(cHex|cDigit) == cHex {
		k--
	}
	if k <= 0 || s[k] != '-' || len(s)-k-1 < 8 {
		return false
	}
	for i := 0; i < k; i++ {
		if c := s[i]; !isLetter(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// numberAt reports whether tok is a quantity's number: leading ( or [, then
// digits with at most one '.' between digits. It returns the number of
// leading open bytes. (A <*> is not a number here: a template keeps the
// amounts that were not a compound quantity.)
func numberAt(tok string) (opens int, ok bool) {
	for opens < len(tok) && (tok[opens] == '(' || tok[opens] == '[') {
		opens++
	}
	n := tok[opens:]
	if n == "" || !isDigit(n[0]) || !isDigit(n[len(n)-1]) {
		return 0, false
	}
	dots := 0
	for i := 0; i < len(n); i++ {
		if n[i] == '.' {
			dots++
		} else if !isDigit(n[i]) {
			return 0, false
		}
	}
	return opens, dots <= 1
}

// unitAfter returns the end of the token after msg[j] when that token,
// without its closers, is a unit of data size or time (isUnit), and the
// closers; else 0.
func unitAfter(msg string, j int) (int, string) {
	for j < len(msg) && isSpace(msg[j]) {
		j++
	}
	e := j
	for e < len(msg) && !isSpace(msg[e]) {
		e++
	}
	if core, closers := trimClosers(msg[j:e]); e > j && isUnit(core) {
		return e, closers
	}
	return 0, ""
}

// nextByte returns the first byte of the token after msg[j], or 0 when
// there is none.
func nextByte(msg string, j int) byte {
	for j < len(msg) && isSpace(msg[j]) {
		j++
	}
	if j < len(msg) {
		return msg[j]
	}
	return 0
}

// nextToken returns the bounds of the token after msg[j].
func nextToken(msg string, j int) (int, int) {
	for j < len(msg) && isSpace(msg[j]) {
		j++
	}
	e := j
	for e < len(msg) && !isSpace(msg[e]) {
		e++
	}
	return j, e
}

// isUnit reports a unit symbol or name of data size (the SI and IEC byte
// prefixes of IEC 80000-13, and bytes) or of time (SI symbols and the usual
// English names): the list of internal/unitword, which the miners share, so
// that the normalizer's compound quantity and the miners' units after a
// variable are one class. isUnitInitial lists the first byte of every unit.
func isUnit(s string) bool { return unitword.Is(s) }

// isUnitInitial reports a byte that starts a unit of isUnit.
func isUnitInitial(c byte) bool {
	switch c {
	case 'B', 'K', 'M', 'G', 'T', 'P', 'b', 'k', 'n', 'u', 'm', 's', 'h', 'd':
		return true
	}
	return false
}

// isHostPort reports host:port: a host name (§7), or a lower-case name of
// letters, digits, '-' and '.' that starts with a letter and contains '.' or
// '-', or localhost (RFC 6761); then ':' and a port of 1 to 5 digits. An
// upper-case letter outside a host name reads as a code name
// (DiskStore.Normal:2), not a host.
func isHostPort(s string) bool {
	k := indexByte(s, ':')
	if k <= 0 || len(s)-k-1 < 1 || len(s)-k-1 > 5 || !isDigits(s[k+1:]) {
		return false
	}
	host := s[:k]
	if !isLetter(host[0]) && !isLetter(host[len(host)-1]) {
		// Neither a name that starts with a letter nor a host name, whose
		// last label is letters: an IP address and port.
		return false
	}
	if host == "localhost" {
		return true
	}
	sep := false
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case c == '.' || c == '-':
			sep = true
		case c >= 'A' && c <= 'Z':
			return isHostName(host)
		case isLetter(c) || isDigit(c):
		default:
			return false
		}
	}
	return sep && isLetter(host[0]) && host[len(host)-1] != '.' && host[len(host)-1] != '-'
}

// quantity returns the end of a compound quantity that starts with tok, the
// token that ends at msg[j], and the closers that follow it: a number, a
// unit, then the same amount in another unit in parentheses, such as
// "1190 bytes (1.16 KB)"; else 0.
func quantity(msg, tok string, j int) (int, string) {
	// The cheapest tests first: the next token is a unit without closers
	// (at most 7 bytes), and the one after it starts with '('.
	s, e := nextToken(msg, j)
	if e-s > 7 || !isUnit(msg[s:e]) {
		return 0, ""
	}
	s, e2 := nextToken(msg, e)
	if e2-s < 2 || msg[s] != '(' {
		return 0, ""
	}
	if _, ok := numberAt(tok); !ok {
		return 0, ""
	}
	if opens, ok := numberAt(msg[s:e2]); !ok || opens != 1 {
		return 0, ""
	}
	e3, cl := unitAfter(msg, e2)
	if e3 == 0 || cl == "" || cl[0] != ')' {
		return 0, ""
	}
	return e3, cl[1:]
}

// hasWildcard reports whether s contains <*>.
func hasWildcard(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '<' && s[i+1] == '*' && s[i+2] == '>' {
			return true
		}
	}
	return false
}

// classes returns the union and intersection of the classes of the bytes of
// s.
func classes(s string) (or, and uint16) {
	and = ^uint16(0)
	for i := 0; i < len(s); i++ {
		or |= class[s[i]]
		and &= class[s[i]]
	}
	return or, and
}

// escapedQuote reports a backslash at s[i] followed by a quote.
func escapedQuote(s string, i int) bool {
	return s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'')
}

// isTimerToken reports the timer field of HAProxy's HTTP log format: five
// integers joined by '/' (TR/Tw/Tc/Tr/Ta), each of which may be -1 (a phase
// not reached) or carry a leading '+' (option logasap), or its template
// <*>: 0/0/1/3/4, 0/-1/-1/-1/0.
func isTimerToken(tok string) bool {
	if tok == Wildcard {
		return true
	}
	fields, digits := 1, 0
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case isDigit(c):
			digits++
		case c == '/':
			if digits == 0 {
				return false
			}
			fields++
			digits = 0
		case (c == '-' || c == '+') && (i == 0 || tok[i-1] == '/'):
		default:
			return false
		}
	}
	return fields == 5 && digits > 0
}

// keptStatus reports whether tok, rendered in access-log state state
// (httpRoute or later), is a status code that is kept: after the route or
// the protocol, a status token (isStatusToken); after a timer list, three
// bare digits followed by a byte count.
func keptStatus(msg, tok string, j int, or uint16, state uint8) bool {
	if state == httpTimers {
		return or == cDigit && isBareStatus(tok) && byteCountAfter(msg, j)
	}
	return isStatusToken(tok)
}

// isBareStatus reports three digits from 100 to 599 and nothing else.
func isBareStatus(tok string) bool {
	return len(tok) == 3 && tok[0] >= '1' && tok[0] <= '5' && isDigit(tok[1]) && isDigit(tok[2])
}

// byteCountAfter reports whether the token after msg[j] is a byte count: a
// run of digits with an optional leading '+' (HAProxy's logasap mark), or
// its template <*>.
func byteCountAfter(msg string, j int) bool {
	s, e := nextToken(msg, j)
	t := msg[s:e]
	if len(t) > 1 && t[0] == '+' {
		t = t[1:]
	}
	return t == Wildcard || isDigits(t)
}

// isMessageCode reports a message identifier written before the text of a
// message: upper-case letters (two or more, in groups that a '-' may
// join), an optional '-', three to six digits and a ':' (AH01071:,
// ORA-12541:, WFLYSRV0049:, KC-SERVICES0009:). It names the event
// (SPEC.md §6.2b).
func isMessageCode(s string) bool {
	n := len(s)
	if n < 6 || s[n-1] != ':' {
		return false
	}
	i, letters := 0, 0
	for i < n {
		if s[i] >= 'A' && s[i] <= 'Z' {
			letters++
		} else if !(s[i] == '-' && i > 0 && i+1 < n && s[i+1] >= 'A' && s[i+1] <= 'Z') {
			break
		}
		i++
	}
	if letters < 2 {
		return false
	}
	if s[i] == '-' {
		i++
	}
	d := n - 1 - i
	return d >= 3 && d <= 6 && isDigits(s[i:n-1])
}

// isErrnoOpen reports the start of an error number paired with its text in
// parentheses, (111: Connection refused): tok is '(', one to five digits
// and ':', and the next token after msg[j], without a trailing run of
// ) , ; . is a capitalized word: letters, the first upper-case and the
// second lower-case, that renders as written (not a long hex word, not a
// month or weekday name) (SPEC.md §5.4).
func isErrnoOpen(msg, tok string, j int) bool {
	n := len(tok)
	if n < 3 || n > 7 || tok[0] != '(' || tok[n-1] != ':' || !isDigits(tok[1:n-1]) {
		return false
	}
	s, e := nextToken(msg, j)
	for e > s && (msg[e-1] == ')' || msg[e-1] == ',' || msg[e-1] == ';' || msg[e-1] == '.') {
		e--
	}
	word := msg[s:e]
	if len(word) < 2 || msg[s] < 'A' || msg[s] > 'Z' || !isLower(msg[s+1]) {
		return false
	}
	_, and := classes(word)
	if and&cLetter == 0 {
		return false
	}
	// The word must render as written, or the template would not be
	// normalized the same: not a long hex word, not a date's month.
	return !(len(word) >= 8 && and&cHex != 0) && !(len(word) == 3 && (isMonth(word) || isWeekday(word)))
}

// wordNumber returns the length of the word and '-' that start p when p is
// a named instance, a word and a number joined by '-' (HikariPool-1,
// __consumer_offsets-12, Thread-50): letters and '_', ending with a letter,
// with at least two letters and an upper-case letter or a '_', then '-' and
// digits; else 0.
// The word names the kind; only the number varies. A lower-case word
// (node-1) has the shape of a host name and is not a named instance.
func wordNumber(p string) int {
	// Forward, so that a number or an id fails at its first bytes.
	letters, mark := 0, false
	k := 0
	for ; k < len(p); k++ {
		c := p[k]
		if isLower(c) {
			letters++
		} else if c >= 'A' && c <= 'Z' {
			letters++
			mark = true
		} else if c == '_' {
			mark = true
		} else {
			break
		}
	}
	if k+1 >= len(p) || p[k] != '-' || letters < 2 || !mark || !isLetter(p[k-1]) || !isDigits(p[k+1:]) {
		return 0
	}
	return k + 1
}

// closingEscaped returns the index in msg of the backslash of the first
// escaped quote \q at or after i, when it closes an escaped quoted value: it
// is followed by the end of msg, a space, a quote or one of , ; . ) ] } >.
// Else, and when there is no \q, it returns -1. A \q followed by ':' is the
// end of a key of escaped JSON ({\"user\":...}), not of a value.
func closingEscaped(msg string, i int, q byte) int {
	for ; i+1 < len(msg); i++ {
		if msg[i] != '\\' || msg[i+1] != q {
			continue
		}
		if i+2 == len(msg) {
			return i
		}
		switch c := msg[i+2]; c {
		case ',', ';', '.', ')', ']', '}', '>', '"', '\'':
			return i
		default:
			if isSpace(c) {
				return i
			}
		}
		return -1
	}
	return -1
}

// isImageRef reports name:tag with a version tag, as in a container image
// reference (nginx:1.25, registry.example.com/shop/cart:2.4.1-alpine): a
// lower-case name (letters, digits, '.', '-', '_', '/', starting with a
// letter), one ':', then an optional 'v' and two or three dot-separated
// numbers (a version, not a port), optionally
// followed by '-' or '_' and letters, digits or '.'.
func isImageRef(s string) bool {
	k := indexByte(s, ':')
	if k <= 0 || !isLower(s[0]) {
		return false
	}
	for i := 1; i < k; i++ {
		if c := s[i]; !isLower(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' && c != '/' {
			return false
		}
	}
	t := s[k+1:]
	if len(t) > 0 && t[0] == 'v' {
		t = t[1:]
	}
	i, groups := 0, 0
	for {
		d := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if i == d {
			return false
		}
		groups++
		if i == len(t) || t[i] != '.' || groups == 3 {
			break
		}
		i++
	}
	if groups < 2 {
		return false
	}
	if i == len(t) {
		return true
	}
	if t[i] != '-' && t[i] != '_' || i+1 == len(t) {
		return false
	}
	for i++; i < len(t); i++ {
		if c := t[i]; !isLetter(c) && !isDigit(c) && c != '.' {
			return false
		}
	}
	return true
}

// wholeVar reports whether s, the host of user@host (SPEC.md §5), renders
// as one <*>, possibly followed by dots, which it returns: a host:port, or
// parts joined by ':' each of which is masked whole (§6.3), with a '.' or '-'
// and a digit somewhere.
func wholeVar(s string) (ok bool, dots string) {
	or, _ := classes(s)
	if or&cDigit == 0 || or&(cDot|cDash) == 0 {
		return false, ""
	}
	if or&cColon != 0 && (isHostPort(s) || isColonHex(s)) {
		return true, ""
	}
	for {
		end, por, pand := scan(s, 0, cColon)
		r := classify(s[:end], por, pand)
		if !r.masked || r.prefix != "" {
			return false, ""
		}
		if end == len(s) {
			if hasNonDot(r.suffix) {
				return false, ""
			}
			return true, r.suffix
		}
		if r.suffix != "" {
			return false, ""
		}
		s = s[end+1:]
	}
}

// hasNonDot reports whether s has a byte other than '.'.
func hasNonDot(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' {
			return true
		}
	}
	return false
}

// hasUpper reports an upper-case ASCII letter in s.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// durationUnit returns the rank of the time unit that a glued duration tok
// ends with (3min, 12.441s, 41ms: a number, with at most one '.', then ns,
// us, ms, s, m, min, h, d or w; ranks 1 to 8 from ns to w) and whether the
// number is an integer; rank 0 when tok is no glued duration.
func durationUnit(tok string) (rank int, integer bool) {
	i := 0
	for i < len(tok) && isDigit(tok[i]) {
		i++
	}
	if i == 0 {
		return 0, false
	}
	integer = true
	if i < len(tok) && tok[i] == '.' {
		i++
		d := i
		for i < len(tok) && isDigit(tok[i]) {
			i++
		}
		if i == d {
			return 0, false
		}
		integer = false
	}
	switch tok[i:] {
	case "ns":
		rank = 1
	case "us":
		rank = 2
	case "ms":
		rank = 3
	case "s":
		rank = 4
	case "m", "min":
		rank = 5
	case "h":
		rank = 6
	case "d":
		rank = 7
	case "w":
		rank = 8
	}
	return rank, integer
}

// durationRun returns the end of the last token of one duration written
// as several glued tokens with units from larger to smaller, every number
// but the last an integer (3min 12.441s, 1h 2min 3s), that starts with tok
// = msg[:j], and the closers of that last token (trimClosers, then '.' and
// ':'); 0 when the next token does
// not continue tok so.
func durationRun(msg, tok string, j int) (int, string) {
	rank, integer := durationUnit(tok)
	end, closers := 0, ""
	for rank > 0 && integer {
		s, e := nextToken(msg, j)
		x := msg[s:e]
		n := len(x)
		for n > 0 && (x[n-1] == '.' || x[n-1] == ':') {
			n-- // the end of a sentence or a label
		}
		core, cl := trimClosers(x[:n])
		cl = x[len(core):]
		r, in := durationUnit(core)
		if r == 0 || r >= rank {
			break
		}
		end, closers, j = e, cl, e
		if cl != "" {
			break
		}
		rank, integer = r, in
	}
	return end, closers
}

// ipLiteralEnd is the end of ipLiteralPort's literal and port, or 0.
func ipLiteralEnd(tok string) int {
	_, e := ipLiteralPort(tok)
	return e
}

// ipLiteralPort reports an IPv6 literal in brackets with a port ([::]:80,
// [2001:db8::1]:443, RFC 3986 §3.2.2) in tok after a leading run of ( " '
// and before closers (trimClosers). It returns the bounds of the literal
// and port in tok, or 0, 0.
func ipLiteralPort(tok string) (start, end int) {
	p := 0
	for p < len(tok) && (tok[p] == '(' || tok[p] == '"' || tok[p] == '\'') {
		p++
	}
	if p == len(tok) || tok[p] != '[' {
		return 0, 0
	}
	i, colons := p+1, 0
	for i < len(tok) && (class[tok[i]]&(cDigit|cHex) != 0 || tok[i] == ':' || tok[i] == '.') {
		if tok[i] == ':' {
			colons++
		}
		i++
	}
	if colons < 2 || i+2 >= len(tok) || tok[i] != ']' || tok[i+1] != ':' {
		return 0, 0
	}
	d := i + 2
	for d < len(tok) && isDigit(tok[d]) {
		d++
	}
	if d == i+2 || d-i-2 > 5 {
		return 0, 0
	}
	if core, _ := trimClosers(tok[d:]); core != "" {
		return 0, 0
	}
	return p, d
}

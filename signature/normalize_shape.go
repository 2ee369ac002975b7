// Shape predicates of the normalizer: protocol versions, URLs, paths,
// hex, host names, dates, clocks and zones (the classes of SPEC.md). Split
// from normalize.go (issue 12); no code changed.

package signature

import "github.com/srex-dev/lipservice-go/internal/calendar"

// isProtoVersion reports a protocol name and version such as HTTP/1.1 or
// SIP/2.0: two or more upper-case letters, '/', a digit, '.', a digit.
func isProtoVersion(s string) bool {
	n := len(s)
	if n < 6 || s[n-4] != '/' || !isDigit(s[n-3]) || s[n-2] != '.' || !isDigit(s[n-1]) {
		return false
	}
	for i := 0; i < n-4; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isURL reports a URL: a scheme (a letter, then letters, digits, '+', '.'
// or '-'; at least 2 bytes), "://", and at least one more byte.
func isURL(s string) bool {
	i := 0
	for i < len(s) && (isLetter(s[i]) || (i > 0 && (isDigit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-'))) {
		i++
	}
	return i >= 2 && len(s) > i+3 && s[i] == ':' && s[i+1] == '/' && s[i+2] == '/'
}

// isPathStart reports whether s is a Unix or Windows-relative path: it starts
// with '/', '\', "./", "../" or "~/" and contains a letter or digit.
func isPathStart(s string) bool {
	switch {
	case len(s) >= 2 && (s[0] == '/' || s[0] == '\\'):
	case len(s) >= 3 && (s[:2] == "./" || s[:2] == "~/"):
	case len(s) >= 4 && s[:3] == "../":
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) || isDigit(s[i]) {
			return true
		}
	}
	return false
}

// isDrivePath reports a Windows path such as C:\Users or D:/x.
func isDrivePath(s string) bool {
	return len(s) >= 4 && isLetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')
}

// isColonHex reports a MAC or IPv6 address: at least three ':' separating
// hex groups of at most four digits, with at least one decimal digit, and at
// least one group that is not a constant piece (see isConstPart).
func isColonHex(s string) bool {
	colons, run, digit := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			colons++
			run = 0
		case class[c]&(cDigit|cHex) != 0:
			run++
			if run > 4 {
				return false
			}
			digit = digit || isDigit(c)
		default:
			return false
		}
	}
	if colons < 3 || !digit {
		return false
	}
	// At least one group must be a variable: a group such as A0 or ab12
	// is a constant piece, and a run of constants joined by ':' is what the
	// colon-part rule leaves of a segment once its variables are masked
	// (so that normalizing a template changes nothing).
	for start, i := 0, 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ':' {
			continue
		}
		if g := s[start:i]; hasDigit(g) && !isConstPart(g) {
			return true
		}
		start = i + 1
	}
	return false
}

// isLongHex reports a word of at least eight hex letters (a digit-free hex
// id such as ffffffff or deadbeefcafe).
func isLongHex(s string) bool {
	if len(s) < 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&cHex == 0 {
			return false
		}
	}
	return true
}

// isHostName reports a DNS name: two or more labels of letters, digits and
// '-', the last of which is a common top-level domain, or, with three or
// more labels, any two-letter country code that is not a common file
// extension.
func isHostName(s string) bool {
	labels, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(isLetter(c) || isDigit(c) || c == '-') {
				return false
			}
			continue
		}
		if i == start {
			return false
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	last := s[lastIndexByte(s, '.')+1:]
	if commonTLD(lower3(last)) {
		return true
	}
	if labels < 3 || len(last) != 2 || !isLower(last[0]) || !isLower(last[1]) {
		return false
	}
	if commonTLD(s[:indexByte(s, '.')]) {
		// A reverse domain name (com.tencent.mm, org.example.ui): a Java
		// or Android package or a bundle id, written from the top-level
		// domain down, names code, not a host (SPEC §7).
		return false
	}
	switch last {
	case "py", "js", "rb", "go", "cc", "sh", "pl", "md", "so", "gz", "xz", "ko", "cs", "ts", "rs", "db", "pm", "hh", "el", "mk", "in", "am", "ac", "ps", "ai", "gs":
		return false
	}
	return true
}

// commonTLD reports whether s is one of the common top-level domains of
// a host name (SPEC §7), in lower case.
func commonTLD(s string) bool {
	switch s {
	case "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "local", "lan", "internal", "localdomain", "arpa", "io":
		return true
	}
	return false
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func lastIndexByte(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// lower3 returns s when it is already lower case, else a sentinel that
// matches no TLD; TLDs are matched case-sensitively in lower case only
// except for the common upper-case forms handled by the caller's data.
func lower3(s string) string {
	for i := 0; i < len(s); i++ {
		if !isLower(s[i]) {
			return ""
		}
	}
	return s
}

// dateLen reports whether s starts with a syslog/ctime date such as
// "Fri Jun 17 07:07:00 2005", "Jun 17 07:07:00" or
// "Fri Jul 01 08:16:53 PDT 2005". It returns the number of bytes consumed and
// any closing punctuation that followed the date's last token (kept in the
// template).
func dateLen(s string) (n int, tail string) {
	p := 0
	tok := func() string {
		for p < len(s) && isSpace(s[p]) {
			p++
		}
		q := p
		for q < len(s) && !isSpace(s[q]) {
			q++
		}
		t := s[p:q]
		p = q
		return t
	}
	t := tok()
	if isWeekday(t) {
		t = tok()
	}
	if !isMonth(t) {
		return 0, ""
	}
	if d := tok(); !isDayOfMonth(d) {
		return 0, ""
	}
	clock := tok()
	cl, ctail := trimClosers(clock)
	if !isClock(cl) {
		return 0, ""
	}
	end, tail := p, ctail
	if ctail != "" {
		return end, tail
	}
	save := p
	t = tok()
	if isZone(t) {
		end = p
		save = p
		t = tok()
	}
	y, ytail := trimClosers(t)
	if len(y) == 4 && isDigits(y) {
		return p, ytail
	}
	_ = save
	return end, tail
}

func trimClosers(s string) (core, tail string) {
	n := len(s)
	for n > 0 {
		switch s[n-1] {
		case ')', ']', '}', '>', ',', ';', '"', '\'':
			n--
			continue
		}
		break
	}
	return s[:n], s[n:]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isWeekday(s string) bool { return calendar.IsWeekday(s) }

func isMonth(s string) bool { return calendar.IsMonth(s) }

func isDayOfMonth(s string) bool {
	return (len(s) == 1 || len(s) == 2) && isDigits(s)
}

// isClock matches hh:mm:ss with an optional fraction.
func isClock(s string) bool {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return false
	}
	if !isDigits(s[:2]) || !isDigits(s[3:5]) || !isDigits(s[6:8]) {
		return false
	}
	if len(s) == 8 {
		return true
	}
	return (s[8] == '.' || s[8] == ',') && isDigits(s[9:])
}

// isZone matches a time-zone abbreviation: 2 to 5 upper-case letters.
func isZone(s string) bool {
	if len(s) < 2 || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

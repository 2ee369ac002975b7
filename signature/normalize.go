package signature

import "github.com/srex-dev/lipservice-go/internal/fnv"

// MaxMessageBytes is how much of a message is read: [AppendNormalize],
// [Normalize] and [Of] look at the first MaxMessageBytes bytes only (cut back
// to the start of a UTF-8 sequence), so two messages that share their first
// 16 KiB share their template. The template itself is also capped at
// MaxMessageBytes bytes: tokens that would push it past the cap are dropped.
const MaxMessageBytes = 16 << 10

// Wildcard is the placeholder that replaces every variable part of a message.
const Wildcard = "<*>"

// AppendNormalize appends the template of msg to dst and returns the extended
// slice. It does not allocate when dst has enough capacity (a template is at
// most [MaxMessageBytes] bytes).
//
// The rules are specified in SPEC.md. In short: whitespace runs become one
// space; a token is split at the delimiters ()[]{}<>,;="'|@#!?* and backtick;
// a syslog-style date (Fri Jun 17 07:07:00 2005) becomes one <*>; the value of
// key=value becomes <*> when it contains a digit; paths, host names, long hex
// words and every part that contains a digit become <*>, except identifiers
// such as ssh2 or eth0 (two or more letters and a one- or two-digit suffix); a
// constant dotted or slashed prefix is kept (core.<*>); runs of variables
// joined by ':' (IP:port, times, MAC and IPv6 addresses) become a single <*>.
//
// AppendNormalize never panics: invalid UTF-8 is copied through unchanged
// (splits happen only at ASCII bytes, so valid UTF-8 stays valid) and NUL and
// other control bytes are ordinary token bytes.
func AppendNormalize(dst []byte, msg string) []byte {
	msg = clip(msg)
	start := len(dst)
	i := 0
	for i < len(msg) {
		for i < len(msg) && isSpace(msg[i]) {
			i++
		}
		if i >= len(msg) {
			break
		}
		mark := len(dst)
		if mark > start {
			dst = append(dst, ' ')
		}
		if n, tail := dateLen(msg[i:]); n > 0 {
			dst = append(dst, Wildcard...)
			dst = append(dst, tail...)
			i += n
		} else {
			j := i
			for j < len(msg) && !isSpace(msg[j]) {
				j++
			}
			dst = appendToken(dst, msg[i:j])
			i = j
		}
		if len(dst)-start > MaxMessageBytes {
			return dst[:mark]
		}
	}
	return dst
}

// Normalize returns the template of msg; see [AppendNormalize].
func Normalize(msg string) string {
	var buf [256]byte
	return string(AppendNormalize(buf[:0], msg))
}

// Of returns the signature of msg's template, OfTemplate(Normalize(msg)),
// without allocating: the template is hashed while it is built.
func Of(msg string) Sig {
	var buf [1024]byte
	b := AppendNormalize(buf[:0], msg)
	return Sig(fnv.AddBytes(fnv.Offset64, b))
}

// WithKey folds one attribute key into s and returns the result. Structured
// records (slog, OpenTelemetry) get their signature from the message plus the
// sorted set of attribute keys; values never enter it.
//
// The fold is an addition of a mixed hash of the key (see SPEC.md), so it is
// commutative: the result depends on the multiset of keys, not on their order.
func WithKey(s Sig, key string) Sig { return s + Sig(mix(fnv.String(key))) }

// mix is the 64-bit finalizer of MurmurHash3 (fmix64).
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// clip cuts msg to MaxMessageBytes, backing off to the start of a UTF-8
// sequence.
func clip(msg string) string {
	if len(msg) <= MaxMessageBytes {
		return msg
	}
	n := MaxMessageBytes
	for k := 0; k < 3 && n > 0 && msg[n]&0xC0 == 0x80; k++ {
		n--
	}
	return msg[:n]
}

// byte classes, indexed by byte value.
const (
	clsSpace = 1 << iota // token separator
	clsDelim             // splits a token into segments
	clsDigit
	clsLetter // ASCII letter
	clsHex    // a-f A-F
	clsStop   // ends the value of key=value
	clsOpen   // a value starting with it is not treated as a key=value value
)

var class = func() (t [256]uint8) {
	for _, c := range " \t\n\r\v\f" {
		t[c] |= clsSpace
	}
	for _, c := range "()[]{}<>,;=\"'|@#!?*`" {
		t[c] |= clsDelim
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= clsDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= clsLetter
		t[c-'a'+'A'] |= clsLetter
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= clsHex
	}
	for _, c := range ",;()[]{}<>\"'|" {
		t[c] |= clsStop
	}
	for _, c := range "([{<\"'" {
		t[c] |= clsOpen
	}
	return t
}()

func isSpace(c byte) bool  { return class[c]&clsSpace != 0 }
func isDelim(c byte) bool  { return class[c]&clsDelim != 0 }
func isDigit(c byte) bool  { return class[c]&clsDigit != 0 }
func isLetter(c byte) bool { return class[c]&clsLetter != 0 }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// appendToken normalizes one whitespace-free token.
func appendToken(dst []byte, tok string) []byte {
	pos := 0
	for pos < len(tok) {
		c := tok[pos]
		if isDelim(c) {
			dst = append(dst, c)
			pos++
			continue
		}
		end := pos
		for end < len(tok) && !isDelim(tok[end]) {
			end++
		}
		seg := tok[pos:end]
		if end < len(tok) && tok[end] == '=' && isKey(seg) {
			dst = append(dst, seg...)
			dst = append(dst, '=')
			v := end + 1
			if v < len(tok) && class[tok[v]]&clsOpen == 0 {
				e := v
				for e < len(tok) && class[tok[e]]&clsStop == 0 {
					e++
				}
				if hasDigit(tok[v:e]) {
					dst = append(dst, Wildcard...)
					pos = e
					continue
				}
			}
			pos = v
			continue
		}
		dst = appendSegment(dst, seg)
		pos = end
	}
	return dst
}

// isKey reports whether s can be the key of key=value: a letter or '_'
// followed by letters, digits, '_', '.' or '-'.
func isKey(s string) bool {
	if s == "" || !(isLetter(s[0]) || s[0] == '_') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// appendSegment normalizes a delimiter-free piece of a token.
func appendSegment(dst []byte, seg string) []byte {
	if isPathStart(seg) || isDrivePath(seg) {
		// A path runs to the end of the segment, except trailing colons.
		dst = append(dst, Wildcard...)
		for n := len(seg); n > 0 && seg[n-1] == ':'; n-- {
			dst = append(dst, ':')
		}
		return dst
	}
	if isColonHex(seg) {
		return append(dst, Wildcard...)
	}
	prevVar := false // dst ends with a <*> written for the previous part
	for k := 0; ; k++ {
		colon := indexByte(seg, ':')
		part := seg
		if colon >= 0 {
			part = seg[:colon]
		}
		r := classifyPart(part)
		if r.masked && r.prefix == "" && prevVar {
			// Joined to the previous variable: IP:port, hh:mm:ss.
			dst = append(dst, r.suffix...)
		} else {
			if k > 0 {
				dst = append(dst, ':')
			}
			dst = append(dst, r.prefix...)
			if r.masked {
				dst = append(dst, Wildcard...)
			}
			dst = append(dst, r.suffix...)
		}
		prevVar = r.masked && r.suffix == ""
		if colon < 0 {
			return dst
		}
		seg = seg[colon+1:]
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// rendering is how one colon-free part is written: prefix, then <*> when
// masked, then suffix. prefix and suffix are substrings of the part.
type rendering struct {
	prefix string
	masked bool
	suffix string
}

// classifyPart decides how one colon-free part is written.
func classifyPart(part string) rendering {
	if part == "" {
		return rendering{prefix: part}
	}
	if isPathStart(part) {
		return rendering{masked: true}
	}
	core, trail := trimDots(part)
	if core == "" {
		return rendering{prefix: part}
	}
	if !hasDigit(core) {
		if isHostName(core) || isLongHex(core) {
			return rendering{masked: true, suffix: trail}
		}
		return rendering{prefix: part}
	}
	// Keep a constant prefix of '.' or '/'-separated parts.
	i := 0
	for i < len(core) {
		j := i
		for j < len(core) && core[j] != '.' && core[j] != '/' {
			j++
		}
		if !isConstPart(core[i:j]) {
			break
		}
		if j == len(core) {
			return rendering{prefix: part}
		}
		i = j + 1
	}
	return rendering{prefix: part[:i], masked: true, suffix: trail}
}

// trimDots splits a trailing run of '.' off s.
func trimDots(s string) (core, trail string) {
	n := len(s)
	for n > 0 && s[n-1] == '.' {
		n--
	}
	return s[:n], s[n:]
}

// isConstPart reports whether a dot/slash-separated piece that may contain
// digits reads as a constant: no digit at all, or an identifier of at least
// two letters ending in a one- or two-digit suffix (ssh2, eth0, metrics2), or
// one upper-case letter and one digit (L1, C1).
func isConstPart(p string) bool {
	n := len(p)
	d := n
	for d > 0 && isDigit(p[d-1]) {
		d--
	}
	if d == n {
		return !hasDigit(p)
	}
	if d == 1 && n == 2 && p[0] >= 'A' && p[0] <= 'Z' {
		return true // L1, C1
	}
	if n-d > 2 || d < 2 || !isLetter(p[d-1]) || hasDigit(p[:d]) {
		return false
	}
	letters := 0
	for i := 0; i < d; i++ {
		if isLetter(p[i]) {
			letters++
		}
	}
	return letters >= 2
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
// hex groups of at most four digits, with at least one decimal digit.
func isColonHex(s string) bool {
	colons, run, digit := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			colons++
			run = 0
		case class[c]&(clsDigit|clsHex) != 0:
			run++
			if run > 4 {
				return false
			}
			digit = digit || isDigit(c)
		default:
			return false
		}
	}
	return colons >= 3 && digit
}

// isLongHex reports a word of at least eight hex letters (a digit-free hex
// id such as ffffffff or deadbeefcafe).
func isLongHex(s string) bool {
	if len(s) < 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&clsHex == 0 {
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
	switch lower3(last) {
	case "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "local", "lan", "internal", "localdomain", "arpa", "io":
		return true
	}
	if labels < 3 || len(last) != 2 || !isLower(last[0]) || !isLower(last[1]) {
		return false
	}
	switch last {
	case "py", "js", "rb", "go", "cc", "sh", "pl", "md", "so", "gz", "xz", "ko", "cs", "ts", "rs", "db", "pm", "hh", "el", "mk", "in", "am", "ac", "ps", "ai", "gs":
		return false
	}
	return true
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

func isWeekday(s string) bool {
	switch s {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

func isMonth(s string) bool {
	switch s {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

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

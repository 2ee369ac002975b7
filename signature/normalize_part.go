// How the normalizer renders one delimiter-free piece of a token: the
// classification of its parts into kept text and <*>. Split from
// normalize.go (issue 12) so the scanner and the rendering read apart; no
// code changed.

package signature

// segment writes a delimiter-free piece of a token whose bytes have the
// classes or (union) and and (intersection).
func (w *writer) segment(b []byte, seg string, or, and uint16) []byte {
	switch {
	case or&^cWord == 0:
		if len(seg) >= 8 && (and&cHex != 0 || or&cDash != 0 && isPrefixedHex(seg)) {
			b = w.wild(b)
		} else {
			b = w.str(b, seg)
		}
	case or == cDigit:
		b = w.wild(b)
	case or&(cColon|cSlash|cBack) == 0:
		b = w.part(b, classify(seg, or, and))
	default:
		b = w.segmentSlow(b, seg, or)
	}
	return b
}

// pathWild writes a path or URL p: <*>, then one ':' for each ':' of the
// trailing run of ':' of p.
func (w *writer) pathWild(b []byte, p string) []byte {
	if w.route {
		w.route, w.routed = false, true
		if p[0] == '/' {
			return w.routeOf(b, p)
		}
	}
	b = w.wild(b)
	for n := len(p); n > 0 && p[n-1] == ':'; n-- {
		b = w.byte(b, ':')
	}
	return b
}

func (w *writer) part(b []byte, r rendering) []byte {
	b = w.str(b, r.prefix)
	if r.masked {
		b = w.wild(b)
	}
	return w.str(b, r.suffix)
}

// segmentSlow writes a segment that contains ':', '/' or '\'; or is the
// union of the classes of its bytes.
func (w *writer) segmentSlow(b []byte, seg string, or uint16) []byte {
	if seg[len(seg)-1] == ':' && isMessageCode(seg) {
		return w.str(b, seg)
	}
	if or&(cSlash|cBack) != 0 && (isPathStart(seg) || isDrivePath(seg) || isURL(seg)) {
		return w.pathWild(b, seg)
	}
	if or&^(cColon|cDigit|cLetter|cHex) == 0 && or&cDigit != 0 && isColonHex(seg) {
		return w.wild(b)
	}
	if or&^(cColon|cDigit|cLetter|cHex|cDot|cDash) == 0 && or&cDigit != 0 && isDigit(seg[len(seg)-1]) && isHostPort(seg) {
		return w.wild(b)
	}
	if c := seg[len(seg)-1]; isLower(seg[0]) && (isDigit(c) || isLetter(c)) && or&(cDigit|cDot) == cDigit|cDot && isImageRef(seg) {
		// name:tag, a container image reference, is one variable.
		return w.wild(b)
	}
	prevVar := false // the template ends with a <*> written for the previous part
	for k := 0; ; k++ {
		end, por, pand := scan(seg, 0, cColon)
		r := classify(seg[:end], por, pand)
		if r.masked && r.prefix == "" && prevVar {
			// Joined to the previous variable: IP:port, hh:mm:ss.
			b = w.str(b, r.suffix)
		} else {
			if k > 0 {
				b = w.byte(b, ':')
			}
			b = w.part(b, r)
		}
		prevVar = r.masked && r.suffix == ""
		if end == len(seg) {
			return b
		}
		seg = seg[end+1:]
	}
}

// classify decides how one colon-free part is written, given the union (or)
// and intersection (and) of the classes of its bytes; it is classifyPart
// with shortcuts for the common shapes.
func classify(part string, or, and uint16) rendering {
	switch {
	case part == "":
		return rendering{}
	case or&^cWord == 0:
		// No digit, dot or slash: only the long-hex rules apply.
		if len(part) >= 8 && (and&cHex != 0 || or&cDash != 0 && isPrefixedHex(part)) {
			return rendering{masked: true}
		}
		return rendering{prefix: part}
	case or&(cDigit|cDot|cSlash|cBack) == cDigit:
		// One piece with a digit: an identifier such as eth0 or a variable.
		if isConstPart(part) {
			return rendering{prefix: part}
		}
		if or&cDash != 0 {
			if k := wordNumber(part); k > 0 {
				return rendering{prefix: part[:k], masked: true}
			}
		}
		return rendering{masked: true}
	}
	return classifyPart(part)
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
		if isHostName(core) || isLongHex(core) || isPrefixedHex(core) {
			return rendering{masked: true, suffix: trail}
		}
		return rendering{prefix: part}
	}
	if isProtoVersion(core) {
		return rendering{prefix: part}
	}
	// Keep a constant prefix of '.' or '/'-separated parts.
	i := 0
	for {
		j := i
		for j < len(core) && core[j] != '.' && core[j] != '/' {
			j++
		}
		if !isConstPart(core[i:j]) {
			if pre, _ := trimDots(core[:i]); len(pre) < i && wholeWild(pre) {
				// The prefix would be masked on its own (a host name or a
				// long hex word), and so in the template: mask it all.
				return rendering{masked: true, suffix: trail}
			}
			if j == len(core) {
				if k := wordNumber(core[i:j]); k > 0 {
					return rendering{prefix: part[:i+k], masked: true, suffix: trail}
				}
			}
			break
		}
		if j == len(core) {
			if isHostName(core) {
				return rendering{masked: true, suffix: trail}
			}
			return rendering{prefix: part}
		}
		i = j + 1
	}
	return rendering{prefix: part[:i], masked: true, suffix: trail}
}

// wholeWild reports whether a core of constant pieces is masked whole: a
// host name, or a digit-free long hex word.
func wholeWild(core string) bool {
	return isHostName(core) || !hasDigit(core) && (isLongHex(core) || isPrefixedHex(core))
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

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
// Version 3 adds value classes: a quoted value of a key and a quoted run of
// free text, an e-mail address, host:port, a prefixed hex id and one amount
// in two units are each one <*>; in an access-log-shaped message the HTTP
// status, the route's first segment and the protocol version are kept (GET
// /api/<*> HTTP/2 ... 500). Later v3 classes keep an error number with its
// text ((111: Connection refused)), a message code (AH01071:) and the name
// of a named instance (HikariPool-<*>), and make one <*> of an escaped
// quoted value, user@host with a variable host, name:tag, a duration in
// several tokens (3min 12.441s) and an IPv6 literal with a port ([::]:80).
//
// AppendNormalize never panics: invalid UTF-8 is copied through unchanged
// (splits happen only at ASCII bytes, so valid UTF-8 stays valid) and NUL and
// other control bytes are ordinary token bytes.
func AppendNormalize(dst []byte, msg string) []byte {
	w := writer{h: fnv.Offset64, keep: true}
	return w.normalize(dst, msg)
}

// AppendSig is [AppendNormalize] that also returns the signature of the
// appended template, OfTemplate(string(template[len(dst):])), computed in the
// same pass. It does not allocate when dst has enough capacity.
func AppendSig(dst []byte, msg string) (template []byte, sig Sig) {
	w := writer{h: fnv.Offset64, keep: true}
	template = w.normalize(dst, msg)
	return template, Sig(w.h)
}

// Normalize returns the template of msg; see [AppendNormalize].
func Normalize(msg string) string {
	var buf [256]byte
	return string(AppendNormalize(buf[:0], msg))
}

// Of returns the signature of msg's template, OfTemplate(Normalize(msg)). It
// never allocates: the template is hashed while it is built and is not
// stored.
func Of(msg string) Sig {
	w := writer{h: fnv.Offset64}
	w.normalize(nil, msg)
	return Sig(w.h)
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

// Byte classes, indexed by byte value: every byte has at least one bit, so
// the OR of a token's classes tells which rules can apply to it and the AND
// tells which class all its bytes share.
const (
	cSpace  uint16 = 1 << iota // token separator: \t \n \v \f \r and space
	cDelim                     // splits a token into segments: ()[]{}<>,;="'|@#!?*`
	cStop                      // ends the value of key=value: ,;()[]{}<>"'|
	cOpen                      // a key=value value starting with it is kept: ([{<"'
	cDigit                     // 0-9
	cLetter                    // A-Z a-z
	cHex                       // A-F a-f
	cDot                       // .
	cColon                     // :
	cSlash                     // /
	cBack                      // \
	cDash                      // -
	cUnder                     // _
	cOther                     // every other byte, including NUL and 0x80-0xFF

	// cWord are the classes of a token or segment that no rule but the
	// long-hex one can change.
	cWord = cLetter | cHex | cDash | cUnder | cOther
	// cKey are the classes of the bytes of a key in key=value.
	cKey = cLetter | cHex | cDigit | cUnder | cDot | cDash
)

var class = func() (t [256]uint16) {
	set := func(bytes string, c uint16) {
		for i := 0; i < len(bytes); i++ {
			t[bytes[i]] |= c
		}
	}
	set(" \t\n\r\v\f", cSpace)
	set("()[]{}<>,;=\"'|@#!?*`", cDelim)
	set(",;()[]{}<>\"'|", cStop)
	set("([{<\"'", cOpen)
	set("0123456789", cDigit)
	set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", cLetter)
	set("ABCDEFabcdef", cHex)
	set(".", cDot)
	set(":", cColon)
	set("/", cSlash)
	set(`\`, cBack)
	set("-", cDash)
	set("_", cUnder)
	for i := range t {
		if t[i] == 0 {
			t[i] = cOther
		}
	}
	return t
}()

func isSpace(c byte) bool  { return class[c]&cSpace != 0 }
func isDigit(c byte) bool  { return class[c]&cDigit != 0 }
func isLetter(c byte) bool { return class[c]&cLetter != 0 }

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// writer receives the template as it is produced: it folds every byte into
// the FNV-1a hash h and, when keep is set, appends it to the buffer passed
// along (append-style, so that a caller's stack buffer does not escape).
// size counts the template bytes written.
type writer struct {
	h    uint64
	size int
	keep bool
	// http is the state of the access-log rule (SPEC.md §5.2): 0 none,
	// httpMethod after an HTTP method token, httpRoute after the route
	// token, httpProto after a protocol version that followed the route,
	// httpTimers after a timer list (isTimerToken).
	http uint8
	// route is set while the token after an HTTP method is rendered: its
	// first path is written as a route; routed records that it was.
	route, routed bool
	// lead is set while every token so far was a key=value whose value
	// does not start with a quote (SPEC.md §5, message text).
	lead bool
	// litEnd is set when the token's last segment was rendered by the
	// segment rule (not swallowed by a path's run-on or a key's value),
	// so that a method at the end of the token is in the template.
	litEnd bool
}

func (w *writer) str(b []byte, s string) []byte {
	if w.keep {
		b = append(b, s...)
	}
	h := w.h
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnv.Prime64
	}
	w.h = h
	w.size += len(s)
	return b
}

func (w *writer) byte(b []byte, c byte) []byte {
	if w.keep {
		b = append(b, c)
	}
	w.h = (w.h ^ uint64(c)) * fnv.Prime64
	w.size++
	return b
}

func (w *writer) wild(b []byte) []byte {
	if w.keep {
		b = append(b, Wildcard...)
	}
	h := (w.h ^ '<') * fnv.Prime64
	h = (h ^ '*') * fnv.Prime64
	w.h = (h ^ '>') * fnv.Prime64
	w.size += len(Wildcard)
	return b
}

// normalize writes the template of msg.
func (w *writer) normalize(b []byte, msg string) []byte {
	msg = clip(msg)
	w.lead = true
	start := len(b)
	i := 0
	for i < len(msg) {
		for i < len(msg) && isSpace(msg[i]) {
			i++
		}
		if i >= len(msg) {
			break
		}
		markSize, markH := w.size, w.h
		if markSize > 0 {
			b = w.byte(b, ' ')
		}
		// One scan finds the token's end and the classes of its bytes.
		j, or, and := scan(msg, i, cSpace)
		tok := msg[i:j]
		if or&^cWord == 0 {
			// The most common token: a word that only the date rule and
			// the long-hex rules can change. It has no '=' (so it ends
			// the leading key=value run), is no status or protocol token,
			// and starts the access-log rule only when it is a method.
			if len(tok) == 3 && (isMonth(tok) || isWeekday(tok)) {
				if n, tail := dateLen(msg[i:]); n > 0 {
					b = w.wild(b)
					b = w.str(b, tail)
					j = i + n
				} else {
					b = w.str(b, tok)
				}
			} else if len(tok) >= 8 && (and&cHex != 0 || or&cDash != 0 && isPrefixedHex(tok)) {
				b = w.wild(b)
			} else {
				b = w.str(b, tok)
			}
			w.lead = false
			w.http = 0
			if len(tok) <= 7 && tok[0] <= 'T' && isMethod(tok) {
				// An HTTP method (upper case; most words start lower-case).
				w.http = httpMethod
			}
			i = j
			if w.size > MaxMessageBytes {
				w.size, w.h = markSize, markH
				if w.keep {
					b = b[:start+markSize]
				}
				return b
			}
			continue
		}
		state := w.http
		w.http = 0
		if or == cDigit && state == 0 {
			// A number, the most common token after a word: only the
			// rules of a quantity or a timestamp, which look at the next
			// token, can apply; otherwise it is <*> (§6.3) and ends the
			// leading key=value run.
			if c := nextByte(msg, j); !isUnitInitial(c) && (len(tok) < 6 || !isDigit(c) && c != '+' && c != '-') {
				b = w.wild(b)
				w.lead = false
				i = j
				if w.size > MaxMessageBytes {
					w.size, w.h = markSize, markH
					if w.keep {
						b = b[:start+markSize]
					}
					return b
				}
				continue
			}
		}
		// The rules of SPEC.md §3 that come before token rendering, in
		// their order, each tried only when the token's classes and the
		// first byte of the next token allow it.
		done := false
		w.litEnd = false
		if state >= httpRoute && (state == httpRoute && or&cSlash != 0 && isProtoToken(tok) || keptStatus(msg, tok, j, or, state)) {
			// Access-log rule: the protocol version after the route (HTTP/2
			// as HTTP/1.1) and the status code are part of the event (the
			// status after the route or protocol; or, in a timed access
			// record such as HAProxy's, after the timers and before the
			// byte count).
			b = w.str(b, tok)
			done = true
		} else if or&cDigit != 0 {
			c := nextByte(msg, j)
			if or&^(cDigit|cDot|cDelim|cStop|cOpen) == 0 && isUnitInitial(c) {
				// One amount in two units is one variable: 1190 bytes (1.16 KB).
				if qk, qcl := quantity(msg, tok, j); qk > 0 {
					opens, _ := numberAt(tok)
					b = w.str(b, tok[:opens])
					b = w.wild(b)
					b = w.str(b, qcl)
					j = qk
					done = true
				}
			}
			if !done && isDigit(tok[0]) && isLetter(tok[len(tok)-1]) && isDigit(c) {
				// One duration in several glued tokens: 3min 12.441s.
				if k, cl := durationRun(msg, tok, j); k > 0 {
					b = w.wild(b)
					b = w.str(b, cl)
					j = k
					done = true
				}
			}
			// A date and a time, or a time and a numeric zone, in two
			// tokens are one timestamp (SPEC.md §3.2): the next token
			// starts with a clock's digit or a zone's sign. A date
			// dd/Mon/yyyy has letters: its '/' before the year lets it in.
			if !done && len(tok) >= 6 && (isDigit(c) || c == '+' || c == '-') && (or&cColon != 0 || len(tok) <= 12 && or&^(cDigit|cDash|cSlash|cDot|cDelim|cStop|cOpen) == 0 || len(tok) <= 13 && tok[len(tok)-5] == '/') {
				if k := stampAt(msg, tok, j); k > 0 {
					opens := leadingOpens(tok)
					b = w.str(b, tok[:opens])
					b = w.wild(b)
					if k < len(msg) && !isSpace(msg[k]) {
						e, _, _ := scan(msg, k, cSpace)
						b, k = w.token(b, msg, k, e)
					}
					j = k
					done = true
				}
			}
		}
		if !done {
			switch {
			case or&cDelim == 0 && state != httpMethod:
				b = w.segment(b, tok, or, and)
			case len(tok) == 4 && tok[0] == '[' && (isMonth(tok[1:]) || isWeekday(tok[1:])) && dateAt(msg[i+1:]):
				// A bracketed date: [Sun Mar 12 09:14:02.123456 2023].
				n, tail := dateLen(msg[i+1:])
				b = w.byte(b, '[')
				b = w.wild(b)
				b = w.str(b, tail)
				j = i + 1 + n
			case or&(cColon|cDigit) == cColon|cDigit && tok[0] == '(' && isErrnoOpen(msg, tok, j):
				// An error number and its text: (111: Connection refused).
				b = w.str(b, tok)
			case or&(cColon|cDigit) == cColon|cDigit && ipLiteralEnd(tok) > 0:
				// An IPv6 literal and a port is host:port: [::]:80.
				p, e := ipLiteralPort(tok)
				b = w.str(b, tok[:p])
				b = w.wild(b)
				b = w.str(b, tok[e:])
			default:
				w.route = state == httpMethod
				w.routed = false
				b, j = w.token(b, msg, i, j)
				w.route = false
				if state == httpMethod && (w.routed || hasWildcard(msg[i:j]) || isRootRoute(tok)) {
					w.http = httpRoute
				}
			}
		}
		if w.lead {
			w.lead = or&cDelim != 0 && isPlainKV(tok) // '=' is a delimiter
		}
		if c := tok[len(tok)-1]; c >= 'D' && c <= 'T' && w.litEnd && isMethodToken(tok) {
			// The token ends with a method in the template; this wins over
			// a route the token holds (GET <*>!GET /A).
			w.http = httpMethod
		} else if w.http == 0 {
			switch {
			case state == httpRoute && isProtoToken(tok):
				w.http = httpProto
			case or&cSlash != 0 && or&^(cDigit|cSlash|cDash|cOther) == 0 || len(tok) == 3 && tok == Wildcard:
				if isTimerToken(tok) {
					w.http = httpTimers
				}
			}
		}
		i = j
		if w.size > MaxMessageBytes {
			w.size, w.h = markSize, markH
			if w.keep {
				b = b[:start+markSize]
			}
			return b
		}
	}
	return b
}

// scan returns the index of the first byte of s at or after i whose class
// has a bit of stop (len(s) if none), and the union and intersection of the
// classes of the bytes before it. It is kept out of line so that its loop
// runs in registers.
//
//go:noinline
func scan(s string, i int, stop uint16) (end int, or, and uint16) {
	and = ^uint16(0)
	for ; i < len(s); i++ {
		c := class[s[i]]
		if c&stop != 0 {
			break
		}
		or |= c
		and &= c
	}
	return i, or, and
}

// token writes the whitespace-free token msg[i:j] and returns the end of
// what it consumed: j, or the end of a later token when a quoted value or a
// quoted run of free text (SPEC.md §5.1) spans whitespace.
func (w *writer) token(b []byte, msg string, i, j int) ([]byte, int) {
	tok := msg[i:j]
	pos := 0
	if q := tok[0]; (q == '"' || q == '\'') && !w.lead && !isMethodToken(tok) {
		// A quoted run of free text, across whitespace, is one variable.
		if c := closingQuote(msg, i+1, q); c >= j {
			b = w.byte(b, q)
			b = w.wild(b)
			b = w.byte(b, q)
			j, _, _ = scan(msg, c, cSpace)
			tok = msg[i:j]
			pos = c + 1 - i
		}
	}
	for pos < len(tok) {
		c := tok[pos]
		if class[c]&cDelim != 0 {
			b = w.byte(b, c)
			pos++
			continue
		}
		if c == '\\' && pos+1 < len(tok) && (tok[pos+1] == '"' || tok[pos+1] == '\'') {
			// An escaped quoted value is one variable, \"<*>\", like a
			// quoted one; an escaped quote that opens none is kept.
			q := tok[pos+1]
			b = w.byte(b, c)
			b = w.byte(b, q)
			if e := closingEscaped(msg, i+pos+2, q); e >= 0 {
				if e > i+pos+2 {
					b = w.wild(b)
				}
				b = w.byte(b, '\\')
				b = w.byte(b, q)
				if e+2 > j {
					j, _, _ = scan(msg, e+2, cSpace)
					tok = msg[i:j]
				}
				pos = e + 2 - i
				continue
			}
			pos += 2
			continue
		}
		end, or, and := scan(tok, pos, cDelim)
		if end == len(tok) {
			// The last segment of the token: no rule that looks at the
			// delimiter after a segment applies.
			b = w.segment(b, tok[pos:], or, and)
			w.litEnd = true
			break
		}
		d := tok[end] // the delimiter after the segment
		if (d == '"' || d == '\'') && end-1 > pos && tok[end-1] == '\\' {
			// The segment ends before an escaped quote.
			end--
			or, and = classes(tok[pos:end])
			d = '\\'
		}
		seg := tok[pos:end]
		if or&(cSlash|cBack) != 0 && (isPathStart(seg) || isDrivePath(seg) || isURL(seg)) {
			// A path or URL runs on across the delimiters that occur in
			// paths and URLs (* = @ # ! ?), up to a stop byte, a backtick
			// or the end of the token; delimiters at its end are not part
			// of it.
			e := end
			for e < len(tok) && class[tok[e]]&cStop == 0 && tok[e] != '`' && !escapedQuote(tok, e) {
				e++
			}
			for e > end && class[tok[e-1]]&cDelim != 0 {
				e--
			}
			b = w.pathWild(b, tok[pos:e])
			pos = e
			continue
		}
		switch d {
		case '=':
			if or&^cKey != 0 || !isLetter(seg[0]) && seg[0] != '_' {
				break
			}
			// key=value: the value, up to a stop byte, is masked when it
			// contains a digit; a quoted value is masked whole.
			b = w.str(b, seg)
			b = w.byte(b, '=')
			v := end + 1
			if v < len(tok) && class[tok[v]]&cOpen == 0 {
				e := v
				var vor uint16
				for {
					for e < len(tok) && class[tok[e]]&(cStop|cBack) == 0 {
						vor |= class[tok[e]]
						e++
					}
					if e < len(tok) && tok[e] == '\\' && !escapedQuote(tok, e) {
						vor |= cBack
						e++
						continue
					}
					break
				}
				if w.route && tok[v] == '/' {
					b = w.pathWild(b, tok[v:e])
					pos = e
					continue
				}
				if vor&cDigit != 0 {
					b = w.wild(b)
					pos = e
					continue
				}
			} else if v < len(tok) && (tok[v] == '"' || tok[v] == '\'') && !(w.lead && pos == 0) {
				q := tok[v]
				if c := closingQuote(msg, i+v+1, q); c >= 0 {
					b = w.byte(b, q)
					if c > i+v+1 {
						b = w.wild(b)
					}
					b = w.byte(b, q)
					if c >= j {
						j, _, _ = scan(msg, c, cSpace)
						tok = msg[i:j]
					}
					pos = c + 1 - i
					continue
				}
			}
			pos = v
			continue
		case '@':
			// An e-mail address is one variable, and so is user@host when
			// the host is a variable (rabbit@node-1, root@10.0.0.1).
			if isLocalPart(seg) {
				if n := hostAfterAt(tok[end+1:]); n > 0 {
					b = w.wild(b)
					pos = end + 1 + n
					continue
				}
				if !hasUpper(seg) {
					h, _, _ := scan(tok, end+1, cDelim)
					ok, dots := wholeVar(tok[end+1 : h])
					if c := indexByte(tok[end+1:h], ':'); !ok && c > 0 {
						// The host ends at a ':' that no port follows
						// (worker@3.service: ...).
						h = end + 1 + c
						ok, dots = wholeVar(tok[end+1 : h])
					}
					if ok {
						b = w.wild(b)
						b = w.str(b, dots)
						pos = h
						continue
					}
				}
			}
		case '(':
			// A function-like identifier keeps its digits: name2_init().
			if or&cDigit != 0 && isFuncName(seg) {
				b = w.str(b, seg)
				pos = end
				continue
			}
		}
		b = w.segment(b, seg, or, and)
		pos = end
	}
	return b, j
}

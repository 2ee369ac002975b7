package logline

import (
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/srex-dev/lipservice-go/internal/keybuf"
	"github.com/srex-dev/lipservice-go/signature"
)

// Kind is the syntax [Parser.Parse] found on a line.
type Kind uint8

const (
	// Plain is a line that is neither a JSON object nor logfmt: its header
	// is read by [Detect].
	Plain Kind = iota
	// JSON is a line that is one JSON object.
	JSON
	// Logfmt is a line of key=value pairs.
	Logfmt
	// Malformed is a line that starts like a JSON object or logfmt but is
	// not valid (an unterminated string, trailing text, a missing ':'). It
	// is read as a [Plain] line; callers count it.
	Malformed
)

// String returns the kind's name in lower case.
func (k Kind) String() string {
	switch k {
	case JSON:
		return "json"
	case Logfmt:
		return "logfmt"
	case Malformed:
		return "malformed"
	}
	return "plain"
}

// Structured-line limits.
const (
	// MaxAttrs is the number of attribute keys that enter a structured
	// line's pattern: the first MaxAttrs in line order, the same bound
	// slogx applies to slog records (its maxAttrs), so a line and the
	// in-process record it came from see the same keys. Lines with more
	// attributes lose the order independence of the later keys.
	MaxAttrs = 16
	// maxFields is the number of fields (attributes plus time, level and
	// message) a line is scanned for; later fields are not read. Real
	// service logs carry 5 to 30 fields.
	maxFields = 64
	// maxDepth bounds the nesting of JSON objects whose members are
	// flattened into dotted keys, as slogx bounds slog groups.
	maxDepth = 8
)

// Keys chooses the fields of a structured line that hold its message, time
// and level, and the attributes whose values enter its pattern. The zero
// Keys uses the defaults (see [Parser]).
type Keys struct {
	// Message, Time and Level, when not empty, name the only field read
	// for each (compared ignoring ASCII case; a nested JSON field is named
	// with dots, "log.level"), replacing the default names.
	Message, Time, Level string
	// Values names attributes whose value, not only whose key, enters the
	// pattern: low-cardinality fields such as an HTTP status or method.
	// The caller owns the slice; NewParser copies it.
	Values []string
}

// Parser reads the message, time, level and pattern of structured lines:
// JSON objects (slog's JSONHandler, zap, zerolog, logrus, Bunyan, pino,
// Elastic Common Schema, hclog, Serilog's compact JSON, structlog,
// journald's JSON export, Docker's json-file, OpenTelemetry's JSON) and
// logfmt (slog's TextHandler, go-kit, logrus' text formatter, Grafana,
// Heroku). It is immutable once built and safe for concurrent use; the
// [Scratch] passed to Parse is not.
//
// # Fields
//
// JSON members whose value is an object are flattened into dotted keys
// ("req":{"id":1} is the key "req.id"), to a depth of 8 and within 256
// bytes of qualified keys per line, as slogx qualifies slog groups; an
// array is one field. Logfmt keys are taken as written. Keys are compared
// with the names below ignoring ASCII case; among the fields a name list
// matches, the one whose name comes first in the list wins, and the first
// occurrence among equal names. Only the first 64 fields of a line are
// read.
//
//	time     time, ts, timestamp, @timestamp, @t, t, datetime, asctime,
//	         __realtime_timestamp, _source_realtime_timestamp,
//	         timeunixnano, time_unix_nano, observedtimeunixnano,
//	         time_local, start_time, date
//	level    level, lvl, severity, @level, @l, levelname, log.level,
//	         loglevel, level_name, severitytext, severity_text,
//	         severitynumber, severity_number, priority, at
//	message  msg, message, @message, @m, @mt, log, body, body.value,
//	         body.stringvalue, short_message, event
//
// A time is a [ParseTime] layout, an access-log time
// ("07/Dec/2016:11:05:07 +0100"), or a Unix time as a number or a string
// of digits whose unit follows from its integer digits (9–11 seconds,
// 12–14 milliseconds, 15–17 microseconds, 18–19 nanoseconds; an optional
// fraction). A level is a name (trace, debug, info, information, notice,
// warn, warning, error, err, severe, fatal, critical, crit, alert, emerg,
// emergency, panic, dpanic, verbose, and log15's eror and dbug, in any case, with slog's "+N"/"-N"
// offset ignored) or a number: Bunyan and pino's 10, 20, ... 60 (TRACE to
// FATAL) under any level name; OpenTelemetry severity numbers 1–24 under
// severity_number / severitynumber; syslog severities 0–7 under priority
// (journald) and severity. Other numbers are ambiguous (zerolog's -1..5,
// GELF's syslog levels under "level") and give no level. A level field
// whose value is not understood gives no level, and the next name on the
// list is tried. A message that is not a string is the field's raw text.
//
// A line with a message but no level field whose message has a header of
// its own (Docker's {"log":"2024-... ERROR ...\n"}) takes the level, and
// the time when it has none, from that header ([Detect]), and the message
// is the content after it. A message without a level that is itself a JSON
// object or logfmt (Docker's json-file around a JSON logger) is read as the
// line, once, with the wrapper's time when it has none. The prefix of CRI
// container logs (Kubernetes: "2024-05-07T10:04:17.5Z stdout F ...") is
// read the same way around the line it carries.
//
// # Pattern
//
// The pattern ID of a structured line is the one slogx and the sampler
// give the same record logged in-process with sampler.WithAttrKeys(true):
// signature.Of(message) folded with signature.WithKey over the keys of its
// attributes (every field but the ones read as time, level and message,
// and the call-site fields "source" and "caller", which slog and zap add
// outside the record's attributes). The fold is commutative, so the ID
// does not depend on the order of the keys; values never enter it, except
// for the attributes named in [Keys].Values, whose key is folded as
// "key=value" (the value as written, quotes and escapes removed).
type Parser struct {
	keys   Keys
	values []string
}

// NewParser returns a Parser that reads fields by keys.
func NewParser(keys Keys) *Parser {
	p := &Parser{keys: keys}
	p.values = append([]string(nil), keys.Values...)
	p.keys.Values = p.values
	return p
}

// Record is what [Parser.Parse] reads from a structured line. Its strings
// alias the line or the [Scratch].
type Record struct {
	// Message is the message field (unescaped, surrounding white space
	// trimmed), or "" when there is none.
	Message string
	// Time is the time field in UTC, or the zero Time.
	Time time.Time
	// Level is the canonical level (TRACE, DEBUG, INFO, WARN, ERROR,
	// FATAL), or "" when there is none.
	Level string
	// Sig is the line's pattern ID (see [Parser]).
	Sig signature.Sig
	// Keys are the attribute keys folded into Sig, in line order, at most
	// [MaxAttrs]; a key of [Keys].Values reads "key=value". They alias the
	// Scratch and are valid until its next use.
	Keys []string
}

// Scratch is the working memory of [Parser.Parse]: the fields of one line,
// qualified keys, and unescaped strings. The zero Scratch is ready. A
// Scratch is used by one goroutine at a time. Strings of a [Record] that
// point into it stay valid until [Scratch.Reset]: unescaped messages are
// appended, so one Scratch can serve a block of lines whose records are
// all read afterwards.
type Scratch struct {
	n      int
	fields [maxFields]field
	kb     keybuf.Buffer
	keys   [MaxAttrs]string
	vbuf   [keybuf.MaxBytes]byte // "key=value" keys
	vn     int
	text   []byte // unescaped strings, appended
}

// Reset forgets the unescaped strings of earlier records.
func (sc *Scratch) Reset() {
	if cap(sc.text) > 64<<10 {
		sc.text = nil // one huge line grew it: do not keep the memory
	}
	sc.text = sc.text[:0]
}

// field is one key and its raw value.
type field struct {
	key  string
	val  string // raw: a string without its quotes, escapes kept
	kind uint8
	role uint8
}

const (
	vString    uint8 = iota // a string without escapes
	vStringEsc              // a string with backslash escapes
	vNumber
	vLiteral   // true, false, null, or a logfmt bare value
	vComposite // a JSON array, or an object too deep to flatten
)

// Parse reads line (without its newline). For a [JSON] or [Logfmt] line it
// returns the record; for a [Plain] or [Malformed] line the Record is zero
// and the caller reads the header with [Detect]. Parse does not allocate
// once sc has grown to the longest escaped message, and never panics.
func (p *Parser) Parse(line string, sc *Scratch) (Record, Kind) {
	s := trimSpaceASCII(line)
	if s == "" {
		return Record{}, Plain
	}
	if t, rest, ok := criPrefix(s); ok {
		// A container runtime's line around the application's: the
		// application's fields, the runtime's time when it has none.
		r, kind := p.parse(rest, sc, true)
		if r.Time.IsZero() {
			r.Time = t
		}
		return r, kind
	}
	return p.parse(s, sc, true)
}

// parse reads s, trimmed and not empty; with nested set, a message that
// is itself a JSON object or logfmt, in a record without a level (Docker's
// {"log":"{\"level\":...}\n"}), is read instead of its wrapper, the
// wrapper's time standing in for a missing one.
func (p *Parser) parse(s string, sc *Scratch, nested bool) (Record, Kind) {
	if s == "" {
		return Record{}, Plain
	}
	sc.n = 0
	sc.kb.Reset("")
	sc.vn = 0
	var kind Kind
	if s[0] == '{' {
		i, ok := sc.object(s, 1, 0, 0, 0)
		if !ok || trimSpaceASCII(s[i:]) != "" {
			return Record{}, Malformed
		}
		kind = JSON
	} else {
		kind = sc.logfmt(s)
		if kind != Logfmt {
			return Record{}, kind
		}
	}
	r := p.record(sc)
	if nested && r.Level == "" && r.Message != "" {
		if in, k := p.parse(r.Message, sc, false); k == JSON || k == Logfmt {
			if in.Time.IsZero() {
				in.Time = r.Time
			}
			return in, k
		}
	}
	return r, kind
}

// criPrefix reads the prefix the CRI container runtimes (containerd,
// CRI-O) write before each line of a Kubernetes container log,
// "2006-01-02T15:04:05.999999999Z07:00 stdout|stderr F|P ", and returns
// its time and the rest.
func criPrefix(s string) (time.Time, string, bool) {
	if len(s) < 30 || !isDigit(s[0]) {
		return time.Time{}, "", false
	}
	sp := strings.IndexByte(s, ' ')
	if sp < 19 {
		return time.Time{}, "", false
	}
	rest := s[sp+1:]
	var tag string
	switch {
	case strings.HasPrefix(rest, "stdout "):
		tag = rest[7:]
	case strings.HasPrefix(rest, "stderr "):
		tag = rest[7:]
	default:
		return time.Time{}, "", false
	}
	if len(tag) < 2 || (tag[0] != 'F' && tag[0] != 'P') || tag[1] != ' ' {
		return time.Time{}, "", false
	}
	t, ok := ParseTime(s[:sp])
	if !ok {
		return time.Time{}, "", false
	}
	return t, trimSpaceASCII(tag[2:]), true
}

// Field ranks: the position of each default name in its list.
var (
	timeNames = []string{"time", "ts", "timestamp", "@timestamp", "@t", "t", "datetime", "asctime",
		"__realtime_timestamp", "_source_realtime_timestamp", "timeunixnano", "time_unix_nano",
		"observedtimeunixnano", "time_local", "start_time", "date"}
	levelNames = []string{"level", "lvl", "severity", "@level", "@l", "levelname", "log.level", "loglevel",
		"level_name", "severitytext", "severity_text", "severitynumber", "severity_number", "priority", "at"}
	messageNames = []string{"msg", "message", "@message", "@m", "@mt", "log", "body", "body.value",
		"body.stringvalue", "short_message", "event"}
)

// Field roles.
const (
	roleAttr uint8 = iota
	roleTime
	roleLevel
	roleMessage
)

// maxNameBytes is the length of the longest default name.
const maxNameBytes = len("_source_realtime_timestamp")

// defaultRole returns the role and rank of a default name (its position in
// timeNames, levelNames or messageNames, which TestDefaultRole checks),
// ignoring ASCII case; roleAttr when key is none of them.
func defaultRole(key string) (role, rank uint8) {
	if len(key) > maxNameBytes || len(key) == 0 {
		return roleAttr, 0
	}
	var b [maxNameBytes]byte
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(key)]) { // no allocation: the conversion only compares
	case "time":
		return roleTime, 0
	case "ts":
		return roleTime, 1
	case "timestamp":
		return roleTime, 2
	case "@timestamp":
		return roleTime, 3
	case "@t":
		return roleTime, 4
	case "t":
		return roleTime, 5
	case "datetime":
		return roleTime, 6
	case "asctime":
		return roleTime, 7
	case "__realtime_timestamp":
		return roleTime, 8
	case "_source_realtime_timestamp":
		return roleTime, 9
	case "timeunixnano":
		return roleTime, 10
	case "time_unix_nano":
		return roleTime, 11
	case "observedtimeunixnano":
		return roleTime, 12
	case "time_local":
		return roleTime, 13
	case "start_time":
		return roleTime, 14
	case "date":
		return roleTime, 15
	case "level":
		return roleLevel, 0
	case "lvl":
		return roleLevel, 1
	case "severity":
		return roleLevel, 2
	case "@level":
		return roleLevel, 3
	case "@l":
		return roleLevel, 4
	case "levelname":
		return roleLevel, 5
	case "log.level":
		return roleLevel, 6
	case "loglevel":
		return roleLevel, 7
	case "level_name":
		return roleLevel, 8
	case "severitytext":
		return roleLevel, 9
	case "severity_text":
		return roleLevel, 10
	case "severitynumber":
		return roleLevel, 11
	case "severity_number":
		return roleLevel, 12
	case "priority":
		return roleLevel, 13
	case "at":
		return roleLevel, 14
	case "msg":
		return roleMessage, 0
	case "message":
		return roleMessage, 1
	case "@message":
		return roleMessage, 2
	case "@m":
		return roleMessage, 3
	case "@mt":
		return roleMessage, 4
	case "log":
		return roleMessage, 5
	case "body":
		return roleMessage, 6
	case "body.value":
		return roleMessage, 7
	case "body.stringvalue":
		return roleMessage, 8
	case "short_message":
		return roleMessage, 9
	case "event":
		return roleMessage, 10
	}
	return roleAttr, 0
}

// roleOf returns the role and rank of key under p's overrides: an
// overridden role matches its override only, with rank 0.
func (p *Parser) roleOf(key string) (role, rank uint8) {
	role, rank = defaultRole(key)
	for _, o := range [...]struct {
		role uint8
		name string
	}{{roleMessage, p.keys.Message}, {roleTime, p.keys.Time}, {roleLevel, p.keys.Level}} {
		if o.name == "" {
			continue
		}
		if strings.EqualFold(key, o.name) {
			return o.role, 0
		}
		if role == o.role {
			role, rank = roleAttr, 0
		}
	}
	return role, rank
}

// record picks the time, level and message among sc's fields and folds the
// others into the signature.
func (p *Parser) record(sc *Scratch) Record {
	fs := sc.fields[:sc.n]
	var r Record
	msgI, timeI, levelI := -1, -1, -1
	var msgR, timeR, levelR uint8 = 255, 255, 255
	for i := range fs {
		f := &fs[i]
		role, k := p.roleOf(f.key)
		f.role = role
		switch role {
		case roleMessage:
			if k < msgR {
				msgI, msgR = i, k
			}
		case roleTime:
			if k < timeR {
				if t, ok := fieldTime(f); ok {
					timeI, timeR, r.Time = i, k, t
				}
			}
		case roleLevel:
			if k < levelR {
				name := f.key
				if p.keys.Level == "" {
					name = levelNames[k]
				}
				if lv := fieldLevel(f, name); lv != "" {
					levelI, levelR, r.Level = i, k, lv
				}
			}
		}
	}
	if msgI >= 0 {
		f := &fs[msgI]
		r.Message = trimSpaceASCII(sc.value(f))
		if r.Level == "" {
			if c, t, lv, ok := Detect(r.Message); ok && lv != "" {
				r.Message, r.Level = c, lv
				if r.Time.IsZero() {
					r.Time = t
				}
			}
		}
	}
	r.Sig = signature.Of(r.Message)
	nk := 0
	for i := range fs {
		if i == msgI || i == timeI || i == levelI || nk == MaxAttrs {
			continue
		}
		f := &fs[i]
		if isCallSite(f.key) {
			continue
		}
		key := f.key
		if p.isValueKey(key) {
			key = sc.keyValue(key, sc.value(f))
		}
		sc.keys[nk] = key
		nk++
		r.Sig = signature.WithKey(r.Sig, key)
	}
	r.Keys = sc.keys[:nk]
	return r
}

// isCallSite reports whether key is a call-site field that slog ("source",
// with its members) and zap/zerolog ("caller") write outside the record's
// attributes.
func isCallSite(key string) bool {
	for _, p := range [...]string{"source", "caller"} {
		if len(key) >= len(p) && strings.EqualFold(key[:len(p)], p) && (len(key) == len(p) || key[len(p)] == '.') {
			return true
		}
	}
	return false
}

// keyValue returns "key=value" built in sc.vbuf, or key alone when it
// does not fit.
func (sc *Scratch) keyValue(key, value string) string {
	n := len(key) + 1 + len(value)
	if sc.vn+n > len(sc.vbuf) {
		return key
	}
	b := sc.vbuf[sc.vn : sc.vn+n]
	copy(b, key)
	b[len(key)] = '='
	copy(b[len(key)+1:], value)
	sc.vn += n
	return unsafeString(b)
}

func (p *Parser) isValueKey(key string) bool {
	for _, v := range p.values {
		if strings.EqualFold(v, key) {
			return true
		}
	}
	return false
}

// value returns f's value as text: a string unescaped (into sc.text when
// it has escapes), anything else as written.
func (sc *Scratch) value(f *field) string {
	if f.kind != vStringEsc {
		return f.val
	}
	start := len(sc.text)
	sc.text = appendUnescape(sc.text, f.val)
	b := sc.text[start:]
	if len(b) == 0 {
		return ""
	}
	return unsafeString(b)
}

// fieldTime reads a time field's value (see [Parser]).
func fieldTime(f *field) (time.Time, bool) {
	v := f.val
	switch f.kind {
	case vNumber:
		return parseUnix(v)
	case vString:
		v = trimSpaceASCII(v)
		if t, ok := parseUnix(v); ok {
			return t, true
		}
		if t, ok := ParseTime(v); ok {
			return t, true
		}
		if t, n, ok := parseCLFTime(v); ok && n == len(v) {
			return t, true
		}
	}
	return time.Time{}, false
}

// fieldLevel reads a level field's value; name is the (default) name of
// the field, which decides how numbers are read.
func fieldLevel(f *field, name string) string {
	v := f.val
	if f.kind == vString || f.kind == vStringEsc {
		v = trimSpaceASCII(v)
	} else if f.kind != vNumber && f.kind != vLiteral {
		return ""
	}
	if v == "" {
		return ""
	}
	if isDigit(v[0]) || v[0] == '-' {
		n, ok := smallInt(v)
		if !ok {
			return ""
		}
		return numericLevel(n, name)
	}
	return levelName(v)
}

// smallInt reads an optionally negative integer of at most 3 digits.
func smallInt(s string) (int, bool) {
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	v, n := digits(s, 3)
	if n == 0 || n != len(s) {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// numericLevel maps a numeric level of the field name (see [Parser]).
func numericLevel(n int, name string) string {
	switch {
	case strings.EqualFold(name, "severity_number") || strings.EqualFold(name, "severitynumber"):
		if n >= 1 && n <= 24 {
			return [...]string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}[(n-1)/4]
		}
		return ""
	case strings.EqualFold(name, "priority") || strings.EqualFold(name, "severity"):
		if n >= 0 && n <= 7 {
			return [...]string{"FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"}[n]
		}
	}
	if n >= 10 && n <= 60 && n%10 == 0 {
		return [...]string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}[n/10-1]
	}
	return ""
}

// levelName maps a level name (see [Parser]) to its canonical level.
func levelName(v string) string {
	if i := strings.IndexAny(v, "+-"); i > 0 { // slog's "ERROR+2"
		if _, ok := smallInt(strings.TrimPrefix(v[i:], "+")); ok {
			v = v[:i]
		}
	}
	if len(v) > 11 {
		return ""
	}
	var b [11]byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(v)]) {
	case "TRACE", "VERBOSE", "TRC":
		return "TRACE"
	case "DEBUG", "DBG", "DBUG":
		return "DEBUG"
	case "INFO", "INF", "INFORMATION", "NOTICE":
		return "INFO"
	case "WARN", "WARNING", "WRN":
		return "WARN"
	case "ERROR", "ERR", "SEVERE", "ERRO", "EROR":
		return "ERROR"
	case "FATAL", "CRITICAL", "CRIT", "PANIC", "DPANIC", "EMERG", "EMERGENCY", "ALERT", "FTL", "CRT":
		return "FATAL"
	}
	return ""
}

// add records a field, if there is room.
func (sc *Scratch) add(key, val string, kind uint8) {
	if sc.n < maxFields && key != "" {
		sc.fields[sc.n] = field{key: key, val: val, kind: kind}
		sc.n++
	}
}

// object scans the members of a JSON object whose '{' is at s[i-1], with
// keys qualified by kb[pOff:pOff+pLen], and returns the index after its
// '}'.
func (sc *Scratch) object(s string, i, pOff, pLen, depth int) (int, bool) {
	i = skipWS(s, i)
	if i < len(s) && s[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return i, false
		}
		kEnd, esc, ok := stringEnd(s, i+1)
		if !ok {
			return i, false
		}
		key := s[i+1 : kEnd]
		_ = esc // keys are compared as written
		i = skipWS(s, kEnd+1)
		if i >= len(s) || s[i] != ':' {
			return i, false
		}
		i = skipWS(s, i+1)
		if i >= len(s) {
			return i, false
		}
		qual := key
		if pLen > 0 {
			if off, ok := sc.kb.Join(pOff, pLen, key, false); ok {
				qual = sc.kb.String(off, pLen+len(key))
			}
		}
		switch c := s[i]; {
		case c == '"':
			end, esc, ok := stringEnd(s, i+1)
			if !ok {
				return end, false
			}
			kind := vString
			if esc {
				kind = vStringEsc
			}
			sc.add(qual, s[i+1:end], kind)
			i = end + 1
		case c == '{' && depth+1 < maxDepth:
			gOff, gLen := pOff, pLen
			if off, ok := sc.kb.Join(pOff, pLen, key, true); ok {
				gOff, gLen = off, pLen+len(key)+1
			}
			end, ok := sc.object(s, i+1, gOff, gLen, depth+1)
			if !ok {
				return end, false
			}
			i = end
		case c == '{' || c == '[':
			end, ok := skipComposite(s, i)
			if !ok {
				return end, false
			}
			sc.add(qual, s[i:end], vComposite)
			i = end
		default:
			j := i
			for j < len(s) && !jsonDelim(s[j]) {
				j++
			}
			if j == i {
				return j, false
			}
			kind := vLiteral
			if isDigit(c) || c == '-' {
				kind = vNumber
			}
			sc.add(qual, s[i:j], kind)
			i = j
		}
		i = skipWS(s, i)
		if i >= len(s) {
			return i, false
		}
		switch s[i] {
		case ',':
			i = skipWS(s, i+1)
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

func jsonDelim(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == ':'
}

// stringEnd returns the index of the '"' that closes a string starting at
// s[i], and whether the string has escapes.
func stringEnd(s string, i int) (end int, esc, ok bool) {
	for {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return len(s), esc, false
		}
		end = i + j
		if k := strings.IndexByte(s[i:end], '\\'); k < 0 {
			return end, esc, true
		}
		esc = true
		// Count the backslashes right before the quote.
		n := 0
		for k := end - 1; k >= i && s[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return end, esc, true
		}
		i = end + 1
	}
}

// skipComposite returns the index after the array or object at s[i].
func skipComposite(s string, i int) (int, bool) {
	depth := 0
	for i < len(s) {
		switch s[i] {
		case '"':
			end, _, ok := stringEnd(s, i+1)
			if !ok {
				return end, false
			}
			i = end + 1
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return i, false
}

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// minLogfmtPairs is the number of key=value pairs a line needs to be read
// as logfmt: one pair ("status=ok") is as likely a plain message.
const minLogfmtPairs = 2

// logfmt scans s as logfmt: space-separated key=value pairs, a value bare
// or double-quoted with backslash escapes, every token a pair. A line
// whose first minLogfmtPairs tokens are pairs but that later breaks the
// syntax (an unterminated quote, a bare word) is Malformed; a line that
// breaks it earlier is Plain.
func (sc *Scratch) logfmt(s string) Kind {
	pairs := 0
	i := 0
	for i < len(s) {
		i = skipWS(s, i)
		if i >= len(s) {
			break
		}
		k := i
		for i < len(s) && s[i] > ' ' && s[i] != '=' && s[i] != '"' {
			i++
		}
		if i == k || i >= len(s) || s[i] != '=' {
			return badLogfmt(pairs)
		}
		key := s[k:i]
		i++ // '='
		if i < len(s) && s[i] == '"' {
			end, esc, ok := stringEnd(s, i+1)
			if !ok {
				return badLogfmt(pairs)
			}
			kind := vString
			if esc {
				kind = vStringEsc
			}
			sc.add(key, s[i+1:end], kind)
			i = end + 1
			if i < len(s) && s[i] != ' ' && s[i] != '\t' {
				return badLogfmt(pairs)
			}
		} else {
			v := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				if s[i] == '"' {
					return badLogfmt(pairs)
				}
				i++
			}
			kind := vString
			if v < i && (isDigit(s[v]) || s[v] == '-') {
				kind = vNumber
				for j := v + 1; j < i; j++ {
					if !isDigit(s[j]) && s[j] != '.' {
						kind = vString
						break
					}
				}
			}
			sc.add(key, s[v:i], kind)
		}
		pairs++
	}
	if pairs < minLogfmtPairs {
		return Plain
	}
	return Logfmt
}

func badLogfmt(pairs int) Kind {
	if pairs >= minLogfmtPairs {
		return Malformed
	}
	return Plain
}

// appendUnescape appends s with JSON / Go-quoted escapes resolved: \" \\
// \/ \b \f \n \r \t \uXXXX (with surrogate pairs) and \xHH. An unknown or
// cut escape is kept as written.
func appendUnescape(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case '"', '\\', '/':
			dst = append(dst, s[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'x':
			if v, ok := hexN(s, i+1, 2); ok {
				dst = append(dst, byte(v))
				i += 2
			} else {
				dst = append(dst, '\\', 'x')
			}
		case 'u':
			v, ok := hexN(s, i+1, 4)
			if !ok {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += 4
			r := rune(v)
			if r >= 0xD800 && r < 0xDC00 && i+6 < len(s)+0 && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if lo, ok := hexN(s, i+3, 4); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = (r-0xD800)<<10 + (rune(lo) - 0xDC00) + 0x10000
					i += 6
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = append(dst, '\\', s[i])
		}
	}
	return dst
}

// hexN reads n hex digits at s[i:].
func hexN(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// trimSpaceASCII trims ASCII white space.
func trimSpaceASCII(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
		j--
	}
	return s[i:j]
}

// unsafeString returns b as a string without copying; b must not change
// while the string is in use.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

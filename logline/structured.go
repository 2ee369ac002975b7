package logline

import (
	"strings"
	"time"

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
	// MaxKeyValueBytes bounds the "key=value" text of an attribute of
	// [Keys].Values folded into the pattern; a longer one folds its key
	// alone. sampler.WithValueKeys applies the same rule, so a line and
	// the in-process record it came from get the same pattern.
	MaxKeyValueBytes = 256
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
	// They are compared with the keys ignoring ASCII case. The caller owns
	// the slice; NewParser copies it.
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
// "key=value" (the value as written, quotes and escapes removed; the key
// alone when that is longer than [MaxKeyValueBytes]), the rule of
// sampler.WithValueKeys for the same attributes logged in-process.
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

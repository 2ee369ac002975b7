package logline

import (
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

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

// keyValue returns "key=value", appended to sc.text, or key alone when
// "key=value" is longer than [MaxKeyValueBytes]: the rule
// sampler.WithValueKeys applies to the same attribute.
func (sc *Scratch) keyValue(key, value string) string {
	n := len(key) + 1 + len(value)
	if n > MaxKeyValueBytes {
		return key
	}
	start := len(sc.text)
	sc.text = append(sc.text, key...)
	sc.text = append(sc.text, '=')
	sc.text = append(sc.text, value...)
	return unsafeString(sc.text[start:])
}

// isValueKey reports whether key is one of [Keys].Values, ignoring ASCII
// case.
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
	return lookupLevel(v)
}

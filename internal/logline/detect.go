package logline

import (
	"strings"
	"time"
)

// Detect recognizes a common log-line header without a format: a leading
// timestamp, then optionally a numeric process id, a level word (INFO,
// [WARN], error:, ...) optionally followed by a log4j thread name in
// brackets and a logger name ending in ':', a syslog host and tag (sshd[42]:) or a component
// name ending in ':'. It returns the rest of the line as content.
//
// Timestamps recognized at the start of the line:
//
//	2006-01-02T15:04:05[.frac](Z|±07:00)   RFC 3339 / ISO 8601
//	2006-01-02 15:04:05[,frac|.frac]        log4j / Python logging
//	Jan _2 15:04:05                         syslog (year 0: the line has none)
//	060102 150405                           compact, as in HDFS
//
// Times without a zone are UTC. ok is false, and content is the trimmed
// line, when no timestamp is found; level is "" when none is found.
func Detect(line string) (content string, ts time.Time, level string, ok bool) {
	line = strings.TrimSpace(line)
	ts, rest, syslog, ok := detectTime(line)
	if !ok {
		return line, time.Time{}, "", false
	}
	tok, after := nextToken(rest)
	if tok != "" && isAllDigits(tok) { // process id
		rest = after
		tok, after = nextToken(rest)
	}
	if lv := levelWord(tok); lv != "" {
		level = lv
		rest = after
		tok, after = nextToken(rest)
		// log4j's "%p [%t] %c: %m": a bracketed thread name, then the
		// logger name ending in ':'.
		// The thread name may contain spaces ("[IPC Server handler 5]").
		if r := strings.TrimLeft(rest, " \t"); len(r) > 2 && r[0] == '[' {
			if end := strings.IndexByte(r, ']'); end > 1 {
				if c, a2 := nextToken(r[end+1:]); len(c) > 1 && strings.HasSuffix(c, ":") {
					return strings.TrimSpace(a2), ts, level, true
				}
			}
		}
	} else if syslog && tok != "" && !strings.HasSuffix(tok, ":") {
		// host name, then the tag
		if tag, a2 := nextToken(after); strings.HasSuffix(tag, ":") {
			return strings.TrimSpace(a2), ts, "", true
		}
	}
	if (level != "" || syslog) && len(tok) > 1 && strings.HasSuffix(tok, ":") {
		rest = after
	}
	return strings.TrimSpace(rest), ts, level, true
}

func nextToken(s string) (tok, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
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
// be bracketed or end in ':'), or "".
func levelWord(tok string) string {
	tok = strings.TrimSuffix(tok, ":")
	tok = strings.TrimPrefix(strings.TrimSuffix(tok, "]"), "[")
	switch strings.ToUpper(tok) {
	case "TRACE":
		return "TRACE"
	case "DEBUG", "DBG":
		return "DEBUG"
	case "INFO", "INF", "NOTICE":
		return "INFO"
	case "WARN", "WARNING", "WRN":
		return "WARN"
	case "ERROR", "ERR", "SEVERE":
		return "ERROR"
	case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT":
		return "FATAL"
	}
	return ""
}

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

func detectTime(line string) (ts time.Time, rest string, syslog, ok bool) {
	if len(line) >= 19 && line[4] == '-' && line[7] == '-' && (line[10] == 'T' || line[10] == ' ') {
		end := 19
		for end < len(line) && line[end] != ' ' && line[end] != '\t' {
			end++
		}
		s := strings.Replace(line[:end], ",", ".", 1)
		for _, l := range isoLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, line[end:], false, true
			}
		}
		return time.Time{}, "", false, false
	}
	if len(line) >= 15 && line[3] == ' ' && line[9] == ':' && line[12] == ':' {
		if t, err := time.Parse(time.Stamp, line[:15]); err == nil {
			return t, line[15:], true, true
		}
	}
	if len(line) >= 13 && line[6] == ' ' && isAllDigits(line[:6]) && isAllDigits(line[7:13]) {
		if t, err := time.Parse("060102 150405", line[:13]); err == nil {
			return t, line[13:], false, true
		}
	}
	return time.Time{}, "", false, false
}

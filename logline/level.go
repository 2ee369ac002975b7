package logline

import (
	"log/slog"
	"strings"
)

// LevelCritical is the slog level of the critical words (FATAL, CRITICAL,
// PANIC, ...): policy.SeverityCritical, four above slog.LevelError.
const LevelCritical = slog.LevelError + 4

// levelWords is the one table of level words of every command (analyze,
// parse, sample), of the header detector ([Detect]) and of the
// structured-line parser ([Parser]): each word, in upper case, and the
// canonical level it names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL; see
// canonicalLevel for their slog levels). It is the union of the words of
// the common logging libraries and formats: log4j/logback/slf4j (TRACE,
// FATAL), java.util.logging (FINE, FINER, FINEST, SEVERE), syslog (NOTICE,
// CRIT, ALERT, EMERG), zap/zerolog/logrus/glog/klog/log15 abbreviations
// (DBG, INF, WRN, ERR, FTL, DPANIC, PANIC, TRC, DBUG, ERRO, EROR, CRT),
// .NET (VERBOSE, INFORMATION), and the one-letter severities of Android
// logcat (V, D, I, W, E, F, A) and klog/glog (I, W, E, F).
//
// The header detector reads the one-letter words only where a format puts
// a severity letter (klog, logcat): elsewhere "I" and "A" are words of the
// message. Everything else reads the whole table.
var levelWords = [...]struct{ word, name string }{
	{"INFO", "INFO"}, {"DEBUG", "DEBUG"}, {"WARN", "WARN"}, {"ERROR", "ERROR"},
	{"WARNING", "WARN"}, {"FATAL", "FATAL"}, {"TRACE", "TRACE"}, {"NOTICE", "INFO"},
	{"INF", "INFO"}, {"DBG", "DEBUG"}, {"WRN", "WARN"}, {"ERR", "ERROR"},
	{"SEVERE", "ERROR"}, {"FAILURE", "ERROR"}, {"CRITICAL", "FATAL"}, {"CRIT", "FATAL"},
	{"PANIC", "FATAL"}, {"EMERG", "FATAL"}, {"EMERGENCY", "FATAL"}, {"ALERT", "FATAL"},
	{"FINE", "DEBUG"}, {"FINER", "TRACE"}, {"FINEST", "TRACE"}, {"VERBOSE", "TRACE"},
	{"TRC", "TRACE"}, {"DBUG", "DEBUG"}, {"INFORMATION", "INFO"}, {"ERRO", "ERROR"},
	{"EROR", "ERROR"}, {"DPANIC", "FATAL"}, {"FTL", "FATAL"}, {"CRT", "FATAL"},
	{"V", "TRACE"}, {"D", "DEBUG"}, {"I", "INFO"}, {"W", "WARN"},
	{"E", "ERROR"}, {"F", "FATAL"}, {"A", "FATAL"},
}

// maxLevelWord is the length of the longest word of levelWords.
const maxLevelWord = len("INFORMATION")

// tableLevel returns the canonical level of a word of levelWords,
// ignoring ASCII case and surrounding brackets or a trailing colon
// ("[warn]", "ERROR:"), or "" for an empty or unknown word. It does not
// allocate.
func tableLevel(word string) string {
	word = strings.TrimSuffix(word, ":")
	return lookupLevel(strings.TrimPrefix(strings.TrimSuffix(word, "]"), "["))
}

// lookupLevel returns the canonical level of a word of levelWords as
// written (no brackets or colon), ignoring ASCII case, or "".
func lookupLevel(word string) string {
	if word == "" || len(word) > maxLevelWord {
		return ""
	}
	var b [maxLevelWord]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	up := b[:len(word)]
	if up[0] < 'A' || up[0] > 'Z' {
		return ""
	}
	for _, i := range levelsByInitial[up[0]-'A'] {
		if e := &levelWords[i]; e.word == string(up) { // no allocation: the conversion only compares
			return e.name
		}
	}
	return ""
}

// levelsByInitial indexes levelWords by the initial of the word, A to Z,
// so that a lookup compares a few words (at most 7, for E) rather than
// all of them.
var levelsByInitial = func() (idx [26][]uint8) {
	for i, e := range levelWords {
		c := e.word[0] - 'A'
		idx[c] = append(idx[c], uint8(i))
	}
	return idx
}()

// canonicalLevel returns the slog level of a canonical level name: TRACE
// and DEBUG are slog.LevelDebug, FATAL is [LevelCritical].
func canonicalLevel(name string) slog.Level {
	switch name {
	case "TRACE", "DEBUG":
		return slog.LevelDebug
	case "WARN":
		return slog.LevelWarn
	case "ERROR":
		return slog.LevelError
	case "FATAL":
		return LevelCritical
	}
	return slog.LevelInfo
}

// ParseLevel classifies a level word, ignoring case and surrounding
// brackets or a trailing colon ("[warn]", "ERROR:"): DEBUG for TRACE,
// DEBUG, DBG, FINE, VERBOSE, ...; INFO for INFO, INF, NOTICE, ...; WARN for
// WARN, WARNING, WRN; ERROR for ERROR, ERR, SEVERE, FAILURE, ...;
// [LevelCritical] for FATAL, CRITICAL, CRIT, PANIC, EMERG, ALERT, ... (the
// table is in level.go). ok is false for an empty or unknown word, whose
// level is INFO. It does not allocate.
func ParseLevel(word string) (level slog.Level, ok bool) {
	name := tableLevel(word)
	if name == "" {
		return slog.LevelInfo, false
	}
	return canonicalLevel(name), true
}

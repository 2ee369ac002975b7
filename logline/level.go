package logline

import (
	"log/slog"
	"strings"
)

// LevelCritical is the slog level of the critical words (FATAL, CRITICAL,
// PANIC, ...): policy.SeverityCritical, four above slog.LevelError.
const LevelCritical = slog.LevelError + 4

// levelWords is the one table of level words of every command (analyze,
// parse, sample) and of the structured-line parser: each word, in upper
// case, and its slog level. It is the union of the words of the common
// logging libraries and formats: log4j/logback/slf4j (TRACE, FATAL),
// java.util.logging (FINE, FINER, FINEST, SEVERE), syslog (NOTICE, CRIT,
// ALERT, EMERG), zap/zerolog/logrus/glog/klog abbreviations (DBG, INF,
// WRN, ERR, FTL, DPANIC, PANIC, TRC, DBUG, ERRO, EROR, CRT), .NET
// (VERBOSE, INFORMATION), and Android logcat's one-letter levels (V, D, I,
// W, E, F, A).
var levelWords = [...]struct {
	word  string
	level slog.Level
}{
	{"INFO", slog.LevelInfo}, {"DEBUG", slog.LevelDebug}, {"WARN", slog.LevelWarn}, {"ERROR", slog.LevelError},
	{"WARNING", slog.LevelWarn}, {"FATAL", LevelCritical}, {"TRACE", slog.LevelDebug}, {"NOTICE", slog.LevelInfo},
	{"INF", slog.LevelInfo}, {"DBG", slog.LevelDebug}, {"WRN", slog.LevelWarn}, {"ERR", slog.LevelError},
	{"SEVERE", slog.LevelError}, {"FAILURE", slog.LevelError}, {"CRITICAL", LevelCritical}, {"CRIT", LevelCritical},
	{"PANIC", LevelCritical}, {"EMERG", LevelCritical}, {"EMERGENCY", LevelCritical}, {"ALERT", LevelCritical},
	{"FINE", slog.LevelDebug}, {"FINER", slog.LevelDebug}, {"FINEST", slog.LevelDebug}, {"VERBOSE", slog.LevelDebug},
	{"TRC", slog.LevelDebug}, {"DBUG", slog.LevelDebug}, {"INFORMATION", slog.LevelInfo}, {"ERRO", slog.LevelError},
	{"EROR", slog.LevelError}, {"DPANIC", LevelCritical}, {"FTL", LevelCritical}, {"CRT", LevelCritical},
	{"V", slog.LevelDebug}, {"D", slog.LevelDebug}, {"I", slog.LevelInfo}, {"W", slog.LevelWarn},
	{"E", slog.LevelError}, {"F", LevelCritical}, {"A", LevelCritical},
}

// ParseLevel classifies a level word, ignoring case and surrounding
// brackets or a trailing colon ("[warn]", "ERROR:"): DEBUG for TRACE,
// DEBUG, DBG, FINE, VERBOSE, ...; INFO for INFO, INF, NOTICE, ...; WARN for
// WARN, WARNING, WRN; ERROR for ERROR, ERR, SEVERE, FAILURE, ...;
// [LevelCritical] for FATAL, CRITICAL, CRIT, PANIC, EMERG, ALERT, ... (the
// table is in level.go). ok is false for an empty or unknown word, whose
// level is INFO. It does not allocate.
func ParseLevel(word string) (level slog.Level, ok bool) {
	word = strings.TrimSuffix(word, ":")
	word = strings.TrimPrefix(strings.TrimSuffix(word, "]"), "[")
	if word == "" || len(word) > len("INFORMATION") {
		return slog.LevelInfo, false
	}
	for _, e := range levelWords {
		if len(e.word) == len(word) && strings.EqualFold(e.word, word) {
			return e.level, true
		}
	}
	return slog.LevelInfo, false
}

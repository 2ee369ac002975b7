package analyze

import (
	"log/slog"
	"strings"

	"github.com/srex-dev/lipservice-go/policy"
)

// level is a line's severity class, an index into per-level counters.
type level uint8

const (
	levelNone level = iota // no level word on the line
	levelDebug
	levelInfo
	levelWarning
	levelError
	levelCritical
	numLevels
)

// levelNames are the names of the levels in reports: the policy severity
// names, and "NONE" for lines without a level word.
var levelNames = [numLevels]string{"NONE", policy.SeverityDebug, policy.SeverityInfo, policy.SeverityWarning, policy.SeverityError, policy.SeverityCritical}

// String returns the level's report name.
func (l level) String() string {
	if l < numLevels {
		return levelNames[l]
	}
	return "NONE"
}

// slog returns the slog level the anomaly detectors see; a line without a
// level word counts as INFO.
func (l level) slog() slog.Level {
	switch l {
	case levelDebug:
		return slog.LevelDebug
	case levelWarning:
		return slog.LevelWarn
	case levelError:
		return slog.LevelError
	case levelCritical:
		return slog.LevelError + 4
	}
	return slog.LevelInfo
}

// levelOf classifies a level word, ignoring case and surrounding brackets
// or a trailing colon: TRACE, DEBUG, DBG, FINE, FINER, FINEST, VERBOSE are
// DEBUG; INFO, INF, NOTICE are INFO; WARN, WARNING, WRN are WARNING; ERROR,
// ERR, SEVERE, FAILURE are ERROR; FATAL, CRITICAL, CRIT, PANIC, EMERG,
// EMERGENCY, ALERT are CRITICAL. An empty word is levelNone; any other word
// is INFO. It does not allocate.
func levelOf(word string) level {
	word = strings.TrimSuffix(word, ":")
	word = strings.TrimPrefix(strings.TrimSuffix(word, "]"), "[")
	if word == "" {
		return levelNone
	}
	for _, e := range levelWords {
		if len(e.word) == len(word) && strings.EqualFold(e.word, word) {
			return e.level
		}
	}
	return levelInfo
}

var levelWords = [...]struct {
	word  string
	level level
}{
	{"INFO", levelInfo}, {"DEBUG", levelDebug}, {"WARN", levelWarning}, {"ERROR", levelError},
	{"WARNING", levelWarning}, {"FATAL", levelCritical}, {"TRACE", levelDebug}, {"NOTICE", levelInfo},
	{"INF", levelInfo}, {"DBG", levelDebug}, {"WRN", levelWarning}, {"ERR", levelError},
	{"SEVERE", levelError}, {"FAILURE", levelError}, {"CRITICAL", levelCritical}, {"CRIT", levelCritical},
	{"PANIC", levelCritical}, {"EMERG", levelCritical}, {"EMERGENCY", levelCritical}, {"ALERT", levelCritical},
	{"FINE", levelDebug}, {"FINER", levelDebug}, {"FINEST", levelDebug}, {"VERBOSE", levelDebug},
}

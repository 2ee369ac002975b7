package analyze

import (
	"log/slog"
	"strings"

	"github.com/srex-dev/lipservice-go/logline"
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

// levelOf classifies a level word with the CLI's one table,
// [logline.ParseLevel]: an empty word is levelNone; an unknown word is INFO.
// It does not allocate.
func levelOf(word string) level {
	word = strings.TrimSuffix(word, ":")
	word = strings.TrimPrefix(strings.TrimSuffix(word, "]"), "[")
	if word == "" {
		return levelNone
	}
	switch l, _ := logline.ParseLevel(word); {
	case l < slog.LevelInfo:
		return levelDebug
	case l < slog.LevelWarn:
		return levelInfo
	case l < slog.LevelError:
		return levelWarning
	case l < logline.LevelCritical:
		return levelError
	}
	return levelCritical
}

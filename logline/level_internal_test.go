package logline

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLevelWords_detectorsAgree checks that the header detector
// (levelWord) and the structured-line parser (levelName), which recognize
// a subset of the words, name for each word they recognize the level the
// one table (ParseLevel) gives it.
func TestLevelWords_detectorsAgree(t *testing.T) {
	for _, e := range levelWords {
		for _, w := range []string{e.word, strings.ToLower(e.word)} {
			if name := levelWord(w); name != "" {
				got, ok := ParseLevel(name)
				assert.True(t, ok, "levelWord(%q) = %q is in the table", w, name)
				assert.Equal(t, e.level, got, "header detector: %s", w)
			}
			if name := levelName(w); name != "" {
				got, ok := ParseLevel(name)
				assert.True(t, ok, "levelName(%q) = %q is in the table", w, name)
				assert.Equal(t, e.level, got, "structured parser: %s", w)
			}
		}
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		word string
		want slog.Level
		ok   bool
	}{
		{"DBG", slog.LevelDebug, true}, {"wrn", slog.LevelWarn, true}, {"[ERR]", slog.LevelError, true},
		{"Fatal:", LevelCritical, true}, {"NOTICE", slog.LevelInfo, true}, {"E", slog.LevelError, true},
		{"", slog.LevelInfo, false}, {"hello", slog.LevelInfo, false}, {"INFORMATIONAL", slog.LevelInfo, false},
	}
	for _, test := range tests {
		got, ok := ParseLevel(test.word)
		assert.Equal(t, test.want, got, test.word)
		assert.Equal(t, test.ok, ok, test.word)
	}
	if allocs := testing.AllocsPerRun(100, func() { ParseLevel("[warning]") }); allocs != 0 {
		t.Errorf("ParseLevel allocates %v times", allocs)
	}
}

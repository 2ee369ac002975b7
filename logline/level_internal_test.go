package logline

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLevelWords_detectorsAgree checks that the header detector
// (levelWord, logcatLevel) and the structured-line parser (levelName) read
// every word of the one table as the table names it, in upper and lower
// case; the header detector leaves out the one-letter words, which it
// reads only in klog and logcat headers.
func TestLevelWords_detectorsAgree(t *testing.T) {
	for _, e := range levelWords {
		for _, w := range []string{e.word, strings.ToLower(e.word)} {
			if len(e.word) > 1 {
				assert.Equal(t, e.name, levelWord(w), "header detector: %s", w)
				assert.Equal(t, e.name, levelWord("["+w+"]"), "header detector: [%s]", w)
			} else {
				assert.Empty(t, levelWord(w), "header detector, free text: %s", w)
				if w == e.word {
					assert.Equal(t, e.name, logcatLevel(w), "logcat letter: %s", w)
				}
			}
			assert.Equal(t, e.name, levelName(w), "structured parser: %s", w)
			lv, ok := ParseLevel(w)
			assert.True(t, ok, w)
			assert.Equal(t, canonicalLevel(e.name), lv, "ParseLevel: %s", w)
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
		{"FINEST", slog.LevelDebug, true}, {"information", slog.LevelInfo, true},
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

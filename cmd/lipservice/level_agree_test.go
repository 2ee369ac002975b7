package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLevelWords_allCommandsAgree checks that analyze and sample classify
// level words with the same table (logline.ParseLevel): each line of the
// input carries one word in its <Level> field, and both commands must put
// it in the severity the table below gives. The expected severities are
// the conventions of the libraries that write these words, written out by
// hand.
func TestLevelWords_allCommandsAgree(t *testing.T) {
	words := []struct{ word, want string }{
		{"TRACE", "DEBUG"}, {"DEBUG", "DEBUG"}, {"DBG", "DEBUG"}, {"dbg", "DEBUG"}, {"FINE", "DEBUG"}, {"VERBOSE", "DEBUG"},
		{"INFO", "INFO"}, {"INF", "INFO"}, {"NOTICE", "INFO"}, {"whatever", "INFO"},
		{"WARN", "WARNING"}, {"WRN", "WARNING"}, {"WARNING", "WARNING"}, {"[warn]", "WARNING"},
		{"ERR", "ERROR"}, {"ERROR", "ERROR"}, {"SEVERE", "ERROR"}, {"E", "ERROR"},
		{"FATAL", "CRITICAL"}, {"CRIT", "CRITICAL"}, {"CRITICAL", "CRITICAL"}, {"PANIC", "CRITICAL"}, {"EMERG", "CRITICAL"},
	}
	// One pattern per word (distinct fixed text), so that analyze's
	// per-pattern level mix names the word's severity.
	content := func(i int) string { return "event" + strings.Repeat(" x", i) + " done" }
	var in strings.Builder
	for i, w := range words {
		in.WriteString(w.word + " " + content(i) + "\n")
	}
	path := filepath.Join(t.TempDir(), "levels.log")
	require.NoError(t, os.WriteFile(path, []byte(in.String()), 0o600))
	const format = "<Level> <Content>"

	// sample --json with a keep-everything policy lists every line's level.
	pol := filepath.Join(t.TempDir(), "keep.json")
	require.NoError(t, os.WriteFile(pol, []byte(`{"global_rate": 1}`), 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sample", "--json", "--quiet", "--policy", pol, "--format", format, path}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	sampled := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var kl struct {
			Text  string `json:"text"`
			Level string `json:"level"`
		}
		if json.Unmarshal([]byte(line), &kl) == nil && kl.Text != "" {
			word, _, _ := strings.Cut(kl.Text, " ")
			sampled[word] = kl.Level
		}
	}

	// analyze --json: each pattern's levels.
	out.Reset()
	errb.Reset()
	code = run(context.Background(), []string{"analyze", "--json", "--quiet", "--top", "0", "--format", format, path}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var rep struct {
		Patterns []struct {
			Example string         `json:"example"`
			Levels  map[string]int `json:"levels"`
		} `json:"patterns"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	analyzed := map[string]string{}
	for _, p := range rep.Patterns { // the example is the <Content>
		for i, w := range words {
			if p.Example == content(i) {
				for lv := range p.Levels {
					analyzed[w.word] = lv
				}
			}
		}
	}
	for _, w := range words {
		assert.Equal(t, w.want, sampled[w.word], "sample: %s", w.word)
		assert.Equal(t, w.want, analyzed[w.word], "analyze: %s", w.word)
	}
}

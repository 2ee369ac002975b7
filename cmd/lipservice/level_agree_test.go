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

// TestLevelWords_headersAgree checks issue 18 item 2 for lines whose level
// the commands find themselves, without --format: a detected
// timestamp/level header, a JSON level field, a klog severity letter and
// a logcat priority letter. analyze and sample must put each line in the
// severity written out by hand below (the conventions of the libraries
// that write these words), which is also logline.ParseLevel's.
func TestLevelWords_headersAgree(t *testing.T) {
	lines := []struct{ line, want string }{
		{"2024-05-07 10:00:01 DBG event %s done", "DEBUG"},
		{"2024-05-07 10:00:02 dbg event %s done", "DEBUG"},
		{"2024-05-07 10:00:03 TRACE event %s done", "DEBUG"},
		{"2024-05-07 10:00:04 FINE event %s done", "DEBUG"},
		{"2024-05-07 10:00:05 INF event %s done", "INFO"},
		{"2024-05-07 10:00:06 NOTICE event %s done", "INFO"},
		{"2024-05-07 10:00:07 WRN event %s done", "WARNING"},
		{"2024-05-07 10:00:08 [warn] event %s done", "WARNING"},
		{"2024-05-07 10:00:09 ERR event %s done", "ERROR"},
		{"2024-05-07 10:00:10 ERRO event %s done", "ERROR"},
		{"2024-05-07 10:00:11 EROR event %s done", "ERROR"},
		{"2024-05-07 10:00:12 FAILURE event %s done", "ERROR"},
		{"2024-05-07 10:00:13 FTL event %s done", "CRITICAL"},
		{"2024-05-07 10:00:14 EMERGENCY event %s done", "CRITICAL"},
		{"2024-05-07 10:00:15 INFORMATION event %s done", "INFO"},
		{`{"time":"2024-05-07T10:00:16Z","level":"wrn","msg":"event %s done"}`, "WARNING"},
		{`{"time":"2024-05-07T10:00:17Z","level":"DBG","msg":"event %s done"}`, "DEBUG"},
		{`{"time":"2024-05-07T10:00:18Z","level":"E","msg":"event %s done"}`, "ERROR"},
		{`{"time":"2024-05-07T10:00:19Z","level":"failure","msg":"event %s done"}`, "ERROR"},
		{"E0507 10:00:20.000000       1 main.go:12] event %s done", "ERROR"},
		{"W0507 10:00:21.000000       1 main.go:12] event %s done", "WARNING"},
		{"I0507 10:00:22.000000       1 main.go:12] event %s done", "INFO"},
		{"F0507 10:00:23.000000       1 main.go:12] event %s done", "CRITICAL"},
		{"05-07 10:00:24.000  1234  1234 E Tag: event %s done", "ERROR"},
		{"05-07 10:00:25.000  1234  1234 W Tag: event %s done", "WARNING"},
		{"05-07 10:00:26.000  1234  1234 D Tag: event %s done", "DEBUG"},
		{"05-07 10:00:27.000  1234  1234 A Tag: event %s done", "CRITICAL"},
	}
	// One pattern per line: a distinct fixed word, so that analyze's
	// per-pattern level mix names the line's severity.
	word := func(i int) string { return "w" + strings.Repeat("q", i+1) }
	var in strings.Builder
	for i, l := range lines {
		in.WriteString(strings.Replace(l.line, "%s", word(i), 1) + "\n")
	}
	path := filepath.Join(t.TempDir(), "headers.log")
	require.NoError(t, os.WriteFile(path, []byte(in.String()), 0o600))
	pol := filepath.Join(t.TempDir(), "keep.json")
	require.NoError(t, os.WriteFile(pol, []byte(`{"global_rate": 1}`), 0o600))

	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sample", "--json", "--quiet", "--policy", pol, path}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	sampled := map[int]string{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var kl struct {
			Line  int    `json:"line"`
			Level string `json:"level"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &kl), l)
		sampled[kl.Line] = kl.Level
	}
	out.Reset()
	errb.Reset()
	code = run(context.Background(), []string{"analyze", "--json", "--quiet", "--top", "0", path}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var rep struct {
		Patterns []struct {
			Example string         `json:"example"`
			Levels  map[string]int `json:"levels"`
		} `json:"patterns"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	for i, l := range lines {
		assert.Equal(t, l.want, sampled[i+1], "sample: %s", l.line)
		found := false
		for _, p := range rep.Patterns {
			if strings.Contains(p.Example, " "+word(i)+" ") {
				found = true
				assert.Len(t, p.Levels, 1, "analyze: %s", l.line)
				for lv := range p.Levels {
					assert.Equal(t, l.want, lv, "analyze: %s", l.line)
				}
			}
		}
		assert.True(t, found, "analyze has no pattern for %s", l.line)
	}
}

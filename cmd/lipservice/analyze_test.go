package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnalyze checks that "lipservice analyze" runs package analyze (its
// output formats and exit codes are tested there): the README's first
// command exits 0 and reports every section.
func TestAnalyze(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{
			name:       "readme command",
			args:       []string{"analyze", "testdata/hdfs_2k.log"},
			wantStdout: []string{"INPUT\n", "\nPATTERNS\n", "\nCLUSTERS", "\nANOMALIES (", "\nRECOMMENDED POLICY", "\nPROJECTION", "PacketResponder <*> for block <*> terminating"},
		},
		{
			// sample_app has an injected error surge: with --exit-code it
			// fails the run.
			name:       "exit code",
			args:       []string{"analyze", "--exit-code", "testdata/sample_app.input"},
			wantCode:   1,
			wantStdout: []string{"error_surge"},
		},
		{
			// hdfs_2k (a sample of a steady system) has only new
			// patterns, which --exit-code does not count.
			name:       "exit code steady",
			args:       []string{"analyze", "--exit-code", "testdata/hdfs_2k.log"},
			wantCode:   0,
			wantStdout: []string{"new_pattern"},
		},
		{
			// The report states the anomaly interval.
			name:       "interval",
			args:       []string{"analyze", "--interval", "10m", "testdata/hdfs_2k.log"},
			wantStdout: []string{"anomalies counted per 10m (--interval;"},
		},
		{name: "help", args: []string{"analyze", "-h"}, wantStderr: "usage: lipservice analyze"},
		{name: "bad flag", args: []string{"analyze", "--nope"}, wantCode: 2, wantStderr: "flag provided but not defined"},
		{name: "missing file", args: []string{"analyze", "testdata/does-not-exist.log"}, wantCode: 2, wantStderr: "lipservice: analyze: open testdata/does-not-exist.log"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), test.args, strings.NewReader(""), &stdout, &stderr)
			require.Equal(t, test.wantCode, code, "stderr: %s", stderr.String())
			for _, want := range test.wantStdout {
				assert.Contains(t, stdout.String(), want)
			}
			if test.wantStderr == "" {
				assert.Empty(t, stderr.String(), "no progress: stderr is not a terminal")
			} else {
				assert.Contains(t, stderr.String(), test.wantStderr)
			}
		})
	}
}

func TestAnalyzeJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"analyze", "--json", "--top", "2", "-"},
		strings.NewReader("2026-03-14T10:00:00Z INFO user 1 logged in\n2026-03-14T10:00:01Z INFO user 2 logged in\n2026-03-14T10:00:02Z ERROR disk full\n"),
		&stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	var rep struct {
		Input struct {
			Files []string `json:"files"`
			Lines int      `json:"lines"`
		} `json:"input"`
		Patterns []struct {
			Template string `json:"template"`
			Count    int    `json:"count"`
		} `json:"patterns"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep))
	assert.Equal(t, []string{"-"}, rep.Input.Files)
	assert.Equal(t, 3, rep.Input.Lines)
	require.Len(t, rep.Patterns, 2)
	assert.Equal(t, "user <*> logged in", rep.Patterns[0].Template)
	assert.Equal(t, 2, rep.Patterns[0].Count)
	assert.Equal(t, "disk full", rep.Patterns[1].Template)
}

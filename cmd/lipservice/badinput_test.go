package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadInput checks issue 20 item 3 in every command that reads logs: a
// --format without <Content>, with a duplicate field or with an unclosed
// '<' is refused; a format most lines do not match gives a warning; binary
// input gives a warning (the command goes on: a log with a few stray bytes
// is still a log, and the fuzz tests hold every command to never failing
// on content).
func TestBadInput(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_40.log")
	bin := filepath.Join(t.TempDir(), "prog")
	require.NoError(t, os.WriteFile(bin, append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 4096)...), 0o644))
	for _, cmd := range []string{"analyze", "parse", "sample"} {
		tests := []struct {
			name     string
			args     []string
			wantCode int
			wantErr  string
		}{
			{"no content", []string{"--format", "<Date> <Time> <Level>", hdfs}, 2, "has no <Content> field"},
			{"duplicate field", []string{"--format", "<Date> <Date> <Content>", hdfs}, 2, "field <Date> appears twice"},
			{"unclosed", []string{"--format", "<Date> <Time <Content>", hdfs}, 2, "unclosed '<'"},
			{"most lines unmatched", []string{"--format", `<Level> \[<Process>\] <Content>`, hdfs}, 0,
				"lipservice: " + cmd + ": warning: 40 of 40 lines do not match --format"},
			{"binary", []string{bin}, 0, "lipservice: " + cmd + ": warning: " + bin + ": does not look like a text log (a NUL byte at offset 7)"},
		}
		for _, test := range tests {
			t.Run(cmd+"/"+test.name, func(t *testing.T) {
				code, _, errOut := runCLI(t, context.Background(), append([]string{cmd}, test.args...)...)
				assert.Equal(t, test.wantCode, code, errOut)
				assert.Contains(t, errOut, test.wantErr)
			})
		}
		t.Run(cmd+"/format matches: no warning", func(t *testing.T) {
			code, _, errOut := runCLI(t, context.Background(), cmd, "--format", `<Date> <Time> <Pid> <Level> <Component>: <Content>`, hdfs)
			assert.Equal(t, 0, code, errOut)
			assert.NotContains(t, errOut, "warning: ")
		})
	}
}

// TestBadInput_escaped checks that a 0xFF byte and control bytes in a log
// are escaped in the text tables of analyze and sample, so they do not
// break the table or reach the terminal.
func TestBadInput_escaped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ff.log")
	require.NoError(t, os.WriteFile(path, []byte("Jun 14 15:16:01 combo sshd: bad \xff byte \x1b[31m red\n"), 0o644))
	for _, cmd := range []string{"analyze", "sample"} {
		t.Run(cmd, func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), cmd, path)
			require.Equal(t, 0, code, errOut)
			table := out
			if cmd == "sample" {
				table = errOut // the summary; stdout has the kept lines as they were
			}
			assert.Contains(t, table, `bad \xff byte \u001b[`, "escaped in the table")
			assert.False(t, strings.ContainsAny(table, "\xff\x1b"), "no raw bytes in the table")
		})
	}
}

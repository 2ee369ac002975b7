package analyze_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzRun feeds arbitrary input to the command: it must never fail (exit 2)
// on content, must write valid JSON, and must count every non-blank line.
func FuzzRun(f *testing.F) {
	for _, seed := range []string{
		"",
		"\n\n",
		"2026-03-14T10:00:00Z INFO hello\n2026-03-14T10:00:01Z ERROR java.io.IOException: boom\n",
		"Jan  2 15:04:05 host sshd[42]: Failed password for root\n",
		"081109 203615 148 INFO dfs.DataNode: x\r\n\x00\xff\xfe\n",
		"0000-01-01T00:00:00Z INFO year zero\n9999-12-31T23:59:59Z INFO year 9999\n",
		"\x1f\x8b not really gzip\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := run(t, bytes.NewReader(in), "--json")
		if r.code == 2 && !strings.HasPrefix(string(in), "\x1f\x8b") {
			t.Fatalf("exit 2 on content: %s", r.stderr)
		}
		if r.code == 2 {
			return // a broken gzip stream is an input error
		}
		var rep jsonReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
		}
		want := uint64(0)
		for _, l := range strings.Split(string(in), "\n") {
			if strings.TrimFunc(strings.TrimSuffix(l, "\r"), isASCIISpace) != "" {
				want++
			}
		}
		if rep.Input.Lines != want {
			t.Fatalf("lines = %d, want %d", rep.Input.Lines, want)
		}
	})
}

// isASCIISpace reports whether r is white space within a line.
func isASCIISpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\v' || r == '\f'
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParse_lineLimit checks issue 20 item 4: parse accepts lines of more
// than the old 4 MiB, and a line over the limit is reported as analyze and
// sample report it, without Go's internal bufio message.
func TestParse_lineLimit(t *testing.T) {
	long := "INFO: " + strings.Repeat("x", 5<<20) + "\n"
	code, out, errOut := runCLI(t, context.Background(), "parse", "--format", "<Level>: <Content>", writeTemp(t, "INFO: ok\n"+long))
	require.Equal(t, 0, code, "a 5 MiB line in a file is accepted: %s", errOut)
	assert.Equal(t, 3, strings.Count(out, "\n"), "header and two rows")

	var stdout, stderr bytes.Buffer
	code = run(context.Background(), []string{"parse", "-"}, strings.NewReader(long), &stdout, &stderr)
	assert.Equal(t, 0, code, "a 5 MiB line is accepted: %s", stderr.String())
	assert.Equal(t, 2, strings.Count(stdout.String(), "\n"), "header and one row")

	old := maxLineBytes
	maxLineBytes = 1 << 10
	defer func() { maxLineBytes = old }()
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"parse", "-"}, strings.NewReader("short\n"+strings.Repeat("y", 2<<10)+"\n"), &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.Equal(t, "lipservice: parse: -: line 2: longer than 1024 bytes\n", stderr.String())
	assert.NotContains(t, stderr.String(), "bufio")
}

// TestParse_stdinTwice checks that parse labels stdin, which it reads only
// once, exactly as it labels the same lines from a file, which it reads
// twice.
func TestParse_stdinTwice(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "hdfs_2k.log"))
	require.NoError(t, err)
	var fromFile, fromStdin, errOut bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"parse", filepath.Join("testdata", "hdfs_2k.log")}, nil, &fromFile, &errOut), errOut.String())
	require.Equal(t, 0, run(context.Background(), []string{"parse"}, bytes.NewReader(in), &fromStdin, &errOut), errOut.String())
	assert.Equal(t, 2001, strings.Count(fromFile.String(), "\n"), "a row per line")
	assert.Equal(t, fromFile.String(), fromStdin.String())
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.log")
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	return p
}

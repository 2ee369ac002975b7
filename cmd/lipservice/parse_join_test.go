package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseRows runs "lipservice parse" with args on stdin and returns the CSV
// rows after the header.
func parseRows(t *testing.T, stdin string, args ...string) [][]string {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"parse"}, args...), strings.NewReader(stdin), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	require.Equal(t, []string{"LineId", "EventId", "EventTemplate"}, rows[0])
	return rows[1:]
}

// multiLineInput holds records of one to many lines in the shapes of
// common runtimes: a Java exception with its cause, a Go panic with its
// goroutine dump, a Python traceback, a blank line inside a record, and
// single-line records between them.
const multiLineInput = `2024-05-07 10:00:00,001 INFO [main] App - started in 812 ms
2024-05-07 10:00:01,002 ERROR [http-1] Handler - request failed
java.lang.IllegalStateException: pool exhausted
	at com.example.Pool.get(Pool.java:88)
	at com.example.Handler.serve(Handler.java:57)
Caused by: java.util.concurrent.TimeoutException: 30000 ms
	... 12 more
2024-05-07 10:00:02,003 INFO [main] App - started in 945 ms
panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.main()
	/src/main.go:12 +0x1d
2024-05-07 10:00:03,004 WARN [worker] Jobs - retrying job 17
Traceback (most recent call last):
  File "job.py", line 3, in <module>
ValueError: bad value
2024-05-07 10:00:04,005 INFO [main] App - started in 1002 ms
`

// TestParse_JoinsContinuationLines checks issue 17 for parse: with the
// default --join a multi-line record is one row, whose LineId is its first
// line's and whose template is its first line's; --join=false gives one
// row per line, as before.
func TestParse_JoinsContinuationLines(t *testing.T) {
	rows := parseRows(t, multiLineInput)
	var ids []string
	templates := map[string]string{}
	for _, r := range rows {
		ids = append(ids, r[0])
		templates[r[0]] = r[2]
	}
	// Written by hand from the input: the first line of each record.
	assert.Equal(t, []string{"1", "2", "8", "9", "14", "18"}, ids, "one row per record, at its first line")
	// The content after the detected timestamp and level (the thread and
	// logger names stay in it).
	assert.True(t, strings.HasSuffix(templates["2"], "Handler - request failed"), "the Java record's template is its header line's: %q", templates["2"])
	assert.True(t, strings.HasSuffix(templates["14"], "Jobs - retrying job <*>"), templates["14"])
	assert.True(t, strings.HasSuffix(templates["18"], "App - started in <*> ms"), templates["18"])
	assert.Equal(t, templates["1"], templates["8"], "the same event, whatever follows it")
	assert.True(t, strings.HasPrefix(templates["9"], "panic: runtime error"), "a headerless first line starts a record: %q", templates["9"])
	for _, r := range rows {
		assert.NotContains(t, r[2], "\n", "a row holds one line's template")
		assert.NotContains(t, r[2], "goroutine", "continuation lines are not mined")
	}

	rows = parseRows(t, multiLineInput, "--join=false")
	require.Len(t, rows, strings.Count(multiLineInput, "\n"), "--join=false: a row per line")
	for i, r := range rows {
		assert.Equal(t, fmt.Sprint(i+1), r[0])
	}
}

// TestParse_JoinCap checks that parse cuts a record at the 500-line cap of
// logline.Joiner, as analyze and sample do: the line past the cap starts a
// row of its own.
func TestParse_JoinCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("2024-05-07 10:00:00 INFO dumping state\n")
	for i := range 700 {
		fmt.Fprintf(&b, "\tframe %d at 0x%x\n", i, i*16)
	}
	rows := parseRows(t, b.String())
	var ids []string
	for _, r := range rows {
		ids = append(ids, r[0])
	}
	assert.Equal(t, []string{"1", "501"}, ids, "a record holds at most 500 lines")
}

// TestParse_JoinStdinAsFile checks that joining gives the same rows when
// parse reads stdin (spooled to a temporary file for the second pass) as
// when it reads a file (read twice).
func TestParse_JoinStdinAsFile(t *testing.T) {
	path := writeTemp(t, multiLineInput)
	var fromFile, fromStdin, errb bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"parse", path}, nil, &fromFile, &errb), errb.String())
	require.Equal(t, 0, run(context.Background(), []string{"parse"}, strings.NewReader(multiLineInput), &fromStdin, &errb), errb.String())
	assert.Equal(t, fromFile.String(), fromStdin.String())
	assert.Equal(t, 7, strings.Count(fromFile.String(), "\n"), "header and six records")
}

// TestParse_JoinWithFormat checks that with --format a line that does not
// match the format and has a continuation shape joins the record above,
// and is not counted as unmatched.
func TestParse_JoinWithFormat(t *testing.T) {
	in := "INFO: job 1 failed\n\tat Job.run(Job.java:3)\n\tat Main.main(Main.java:9)\nINFO: job 2 failed\n"
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"parse", "--format", "<Level>: <Content>"}, strings.NewReader(in), &out, &errb)
	require.Equal(t, 0, code, errb.String())
	assert.Empty(t, errb.String(), "continuation lines are not unmatched lines")
	assert.Equal(t, 3, strings.Count(out.String(), "\n"), "header and two records:\n%s", out.String())
	assert.Contains(t, out.String(), "\n4,")
}

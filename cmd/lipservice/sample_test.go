package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appInput is the generated fixture: a 3-minute stream of the loggen
// service at about 10 lines/s.
const appInput = "sample_app.input"

func appLines() []loggen.Line {
	g := loggen.New(4, loggen.WithDuration(3*time.Minute), loggen.WithLinesPerSecond(10))
	var out []loggen.Line
	for {
		l, ok := g.Next()
		if !ok {
			return out
		}
		out = append(out, l)
	}
}

// TestSampleFixture checks that the generated input is what loggen produces
// (and rewrites it with -update).
func TestSampleFixture(t *testing.T) {
	var app bytes.Buffer
	for _, l := range appLines() {
		app.WriteString(l.Text + "\n")
	}
	checkGolden(t, appInput, app.Bytes())
}

// writeNoTime writes the messages of the fixture, without their headers, to
// a temporary file and returns its path.
func writeNoTime(t *testing.T) string {
	var b bytes.Buffer
	for _, l := range appLines() {
		b.WriteString(l.Message + "\n")
	}
	path := filepath.Join(t.TempDir(), "notime.log")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return path
}

func runCmd(ctx context.Context, stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(ctx, append([]string{"sample"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	if !filepath.IsAbs(name) {
		name = filepath.Join("testdata", name)
	}
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

const strict = "testdata/sample_policy_strict.json"

const sampleHDFSFormat = "<Date> <Time> <Pid> <Level> <Component>: <Content>"

func TestSample_golden(t *testing.T) {
	noTime := writeNoTime(t)
	tests := []struct {
		name   string // golden files testdata/sample_<name>.stdout and .stderr
		stdout string // stdout golden name when not <name>
		stdin  string // testdata file fed on stdin, if any
		args   []string
		input  string // file whose lines stdout must be a subsequence of
		isJSON bool
	}{
		{name: "app", args: []string{"--seed", "1", "testdata/" + appInput}, input: appInput},
		{name: "app", stdin: appInput, args: []string{"--seed", "1", "-"}, input: appInput},
		{name: "app", stdin: appInput, args: []string{"--seed", "1"}, input: appInput},
		{name: "app_json", args: []string{"--seed", "1", "--json", "--policy", strict, "testdata/" + appInput}, input: appInput, isJSON: true},
		// The format and the detected header must give the same decisions.
		{name: "hdfs_format", stdout: "hdfs", args: []string{"--seed", "1", "--policy", strict, "--format", sampleHDFSFormat, "testdata/hdfs_2k.log"}, input: "hdfs_2k.log"},
		{name: "hdfs_detect", stdout: "hdfs", args: []string{"--seed", "1", "--policy", strict, "--top", "5", "testdata/hdfs_2k.log"}, input: "hdfs_2k.log"},
		{name: "notime_lps", args: []string{"--seed", "1", "--lines-per-second", "10", "--policy", "testdata/sample_policy.json", noTime}, input: noTime},
	}
	for _, test := range tests {
		t.Run(test.name+"/"+strings.Join(test.args, " "), func(t *testing.T) {
			stdin := ""
			if test.stdin != "" {
				stdin = readTestdata(t, test.stdin)
			}
			code, stdout, stderr := runCmd(context.Background(), stdin, test.args...)
			require.Equal(t, 0, code, "exit code; stderr:\n%s", stderr)
			outName := cmp.Or(test.stdout, test.name)
			checkGolden(t, "sample_"+outName+".stdout", []byte(stdout))
			checkGolden(t, "sample_"+test.name+".stderr", []byte(stderr))

			in := strings.Split(strings.TrimSuffix(readTestdata(t, test.input), "\n"), "\n")
			if test.isJSON {
				checkJSONLines(t, in, stdout)
			} else {
				checkSubsequence(t, in, stdout)
			}
		})
	}
}

// checkSubsequence requires every output line to be an input line, in input
// order (kept lines are written unchanged).
func checkSubsequence(t *testing.T, in []string, stdout string) {
	t.Helper()
	j := 0
	sc := bufio.NewScanner(strings.NewReader(stdout))
	n := 0
	for sc.Scan() {
		for j < len(in) && in[j] != sc.Text() {
			j++
		}
		require.Less(t, j, len(in), "output line %d %q is not a later input line", n+1, sc.Text())
		j++
		n++
	}
	assert.Positive(t, n, "something is kept")
	assert.Less(t, n, len(in), "something is dropped")
}

// checkJSONLines checks the --json objects against the input.
func checkJSONLines(t *testing.T, in []string, stdout string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(stdout))
	prev := 0
	for sc.Scan() {
		var obj struct {
			Line      *int     `json:"line"`
			Text      *string  `json:"text"`
			Rate      *float64 `json:"rate"`
			PatternID *string  `json:"pattern_id"`
			Template  *string  `json:"template"`
			Reason    *string  `json:"reason"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &obj), sc.Text())
		require.NotNil(t, obj.Line, "line")
		require.NotNil(t, obj.Rate, "rate")
		require.NotNil(t, obj.PatternID, "pattern_id")
		require.NotNil(t, obj.Template, "template")
		require.NotNil(t, obj.Reason, "reason")
		require.NotNil(t, obj.Text, "text")
		assert.Greater(t, *obj.Line, prev, "line numbers increase")
		prev = *obj.Line
		require.LessOrEqual(t, *obj.Line, len(in))
		assert.Equal(t, in[*obj.Line-1], *obj.Text, "text is input line %d", *obj.Line)
		assert.True(t, *obj.Rate > 0 && *obj.Rate <= 1, "rate %v in (0, 1]", *obj.Rate)
		assert.Len(t, *obj.PatternID, 16)
		assert.NotEmpty(t, *obj.Reason)
	}
	assert.Positive(t, prev)
}

func TestSample_errors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string // substring
	}{
		{"help", []string{"-h"}, 0, "usage: lipservice sample"},
		{"unknown flag", []string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"two files", []string{"a", "b"}, 2, "lipservice: sample: at most one input file"},
		{"missing file", []string{"testdata/does-not-exist.log"}, 2, "lipservice: sample: open testdata/does-not-exist.log: no such file or directory"},
		{"invalid policy", []string{"--policy", "testdata/sample_policy_invalid.json", "-"}, 2, "lipservice: sample: "},
		{"missing policy", []string{"--policy", "testdata/nope.json", "-"}, 2, "lipservice: sample: "},
		{"negative lines per second", []string{"--lines-per-second", "-1"}, 2, "lipservice: sample: --lines-per-second -1"},
		{"NaN lines per second", []string{"--lines-per-second", "NaN"}, 2, "lipservice: sample: --lines-per-second NaN"},
		{"negative top", []string{"--top", "-1"}, 2, "lipservice: sample: --top -1"},
		{"bad format", []string{"--format", "no fields here"}, 2, "lipservice: sample: "},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(context.Background(), "", test.args...)
			assert.Equal(t, test.wantCode, code, "stderr:\n%s", stderr)
			assert.Contains(t, stderr, test.wantStderr)
			assert.Empty(t, stdout, "nothing on stdout")
		})
	}
}

func TestSample_noTimestamps(t *testing.T) {
	code, stdout, stderr := runCmd(context.Background(), "hello 1\nhello 2\n", "--seed", "1")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "hello 1\nhello 2\n", stdout, "first-N keeps both")
	assert.Contains(t, stderr, "warning: no timestamps detected")

	code, _, stderr = runCmd(context.Background(), "hello 1\nhello 2\n", "--lines-per-second", "5")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "warning", "--lines-per-second supplies the time")
}

func TestSample_longLines(t *testing.T) {
	long := "2026-03-14T10:00:00.000Z ERROR " + strings.Repeat("x", 200<<10)
	code, stdout, stderr := runCmd(context.Background(), long+"\n", "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, long+"\n", stdout, "a 200 KiB ERROR line passes through unchanged")

	defer func(n int) { sampleMaxLine = n }(sampleMaxLine)
	sampleMaxLine = 1 << 10
	code, _, stderr = runCmd(context.Background(), "short\n"+long+"\n", "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "lipservice: sample: line 2: longer than 1024 bytes")
}

func TestSample_interrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, stderr := runCmd(ctx, "2026-03-14T10:00:00.000Z INFO hello\n", "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "lipservice: sample: context canceled")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestSample_writeError(t *testing.T) {
	var errb bytes.Buffer
	code := run(context.Background(), []string{"sample", "--quiet"}, strings.NewReader("2026-03-14T10:00:00.000Z ERROR boom\n"), failWriter{}, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "lipservice: sample: write: disk full")
}

func TestLevelOf(t *testing.T) {
	tests := []struct {
		word string
		want slog.Level
	}{
		{"", slog.LevelInfo},
		{"INFO", slog.LevelInfo},
		{"notice", slog.LevelInfo},
		{"bogus", slog.LevelInfo},
		{"DEBUG", slog.LevelDebug},
		{"trace", slog.LevelDebug},
		{"Warn", slog.LevelWarn},
		{"WARNING", slog.LevelWarn},
		{"ERROR", slog.LevelError},
		{"err", slog.LevelError},
		{"SEVERE", slog.LevelError},
		{"FATAL", slog.LevelError + 4},
		{"CRITICAL", slog.LevelError + 4},
		{"panic", slog.LevelError + 4},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, levelOf(test.word), "levelOf(%q)", test.word)
	}
}

// FuzzSample runs the whole filter on arbitrary input: it must not panic,
// must exit 0 and must write only input lines, in order.
func FuzzSample(f *testing.F) {
	for _, s := range []string{
		"",
		"\n\n",
		"2026-03-14T10:00:00.123Z INFO hello world\n2026-03-14T10:00:00.200Z ERROR boom id=42\n",
		"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating\n",
		"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0\n",
		"2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop: Created MRAppMaster\r\n",
		"\xff\xfe\x00 INFO \x00\n",
		"9999-99-99T99:99:99Z ERROR x\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, asJSON bool) {
		args := []string{"--quiet", "--seed", "3"}
		if asJSON {
			args = append(args, "--json")
		}
		code, stdout, stderr := runCmd(context.Background(), in, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if asJSON {
			for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
				if l != "" && !json.Valid([]byte(l)) {
					t.Fatalf("invalid JSON %q", l)
				}
			}
			return
		}
		lines := strings.Split(in, "\n")
		j := 0
		for _, out := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
			if stdout == "" {
				break
			}
			for j < len(lines) && strings.TrimSuffix(lines[j], "\r") != out {
				j++
			}
			if j == len(lines) {
				t.Fatalf("output line %q is not an input line", out)
			}
			j++
		}
	})
}

// Syslog times have no year: a run across a new year must keep time
// moving forward (logline.YearRoller), so that windows and detectors see
// Jan 1 after Dec 31, not eleven months before it.
func TestSample_syslogNewYear(t *testing.T) {
	in := "Dec 31 23:59:58 host sshd[1]: session opened\nJan  1 00:00:01 host sshd[1]: session opened\n"
	code, stdout, stderr := runCmd(context.Background(), in, "--json", "--seed", "1",
		"--format", "<Month> <Date> <Time> <Host> <Component>: <Content>")
	require.Equal(t, 0, code, stderr)
	var times []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var k struct{ Time string }
		require.NoError(t, json.Unmarshal([]byte(l), &k), l)
		times = append(times, k.Time)
	}
	assert.Equal(t, []string{"0000-12-31T23:59:58Z", "0001-01-01T00:00:01Z"}, times)
}

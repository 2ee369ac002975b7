package analyze

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runConfig runs the command with a prepared config, for the knobs the
// command line does not expose.
func runConfig(t *testing.T, ctx context.Context, cfg *config, stdin io.Reader) (code int, stdout, stderr string) {
	t.Helper()
	if cfg.target == 0 {
		cfg.target = DefaultTarget
	}
	if len(cfg.files) == 0 {
		cfg.files = []string{"-"}
	}
	var out, errb bytes.Buffer
	code = run(ctx, cfg, stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestChunking checks that the report does not depend on how the input is
// cut into chunks or on the number of workers: chunks smaller than a line
// (which must grow), lines split across chunks, a file without a final
// newline, CRLF line ends.
func TestChunking(t *testing.T) {
	in := readTestdata(t, "hdfs_200.log")
	in = append(in, "081111 101010 42 INFO dfs.DataNode: a last line without a newline"...)
	crlf := bytes.ReplaceAll(in, []byte("\n"), []byte("\r\n"))
	_, want, _ := runConfig(t, context.Background(), &config{json: true}, bytes.NewReader(in))
	require.NotEmpty(t, want)
	tests := []struct {
		name       string
		in         []byte
		workers    int
		chunkBytes int
	}{
		{"1 worker", in, 1, 0},
		{"3 workers small chunks", in, 3, 500},
		{"chunks smaller than a line", in, 2, 16},
		{"odd chunk size", in, 2, 333},
		{"crlf", crlf, 2, 1000},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, got, stderr := runConfig(t, context.Background(),
				&config{json: true, workers: test.workers, chunkBytes: test.chunkBytes}, bytes.NewReader(test.in))
			require.Empty(t, stderr)
			if test.name == "crlf" {
				// Only the byte counts differ: one more byte per line.
				var g, w Report
				require.NoError(t, json.Unmarshal([]byte(got), &g))
				require.NoError(t, json.Unmarshal([]byte(want), &w))
				assert.Equal(t, w.Input.Bytes+w.Input.Lines-1, g.Input.Bytes, "CR bytes counted, not the last line's")
				assert.Equal(t, len(w.Patterns), len(g.Patterns))
				for i := range w.Patterns {
					assert.Equal(t, w.Patterns[i].Template, g.Patterns[i].Template)
					assert.Equal(t, w.Patterns[i].Example, g.Patterns[i].Example, "no CR in examples")
				}
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestLineTooLong(t *testing.T) {
	in := "short line\n" + strings.Repeat("x", 300) + "\nshort line\n"
	code, out, stderr := runConfig(t, context.Background(), &config{chunkBytes: 16, maxLine: 256}, strings.NewReader(in))
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "lipservice: analyze: stdin: line longer than 256 bytes\n", stderr)

	code, _, stderr = runConfig(t, context.Background(), &config{chunkBytes: 16, maxLine: 400}, strings.NewReader(in))
	assert.Equal(t, 0, code, stderr)
}

// TestEviction checks that a full signature table evicts rare signatures
// and that the totals stay exact.
func TestEviction(t *testing.T) {
	var b strings.Builder
	for i := range 400 {
		b.WriteString("2026-03-14T10:00:" + strconv.Itoa(10+i%50) + "Z INFO steady message\n")
		if i%4 == 0 {
			// a new signature every time: the bracketed word is not masked
			b.WriteString("2026-03-14T10:00:" + strconv.Itoa(10+i%50) + "Z INFO unique [w" + strings.Repeat("x", i/4) + "q] seen\n")
		}
	}
	code, out, stderr := runConfig(t, context.Background(), &config{json: true, maxSigs: 16}, strings.NewReader(b.String()))
	require.NotEqual(t, 2, code, stderr)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	in := rep.Input
	assert.Equal(t, uint64(500), in.Lines)
	assert.LessOrEqual(t, in.Signatures, 16)
	assert.Positive(t, in.EvictedSignatures)
	var counted uint64
	for _, p := range rep.Patterns {
		counted += p.Count
	}
	assert.Equal(t, in.Lines, counted+in.EvictedLines, "every line is in a pattern or evicted")
	assert.Equal(t, "steady message", rep.Patterns[0].Template, "the frequent signature survives")
	assert.Equal(t, uint64(400), rep.Patterns[0].Count)
	assert.GreaterOrEqual(t, rep.Projection.KeptLines, float64(in.EvictedLines),
		"evicted lines count as kept: the policy does not know them")
}

func TestTimeline(t *testing.T) {
	// Times in seconds after an arbitrary origin; each test adds one count
	// per time and checks the bucket width and that no count is lost.
	base := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		secs      []int64
		wantWidth int64
	}{
		{"one bucket", []int64{0, 0, 0}, 1},
		{"within the axis", []int64{0, 5, maxBuckets - 1}, 1},
		{"one past", []int64{0, maxBuckets}, 2},
		{"far future", []int64{0, 10 * maxBuckets}, 16},
		{"backwards", []int64{1000, 0}, 16},
		{"back and forth", []int64{500, 0, 2000, 100, 1999}, 32},
		{"years", []int64{0, 3 * 365 * 86400}, 1 << 20},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			tb := newTable(4)
			s := tb.add(1, "t", "e")
			s.series = make([]uint32, maxBuckets)
			for _, sec := range test.secs {
				ts := base.Add(time.Duration(sec) * time.Second)
				i := tb.bucket(ts)
				s.series[i]++
				tb.total[i]++
			}
			assert.Equal(t, test.wantWidth, tb.tl.width)
			var sum uint32
			for _, n := range s.series {
				sum += n
			}
			assert.Equal(t, uint32(len(test.secs)), sum, "no count lost")
			assert.Equal(t, s.series, tb.total, "every series is regridded alike")
			// Each time now falls in the bucket that holds its count.
			for _, sec := range test.secs {
				i, ok := tb.tl.index(base.Unix() + sec)
				require.True(t, ok)
				assert.Positive(t, s.series[i], "time %d", sec)
			}
		})
	}
}

// TestCancelMidStream cancels after the first chunk has been counted (the
// progress clock is the hook): the report of the lines read so far is
// written and Run returns 2.
func TestCancelMidStream(t *testing.T) {
	defer func(f func(io.Writer) bool, now func() time.Time) { isTerminal, timeNow = f, now }(isTerminal, timeNow)
	isTerminal = func(io.Writer) bool { return true }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	timeNow = func() time.Time {
		calls++
		if calls == 2 { // 1: start; 2: after the first chunk
			cancel()
		}
		return time.Unix(0, 0)
	}
	in := readTestdata(t, "hdfs_200.log")
	code, out, stderr := runConfig(t, ctx, &config{json: true, chunkBytes: 2000}, bytes.NewReader(in))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "lipservice: analyze: interrupted after 14 lines: context canceled\n")
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.True(t, rep.Input.Interrupted)
	assert.Equal(t, uint64(14), rep.Input.Lines, "the lines of the first 2000-byte chunk")
}

// TestCancelBlockedStdin checks that Run returns on cancel even while the
// reader is stuck in a Read that nothing ends (an idle pipe).
func TestCancelBlockedStdin(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	br := &blockingReader{first: []byte("2026-03-14T10:00:00Z INFO hello\n"), release: make(chan struct{}), reading: make(chan struct{})}
	defer close(br.release) // lets the abandoned reader goroutine exit, for goleak
	go func() {
		<-br.reading
		cancel()
	}()
	code, _, stderr := runConfig(t, ctx, &config{chunkBytes: 16}, br)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "interrupted")
}

// blockingReader returns first, then blocks until release is closed.
type blockingReader struct {
	first   []byte
	release chan struct{}
	reading chan struct{}
	once    sync.Once
}

func (b *blockingReader) Read(p []byte) (int, error) {
	if len(b.first) > 0 {
		n := copy(p, b.first)
		b.first = b.first[n:]
		return n, nil
	}
	b.once.Do(func() { close(b.reading) })
	<-b.release
	return 0, io.EOF
}

func TestProgress(t *testing.T) {
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	isTerminal = func(io.Writer) bool { return true }
	in := readTestdata(t, "hdfs_200.log")

	t.Run("terminal", func(t *testing.T) {
		var errb bytes.Buffer
		p := newProgress(&errb, true)
		now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
		p.now = func() time.Time { return now }
		p.start, p.last = now, now
		p.update(10, 1000) // too soon: throttled
		now = now.Add(progressEvery)
		p.update(20, 2_000_000)
		now = now.Add(progressEvery / 2)
		p.update(30, 3_000_000) // throttled
		p.done()
		assert.Equal(t, "\rlipservice: analyze: 20 lines, 2.0 MB, 8 MB/s \n", errb.String())
	})
	t.Run("quiet", func(t *testing.T) {
		code, _, stderr := runConfig(t, context.Background(), &config{quiet: true, chunkBytes: 100}, bytes.NewReader(in))
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
	})
	t.Run("not a terminal", func(t *testing.T) {
		isTerminal = func(io.Writer) bool { return false }
		code, _, stderr := runConfig(t, context.Background(), &config{chunkBytes: 100}, bytes.NewReader(in))
		assert.Equal(t, 0, code)
		assert.Empty(t, stderr)
	})
}

func TestLevelOf(t *testing.T) {
	tests := []struct {
		word string
		want level
	}{
		{"", levelNone},
		{"INFO", levelInfo},
		{"info", levelInfo},
		{"[WARN]", levelWarning},
		{"warning:", levelWarning},
		{"Error", levelError},
		{"SEVERE", levelError},
		{"FAILURE", levelError},
		{"FATAL", levelCritical},
		{"crit", levelCritical},
		{"trace", levelDebug},
		{"D", levelDebug}, // Android logcat's one-letter level, as sample reads it (one table: logline.ParseLevel)
		{"NOTICE", levelInfo},
		{"whatever", levelInfo},
	}
	for _, test := range tests {
		t.Run(test.word, func(t *testing.T) {
			assert.Equal(t, test.want, levelOf(test.word))
		})
	}
}

// TestLongLines checks that templates and examples are kept clipped, so
// that a table of long lines stays bounded.
func TestLongLines(t *testing.T) {
	long := strings.Repeat("word ", 2000) // 10 kB of constant text
	in := "2026-03-14T10:00:00Z INFO " + long + "\n" + "2026-03-14T10:00:01Z INFO short é line\n"
	code, out, stderr := runConfig(t, context.Background(), &config{json: true}, strings.NewReader(in))
	require.Equal(t, 0, code, stderr)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Patterns, 2)
	for _, p := range rep.Patterns {
		assert.LessOrEqual(t, len(p.Template), maxTemplateBytes+len("…"))
		assert.LessOrEqual(t, len(p.Example), maxExampleBytes+len("…"))
		assert.True(t, utf8.ValidString(p.Template) && utf8.ValidString(p.Example))
	}
	assert.Equal(t, uint64(len(in)), rep.Input.Bytes, "byte counts are not clipped")

	got, cut := clipString("aé", 2) // 'é' is two bytes: cut before it
	assert.Equal(t, "a…", got)
	assert.True(t, cut)
}

func TestFormatTime(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "-"},
		{time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC), "2015-10-18 18:01:47"},
		{time.Date(2015, 10, 18, 20, 1, 47, 0, time.FixedZone("x", 2*3600)), "2015-10-18 18:01:47"},
		{time.Date(0, 12, 31, 23, 59, 58, 0, time.UTC), "Dec 31 23:59:58"},
		{time.Date(1, 1, 1, 0, 0, 5, 0, time.UTC), "Jan  1 00:00:05 +1y"},
		{time.Date(2, 7, 14, 8, 0, 0, 0, time.UTC), "Jul 14 08:00:00 +2y"},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, formatTime(test.t), "formatTime(%v)", test.t)
	}
}

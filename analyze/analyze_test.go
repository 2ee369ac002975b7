package analyze_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/analyze"
	"github.com/srex-dev/lipservice-go/policy"
)

const hadoopFormat = `<Date> <Time> <Level> \[<Process>\] <Component>: <Content>`

func TestRunGolden(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_200.log")
	hadoop := filepath.Join("testdata", "hadoop_61.log")
	ssh := filepath.Join("testdata", "openssh_100.log")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
	}{
		{"hdfs_text", []string{"--top", "5", hdfs}, "", 0},
		{"hdfs_json", []string{"--json", "--top", "3", hdfs}, "", 0},
		{"hdfs_format_json", []string{"--json", "--top", "3", "--format", "<Date> <Time> <Pid> <Level> <Component>: <Content>", hdfs}, "", 0},
		{"hadoop_format_text", []string{"--format", hadoopFormat, "--target", "0.5", "--price-per-gb", "2.5", hadoop}, "", 0},
		{"openssh_text", []string{"--top", "8", ssh}, "", 0},
		{"service_text", []string{"--top", "0", "-"}, string(serviceLog()), 0},
		{"stdin_no_time_text", nil, "starting worker 1\nstarting worker 2\n\nworker 2 failed: java.io.IOException: disk full\n", 0},
		{"empty_text", nil, "", 0},
		{"empty_json", []string{"--json"}, "", 0},
		{"missing_file", []string{filepath.Join("testdata", "no_such_file.log")}, "", 2},
		{"bad_flag", []string{"--no-such-flag"}, "", 2},
		{"bad_target", []string{"--target", "0"}, "", 2},
		{"bad_price", []string{"--price-per-gb", "-1"}, "", 2},
		{"bad_top", []string{"--top", "-1"}, "", 2},
		{"bad_format", []string{"--format", "no fields here"}, "", 2},
		{"bad_interval", []string{"--interval", "-1s"}, "", 2},
		{"hdfs_auto_interval_text", []string{"--interval", "0", "--top", "3", hdfs}, "", 0},
		{"help", []string{"-h"}, "", 0},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r := run(t, strings.NewReader(test.stdin), test.args...)
			assert.Equal(t, test.wantCode, r.code, "exit code; stderr:\n%s", r.stderr)
			checkGolden(t, "run_"+test.name+".stdout.golden", r.stdout)
			checkGolden(t, "run_"+test.name+".stderr.golden", r.stderr)
		})
	}
}

// TestRunExitCode checks the exit status with and without --exit-code: 1
// only with the flag and only for anomalies other than new patterns, and the
// report is the same either way.
func TestRunExitCode(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_200.log")
	hadoop := filepath.Join("testdata", "hadoop_61.log")
	tests := []struct {
		name     string
		args     []string
		stdin    []byte
		wantCode int
	}{
		{"spike and surge", []string{"--json"}, serviceLog(), 0},
		{"spike and surge, exit-code", []string{"--json", "--exit-code"}, serviceLog(), 1},
		{"only new patterns", []string{"--json", hdfs}, nil, 0},
		{"only new patterns, exit-code", []string{"--json", "--exit-code", hdfs}, nil, 0},
		{"no anomaly, exit-code", []string{"--json", "--exit-code", "--format", hadoopFormat, hadoop}, nil, 0},
		{"empty, exit-code", []string{"--json", "--exit-code"}, nil, 0},
		{"missing file, exit-code", []string{"--exit-code", filepath.Join("testdata", "no_such_file.log")}, nil, 2},
		{"bad flag, exit-code", []string{"--exit-code", "--top", "-1"}, nil, 2},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r := run(t, bytes.NewReader(test.stdin), test.args...)
			require.Equal(t, test.wantCode, r.code, "stderr:\n%s", r.stderr)
			if r.code == 2 {
				return
			}
			var rep jsonReport
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			incidents := 0
			for _, a := range rep.Anomalies {
				if a.Type != "new_pattern" {
					incidents++
				}
			}
			assert.Equal(t, test.wantCode == 1, incidents > 0 && slices.Contains(test.args, "--exit-code"),
				"exit 1 exactly when --exit-code is set and an anomaly other than new_pattern is listed: %+v", rep.Anomalies)
			if strings.HasPrefix(test.name, "only new patterns") {
				assert.NotEmpty(t, rep.Anomalies, "the hdfs sample has new_pattern events, and they alone do not fail")
			}
			without := run(t, bytes.NewReader(test.stdin), slices.DeleteFunc(slices.Clone(test.args), func(a string) bool { return a == "--exit-code" })...)
			assert.Equal(t, r.stdout, without.stdout, "--exit-code does not change the report")
		})
	}
}

// TestRunErrorTypes checks the error types counted per pattern: named types
// at every level, conditions at WARNING and above, and different types
// hidden in one template's masked token told apart.
func TestRunErrorTypes(t *testing.T) {
	in := `2026-03-14T10:00:00Z INFO job 1 failed: java.io.IOException: disk
2026-03-14T10:00:01Z DEBUG job 2 failed: java.io.IOException: disk
2026-03-14T10:00:02Z INFO upload 1 caused by S3Exception
2026-03-14T10:00:03Z INFO upload 2 caused by Log4jError
2026-03-14T10:00:04Z INFO upload 3 caused by S3Exception
2026-03-14T10:00:05Z INFO dial 10.0.0.1: connection refused
2026-03-14T10:00:06Z ERROR dial 10.0.0.2: connection refused
2026-03-14T10:00:07Z WARN dial 10.0.0.3: connection refused
2026-03-14T10:00:08Z INFO report 7: Error: java.net.NoRouteToHostException: no route
2026-03-14T10:00:09Z INFO timeout set to 30s
`
	r := run(t, strings.NewReader(in), "--json", "--top", "0")
	require.Equal(t, 0, r.code, r.stderr)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	got := map[string]map[string]uint64{}
	for _, p := range rep.Patterns {
		got[p.Template] = p.ErrorTypes
	}
	want := map[string]map[string]uint64{
		"job <*> failed: java.io.IOException: disk":                    {"java.io.IOException": 2},
		"upload <*> caused by <*>":                                     {"S3Exception": 2, "Log4jError": 1},
		"dial <*>: connection refused":                                 {"connection refused": 2},
		"report <*>: Error: java.net.NoRouteToHostException: no route": {"java.net.NoRouteToHostException": 1},
		"timeout set to <*>":                                           nil,
	}
	assert.Equal(t, want, got)
}

// gzipped returns data compressed as one gzip member.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func TestRunGzip(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "hdfs_200.log"))
	require.NoError(t, err)
	want := run(t, bytes.NewReader(plain), "--json", "-")
	require.Equal(t, 0, want.code, want.stderr)

	dir := t.TempDir()
	gzFile := filepath.Join(dir, "hdfs.log.gz")
	require.NoError(t, os.WriteFile(gzFile, gzipped(t, plain), 0o644))
	half := bytes.Index(plain, []byte("081109 2057")) // two gzip members, split mid-file
	require.Positive(t, half)
	multi := append(gzipped(t, plain[:half]), gzipped(t, plain[half:])...)

	// A file is replayed through the sampler for the projection, stdin is
	// not (it cannot be read twice): a gzipped file compares with the plain
	// file, gzipped stdin with plain stdin.
	wantFile := run(t, nil, "--json", filepath.Join("testdata", "hdfs_200.log"))
	require.Equal(t, 0, wantFile.code, wantFile.stderr)

	tests := []struct {
		name  string
		args  []string
		stdin []byte
		want  string
	}{
		{"file", []string{"--json", gzFile}, nil, wantFile.stdout},
		{"stdin", []string{"--json", "-"}, gzipped(t, plain), want.stdout},
		{"multistream", []string{"--json"}, multi, want.stdout},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := run(t, bytes.NewReader(test.stdin), test.args...)
			require.Equal(t, 0, got.code, got.stderr)
			assert.Empty(t, got.stderr)
			// Only the file names may differ.
			assert.Equal(t, stripFiles(t, test.want), stripFiles(t, got.stdout))
		})
	}

	t.Run("corrupt", func(t *testing.T) {
		bad := gzipped(t, plain)
		bad = bad[:len(bad)/2]
		got := run(t, bytes.NewReader(bad), "-")
		assert.Equal(t, 2, got.code)
		assert.Contains(t, got.stderr, "lipservice: analyze: stdin: unexpected EOF")
		assert.Empty(t, got.stdout, "no report after an input error")
	})
}

// stripFiles decodes a --json report and removes input.files.
func stripFiles(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &m))
	delete(m["input"].(map[string]any), "files")
	return m
}

func TestRunMultipleFiles(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_200.log")
	ssh := filepath.Join("testdata", "openssh_100.log")
	r := run(t, nil, "--json", hdfs, ssh, hdfs)
	require.Equal(t, 0, r.code, r.stderr)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	assert.Equal(t, []string{hdfs, ssh, hdfs}, rep.Input.Files)
	assert.Equal(t, uint64(500), rep.Input.Lines)
	// Syslog times have no year: the earliest time is in year 0.
	assert.Equal(t, 0, rep.Input.FirstSeen.Year())
	assert.Equal(t, 2008, rep.Input.LastSeen.Year())
}

// TestRunBurst runs the detectors over a log with an injected spike and an
// error surge and checks that both are reported at their times.
func TestRunBurst(t *testing.T) {
	r := run(t, bytes.NewReader(serviceLog()), "--json", "--exit-code")
	require.Equal(t, 1, r.code, "--exit-code and a spike and a surge found: exit 1; stderr: %s", r.stderr)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))

	find := func(typ, template string) *jsonAnomaly {
		for i, a := range rep.Anomalies {
			if a.Type == typ && a.Template == template {
				return &rep.Anomalies[i]
			}
		}
		t.Fatalf("no %s event for %q in %+v", typ, template, rep.Anomalies)
		return nil
	}
	spike := find("rate_spike", "GET /api/<*> 200 in <*>")
	assert.Equal(t, spikeAt, spike.Start, "the spike starts in the interval of its first line")
	assert.WithinDuration(t, spikeAt, spike.Detected, time.Second, "detected within the first second")
	assert.False(t, spike.End.IsZero(), "the spike has ended")
	assert.WithinDuration(t, spikeAt.Add(time.Duration(spikeSeconds)*time.Second), spike.End, 3*time.Second)
	assert.NotNil(t, spike.PatternID)
	assert.Greater(t, spike.Value, 10*spike.Baseline)

	surge := find("error_surge", "")
	assert.Equal(t, surgeAt, surge.Start)
	assert.Equal(t, "critical", surge.Severity)
	assert.Nil(t, surge.Signature, "an error surge is service-wide")

	np := find("new_pattern", "payment <*> failed: dial tcp <*>: connect: connection refused")
	assert.Equal(t, surgeAt, np.Start)
	assert.Equal(t, "ERROR", np.Level)

	// The error pattern is listed with its error type and kept in full.
	var errPat *jsonPattern
	for i, p := range rep.Patterns {
		if strings.HasPrefix(p.Template, "payment ") {
			errPat = &rep.Patterns[i]
		}
	}
	require.NotNil(t, errPat)
	assert.Equal(t, map[string]uint64{"ERROR": 200}, errPat.Levels)
	assert.Equal(t, map[string]uint64{"connection refused": 200}, errPat.ErrorTypes)
	assert.InDelta(t, 1, errPat.Rate, 1e-12, "error patterns are kept in full")
	assert.Equal(t, 1, errPat.Anomalies, "its new_pattern event (the surge is service-wide)")
}

// TestRunJSONSchema decodes --json output into the documented schema,
// rejecting unknown keys, and checks the invariants between the fields.
func TestRunJSONSchema(t *testing.T) {
	r := run(t, bytes.NewReader(serviceLog()), "--json", "--top", "0", "--target", "0.2", "--price-per-gb", "1")
	require.Equal(t, 0, r.code, r.stderr)
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	var rep jsonReport
	require.NoError(t, dec.Decode(&rep), "the output has only documented keys")

	in := rep.Input
	assert.Equal(t, []string{"-"}, in.Files)
	assert.Equal(t, in.Lines, in.TimedLines)
	assert.Equal(t, genStart, in.FirstSeen)
	assert.Equal(t, in.LastSeen.Sub(in.FirstSeen).Seconds(), in.DurationSeconds)
	assert.Equal(t, len(rep.Patterns), in.Patterns, "--top 0 lists every pattern")
	assert.Equal(t, len(rep.Anomalies), in.AnomalyEvents)
	assert.False(t, in.Interrupted)

	var lines, bytesSum uint64
	for i, p := range rep.Patterns {
		lines += p.Count
		bytesSum += p.Bytes
		assert.Len(t, p.ID, 16, "ids are 16 hex digits")
		assert.InDelta(t, float64(p.Count)/float64(in.Lines), p.Share, 1e-12)
		assert.Equal(t, p.SignatureCount, len(p.Signatures), "few signatures: all listed")
		var lv uint64
		for _, n := range p.Levels {
			lv += n
		}
		assert.Equal(t, p.Count, lv, "the level mix covers every line")
		if i > 0 {
			assert.LessOrEqual(t, p.Count, rep.Patterns[i-1].Count, "patterns by decreasing count")
		}
		require.NotNil(t, rep.Timeline)
		assert.Len(t, p.Series, len(rep.Timeline.Total))
	}
	assert.Equal(t, in.Lines, lines)
	assert.Equal(t, in.Bytes, bytesSum)
	var total uint64
	for _, n := range rep.Timeline.Total {
		total += uint64(n)
	}
	assert.Equal(t, in.Lines, total, "the timeline counts every line")
	assert.Equal(t, genStart, rep.Timeline.Start)

	pr := rep.Projection
	assert.Equal(t, 0.2, pr.TargetKeepFraction)
	assert.Equal(t, 1.0, pr.PricePerGB)
	assert.Equal(t, in.Lines, pr.Lines)
	assert.Equal(t, in.Bytes, pr.Bytes)
	assert.InDelta(t, float64(pr.Bytes)/1e9, pr.Cost, 1e-15)
	assert.InDelta(t, pr.Cost-pr.KeptCost, pr.Savings, 1e-15)
	assert.InDelta(t, 1-pr.KeptLines/float64(pr.Lines), pr.LineReduction, 1e-12)
	require.NotNil(t, pr.Per30Days, "ten minutes of input are extrapolated")
	assert.InDelta(t, pr.Cost*30*24*3600/in.DurationSeconds, pr.Per30Days.Cost, 1e-9)

	// The policy is valid and lists the chatty signatures.
	var p policy.Policy
	require.NoError(t, json.Unmarshal(rep.Policy, &p))
	require.NoError(t, p.Validate())
	assert.NotEmpty(t, p.PatternRates)
}

func TestRunHTML(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	r := run(t, bytes.NewReader(serviceLog()), "--html", path, "--top", "3")
	require.Equal(t, 0, r.code, r.stderr)
	page, err := os.ReadFile(path)
	require.NoError(t, err)
	doc := parseHTML(t, page)

	assert.Equal(t, 4, doc.count["svg"], "the overview chart and one per top pattern")
	assert.Equal(t, 3, doc.classes["pattern"], "pattern rows")
	assert.Equal(t, doc.anomalies, doc.classes["anomaly"], "one row per anomaly")
	assert.Positive(t, doc.classes["marker"], "anomalies are marked on the charts")
	assert.Contains(t, doc.text, "GET /api/<*> 200 in <*>")
	assert.Contains(t, doc.text, "rate_spike (warning) at 2026-03-14 10:05:00", "the spike's marker names its time")
	assert.Contains(t, doc.text, "anomalies counted per 1s", "the summary states the interval")
	assert.Zero(t, doc.count["script"]+doc.count["link"]+doc.count["img"]+doc.count["iframe"], "no external elements")
	assert.Empty(t, doc.external, "no attribute or style refers to another resource")

	t.Run("unwritable", func(t *testing.T) {
		r := run(t, bytes.NewReader(serviceLog()), "--html", filepath.Join(dir, "no", "such", "dir.html"))
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "lipservice: analyze: ")
	})
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := analyze.Run(ctx, []string{"--json"}, bytes.NewReader(serviceLog()), &out, &errb)
	assert.Equal(t, 2, code)
	assert.Equal(t, "lipservice: analyze: interrupted after 0 lines: context canceled\n", errb.String())
	var rep jsonReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), "the report is still written")
	assert.True(t, rep.Input.Interrupted)
}

// TestRunInterval checks --interval: the interval reported in the JSON and
// text outputs, the automatic choice with 0, and the invalid values.
func TestRunInterval(t *testing.T) {
	hdfs := filepath.Join("testdata", "hdfs_200.log")
	tests := []struct {
		name         string
		args         []string
		wantCode     int
		wantSeconds  float64
		wantAuto     bool
		wantStderr   string
		wantTextLine string
	}{
		{name: "default", wantSeconds: 1, wantTextLine: "anomalies counted per 1s (--interval; 0 chooses it from the input's rate)"},
		{name: "given", args: []string{"--interval", "10m"}, wantSeconds: 600, wantTextLine: "anomalies counted per 10m (--interval;"},
		{name: "sub-second", args: []string{"--interval", "250ms"}, wantSeconds: 0.25, wantTextLine: "anomalies counted per 250ms (--interval;"},
		// 200 lines over 4h37m51s; without the two earliest and latest,
		// 196 over 081109 204005 .. 081110 011335 (16 410 s): 2 per
		// interval needs 167 s, so 5m.
		{name: "automatic", args: []string{"--interval", "0"}, wantSeconds: 300, wantAuto: true, wantTextLine: "anomalies counted per 5m (chosen from the input's rate by --interval 0)"},
		{name: "negative", args: []string{"--interval", "-1s"}, wantCode: 2, wantStderr: "lipservice: analyze: --interval -1s: must not be negative\n"},
		{name: "not a duration", args: []string{"--interval", "10"}, wantCode: 2, wantStderr: `invalid value "10" for flag -interval`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r := run(t, nil, append(slices.Clone(test.args), "--json", hdfs)...)
			require.Equal(t, test.wantCode, r.code, r.stderr)
			if test.wantCode != 0 {
				assert.Contains(t, r.stderr, test.wantStderr)
				assert.Empty(t, r.stdout)
				return
			}
			var rep jsonReport
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			assert.InDelta(t, test.wantSeconds, rep.Input.AnomalyInterval, 1e-12)
			assert.Equal(t, test.wantAuto, rep.Input.IntervalAuto)

			r = run(t, nil, append(slices.Clone(test.args), hdfs)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "  interval  "+test.wantTextLine)
		})
	}
}

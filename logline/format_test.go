package logline_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
)

type loghubFormat struct {
	LogFile   string `json:"log_file"`
	LogFormat string `json:"log_format"`
}

// loadFormats reads testdata/formats.json, a copy of the Loghub-2k
// formats.json of ../shared/loghub2k.
func loadFormats(t testing.TB) map[string]loghubFormat {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "formats.json"))
	require.NoError(t, err)
	var fms map[string]loghubFormat
	require.NoError(t, json.Unmarshal(b, &fms))
	require.Len(t, fms, 8, "the 8 shipped Loghub systems")
	return fms
}

func readLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, sc.Err())
	return lines
}

// TestCompile_Loghub compiles the log_format of every Loghub system and
// parses sample lines (testdata/<System>.sample: lines 1-4, 1000, 1501 and
// 2000 of the 2k log), comparing the content with the Content column of the
// corrected ground truth (testdata/<System>.content).
func TestCompile_Loghub(t *testing.T) {
	for sys, fm := range loadFormats(t) {
		t.Run(sys, func(t *testing.T) {
			f, err := logline.Compile(fm.LogFormat)
			require.NoError(t, err, "Compile(%q)", fm.LogFormat)
			names := f.Names()
			assert.Contains(t, names, "Content")
			samples := readLines(t, sys+".sample")
			want := readLines(t, sys+".content")
			require.Len(t, want, len(samples))
			for i, line := range samples {
				fields, ok := f.Parse(line)
				require.True(t, ok, "line %q does not match %q", line, fm.LogFormat)
				assert.Equal(t, want[i], fields.Content, "content of %q", line)
				assert.Equal(t, names, fields.Names)
				assert.Len(t, fields.Values, len(names))
			}
		})
	}
}

func TestCompile(t *testing.T) {
	tests := []struct {
		name, format, line string
		wantOK             bool
		want               map[string]string
		wantContent        string
	}{
		{
			name:   "hdfs",
			format: "<Date> <Time> <Pid> <Level> <Component>: <Content>",
			line:   "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_1 terminating",
			wantOK: true, want: map[string]string{"Date": "081109", "Time": "203615", "Pid": "148", "Level": "INFO", "Component": "dfs.DataNode$PacketResponder"},
			wantContent: "PacketResponder 1 for block blk_1 terminating",
		},
		{
			name:   "spaces in the format match runs of whitespace",
			format: "<Level>  <Content>",
			line:   "WARN \t  disk full",
			wantOK: true, want: map[string]string{"Level": "WARN"}, wantContent: "disk full",
		},
		{
			name:   "optional group",
			format: `<Component>(\[<PID>\])?: <Content>`,
			line:   "sshd: session closed",
			wantOK: true, want: map[string]string{"Component": "sshd", "PID": ""}, wantContent: "session closed",
		},
		{
			name:   "surrounding whitespace and CR trimmed",
			format: "<Level>: <Content>",
			line:   "  INFO: ok\r",
			wantOK: true, want: map[string]string{"Level": "INFO"}, wantContent: "ok",
		},
		{
			name:   "no Content field: the whole line",
			format: "<Date> <Rest>",
			line:   "2024-01-01 something here",
			wantOK: true, want: map[string]string{"Date": "2024-01-01", "Rest": "something here"}, wantContent: "2024-01-01 something here",
		},
		{
			name:   "no match",
			format: "<Level>: <Content>",
			line:   "no colon here",
			wantOK: false,
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			f, err := logline.Compile(test.format)
			require.NoError(t, err)
			fields, ok := f.Parse(test.line)
			require.Equal(t, test.wantOK, ok)
			if !ok {
				return
			}
			assert.Equal(t, test.wantContent, fields.Content)
			for k, v := range test.want {
				assert.Equal(t, v, fields.Get(k), "field %s", k)
			}
			assert.Equal(t, "", fields.Get("NoSuchField"))
		})
	}
}

func TestCompile_Errors(t *testing.T) {
	for _, format := range []string{"", "no fields at all", "<Content> (unbalanced", "<Content> [z-a]"} {
		_, err := logline.Compile(format)
		assert.True(t, errors.Is(err, logline.ErrFormat), "Compile(%q) = %v, want ErrFormat", format, err)
	}
}

func TestFormat_NamesIsACopy(t *testing.T) {
	f, err := logline.Compile("<A> <Content>")
	require.NoError(t, err)
	n := f.Names()
	n[0] = "changed"
	assert.Equal(t, []string{"A", "Content"}, f.Names())
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, line, content, level string
		ts                         time.Time
		ok                         bool
	}{
		{"rfc3339", "2024-03-05T10:20:30.123Z INFO server started", "server started", "INFO", time.Date(2024, 3, 5, 10, 20, 30, 123e6, time.UTC), true},
		{"rfc3339 with offset", "2024-03-05T10:20:30+02:00 [WARN] disk at 91%", "disk at 91%", "WARN", time.Date(2024, 3, 5, 8, 20, 30, 0, time.UTC), true},
		{"iso without zone", "2024-03-05T10:20:30 error: boom", "boom", "ERROR", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"log4j comma fraction", "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.X: Created MRAppMaster", "Created MRAppMaster", "INFO", time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC), true},
		{"log4j thread with spaces", "2015-10-18 18:01:47,978 INFO [IPC Server handler 5 on 62270] org.apache.X: Auth ok", "Auth ok", "INFO", time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC), true},
		{"log4j thread without logger name", "2015-10-18 18:01:47,978 INFO [main] Created MRAppMaster", "[main] Created MRAppMaster", "INFO", time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC), true},
		{"python logging with component", "2015-10-18 18:01:47,978 WARNING root: low memory", "low memory", "WARN", time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC), true},
		{"syslog host and tag", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure", "authentication failure", "", time.Date(0, 6, 14, 15, 16, 1, 0, time.UTC), true},
		{"syslog single-digit day", "Jul  1 09:00:55 calvisitor kernel[0]: Thunderbolt HPD", "Thunderbolt HPD", "", time.Date(0, 7, 1, 9, 0, 55, 0, time.UTC), true},
		{"compact hdfs with pid and component", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating", "PacketResponder 1 terminating", "INFO", time.Date(2008, 11, 9, 20, 36, 15, 0, time.UTC), true},
		{"unix time, date, node, timestamp and upper-case level", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected", "instruction cache parity error corrected", "INFO", time.Unix(1117838570, 0).UTC(), true},
		{"upper-case level keeps the component", "KERNDTLB 1117838570 2005.06.03 NULL 2005-06-03-15.42.50.675872 NULL RAS APP FATAL ciod: failed to read", "ciod: failed to read", "FATAL", time.Unix(1117838570, 0).UTC(), true},
		{"unix time, date, host and syslog", "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root", "session closed for user root", "", time.Unix(1131566461, 0).UTC(), true},
		{"unix time with fraction and level", "1700000000.5 WARN disk low", "disk low", "WARN", time.Unix(1700000000, 5e8).UTC(), true},
		{"unix time alone is content", "1700000000 bytes received", "1700000000 bytes received", "", time.Time{}, false},
		{"alert label without unix time is content", "ERROR 2005.06.03 boom", "ERROR 2005.06.03 boom", "", time.Time{}, false},
		{"compact date with pipe fields", "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579", "onStandStepChanged 3579", "", time.Date(2017, 12, 23, 22, 15, 29, 606e6, time.UTC), true},
		{"pipe fields: at most two, content keeps its pipes", "20171224-0:0:0:234|Step_X|30002312|tryToReload1514044800223|3786|0|0", "tryToReload1514044800223|3786|0|0", "", time.Date(2017, 12, 24, 0, 0, 0, 234e6, time.UTC), true},
		{"pipe level field", "2024-03-05T10:20:30Z|ERROR|db|connection lost", "connection lost", "ERROR", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"pipe field with a space is content", "2024-03-05T10:20:30Z|a b|c", "a b|c", "", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"upper-case level needs upper-case tokens before it", "2024-03-05T10:20:30Z user said ERROR twice", "user said ERROR twice", "", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"upper-case level at most three tokens in", "2024-03-05T10:20:30Z A B C D INFO x", "A B C D INFO x", "", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"timestamp glued to text is no header", "2024-03-05T10:20:30Zfoo bar", "2024-03-05T10:20:30Zfoo bar", "", time.Time{}, false},
		{"ansi c is not syslog", "Wed Oct 11 14:32:52 2000 server started: ok", "server started: ok", "", time.Date(2000, 10, 11, 14, 32, 52, 0, time.UTC), true},
		{"bracketed ansi c and bracketed level", "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties", "workerEnv.init() ok /etc/httpd/conf/workers2.properties", "INFO", time.Date(2005, 12, 4, 4, 47, 44, 0, time.UTC), true},
		{"bracketed level keeps a bracketed client field", "[Sun Dec 04 04:51:18 2005] [error] [client 1.2.3.4] Directory index forbidden by rule: /var/www/html/", "[client 1.2.3.4] Directory index forbidden by rule: /var/www/html/", "ERROR", time.Date(2005, 12, 4, 4, 51, 18, 0, time.UTC), true},
		{"bracketed iso time", "[2024-01-01 10:00:00] INFO message", "message", "INFO", time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC), true},
		{"bracketed month.day time and program dash", "[10.30 16:49:06] chrome.exe - proxy.example.com:5070 open through proxy proxy.example.com:5070 HTTPS", "proxy.example.com:5070 open through proxy proxy.example.com:5070 HTTPS", "", time.Date(0, 10, 30, 16, 49, 6, 0, time.UTC), true},
		{"program of two tokens", "[10.30 17:02:09] chrome.exe *64 - clients1.google.com:443 open", "clients1.google.com:443 open", "", time.Date(0, 10, 30, 17, 2, 9, 0, time.UTC), true},
		{"program dash: at most two tokens", "[10.30 17:02:09] a b c - d", "a b c - d", "", time.Date(0, 10, 30, 17, 2, 9, 0, time.UTC), true},
		{"bracketed time glued to text is no header", "[2024-01-01 10:00:00]x y", "[2024-01-01 10:00:00]x y", "", time.Time{}, false},
		{"dash level, nested bracket, dash", "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200", "Notification time out: 3200", "INFO", time.Date(2015, 7, 29, 17, 41, 44, 747e6, time.UTC), true},
		{"level dash", "2024-03-05 10:20:30 WARN - disk low", "disk low", "WARN", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"dash without a level is content", "2024-03-05 10:20:30 - disk low", "- disk low", "", time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC), true},
		{"two-digit year with slashes", "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers", "Registered signal handlers", "INFO", time.Date(2017, 6, 9, 20, 10, 40, 0, time.UTC), true},
		{"logcat pid tid letter tag", "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs opening app wtoken", "printFreezingDisplayLogs opening app wtoken", "DEBUG", time.Date(0, 3, 17, 16, 13, 38, 811e6, time.UTC), true},
		{"logcat padded tag", "03-17 16:13:38.811  1702  2395 W chatty  : uid=1000 expire 3 lines", "uid=1000 expire 3 lines", "WARN", time.Date(0, 3, 17, 16, 13, 38, 811e6, time.UTC), true},
		{"logcat needs a priority letter", "03-17 16:13:38.811  1702  2395 X Tag: m", "2395 X Tag: m", "", time.Date(0, 3, 17, 16, 13, 38, 811e6, time.UTC), true},
		{"comma level and padded component", "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505", "Loaded Servicing Stack v6.1.7601.23505", "INFO", time.Date(2016, 9, 28, 4, 30, 30, 0, time.UTC), true},
		{"comma level, unpadded component is content", "2016-09-28 04:30:30, Error CSI failed here", "CSI failed here", "ERROR", time.Date(2016, 9, 28, 4, 30, 30, 0, time.UTC), true},
		{"comma without a level is no header", "2016-09-28 04:30:30, then more", "2016-09-28 04:30:30, then more", "", time.Time{}, false},
		{"message starting with a bracket", "[main] started in 3s", "[main] started in 3s", "", time.Time{}, false},
		{"message starting with a bracketed number", "[12] 10.30 16:49:06 x", "[12] 10.30 16:49:06 x", "", time.Time{}, false},
		{"message starting with a number", "12 apples at 10:20:30", "12 apples at 10:20:30", "", time.Time{}, false},
		{"month-day without a clock", "03-17 done", "03-17 done", "", time.Time{}, false},
		{"month out of range", "17-03 16:13:38 x", "17-03 16:13:38 x", "", time.Time{}, false},
		{"short stamp needs seconds", "03-17 16:13 x", "03-17 16:13 x", "", time.Time{}, false},
		{"no header", "just a message with 42 in it", "just a message with 42 in it", "", time.Time{}, false},
		{"no header, trimmed", "  padded message \r", "padded message", "", time.Time{}, false},
		{"date-like but invalid", "2024-13-45T99:99:99 bad", "2024-13-45T99:99:99 bad", "", time.Time{}, false},
		{"empty", "", "", "", time.Time{}, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			content, ts, level, ok := logline.Detect(test.line)
			assert.Equal(t, test.ok, ok, "ok")
			assert.Equal(t, test.content, content, "content")
			assert.Equal(t, test.level, level, "level")
			assert.True(t, test.ts.Equal(ts), "ts = %v, want %v", ts, test.ts)
		})
	}
}

// TestDetect_Allocs pins that Detect does not allocate, on the lines of
// every header shape and on lines without one.
func TestDetect_Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	for _, line := range fuzzSeeds {
		allocs := testing.AllocsPerRun(100, func() { _, _, _, _ = logline.Detect(line) })
		assert.Zero(t, allocs, "Detect(%q) allocates", line)
	}
}

// TestDetect_Loghub checks that Detect finds the header of the Loghub lines
// whose timestamp it knows and that the content it returns ends with the
// ground-truth content.
func TestDetect_Loghub(t *testing.T) {
	for _, sys := range []string{"HDFS", "Hadoop", "BGL", "Thunderbird", "Linux", "HealthApp", "OpenSSH", "Mac"} {
		t.Run(sys, func(t *testing.T) {
			samples := readLines(t, sys+".sample")
			want := readLines(t, sys+".content")
			for i, line := range samples {
				content, _, _, ok := logline.Detect(line)
				assert.True(t, ok, "no header found in %q", line)
				assert.True(t, strings.HasSuffix(content, want[i]), "Detect(%q) content %q does not end with %q", line, content, want[i])
			}
		})
	}
}

package analyze

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
)

// loghubFormats are the log_format strings of the Loghub-2k systems.
var loghubFormats = map[string]string{
	"HDFS":        `<Date> <Time> <Pid> <Level> <Component>: <Content>`,
	"Hadoop":      `<Date> <Time> <Level> \[<Process>\] <Component>: <Content>`,
	"BGL":         `<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>`,
	"Thunderbird": `<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\[<PID>\])?: <Content>`,
	"Linux":       `<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>`,
	"HealthApp":   `<Time>\|<Component>\|<Pid>\|<Content>`,
	"OpenSSH":     `<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>`,
	"Mac":         `<Month>  <Date> <Time> <User> <Component>\[<PID>\]( \(<Address>\))?: <Content>`,
}

// fastFormatCases are format/line pairs the byte matcher must get exactly
// as the regular expression does.
var fastFormatCases = []struct{ format, line string }{
	{loghubFormats["BGL"], "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"},
	{loghubFormats["BGL"], "APPREAD 1117869872 2005.06.04 R33-M1-ND 2005-06-04-00.24.32.432192 R33-M1-ND RAS APP FATAL ciod: failed to read message prefix"},
	{loghubFormats["HealthApp"], "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579"},
	{loghubFormats["HealthApp"], "20171223-22:15:29:606|Step_LSC|30002312|a|b|c"},
	{loghubFormats["HealthApp"], "no pipes here"},
	{loghubFormats["HDFS"], "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating"},
	{loghubFormats["HDFS"], "  081109   203615\t148 INFO dfs.DataNode$PacketResponder:   spaced:   out  "},
	{loghubFormats["HDFS"], "081109 203615 148 INFO no colon after the component"},
	{loghubFormats["HDFS"], "081109 203615 148 INFO a: b: c: d"},
	{loghubFormats["HDFS"], "081109 203615 148 INFO :"},
	{loghubFormats["HDFS"], "081109 203615 148 INFO x:"},
	{loghubFormats["HDFS"], "a b c d e: "},
	{loghubFormats["Hadoop"], "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster"},
	{loghubFormats["Hadoop"], "2015-10-18 18:01:47,978 INFO [IPC Server handler 13 on 62270] org.apache.X: y [z] w: v"},
	{loghubFormats["Hadoop"], "2015-10-18 18:01:47,978 INFO main] X: y"},
	{loghubFormats["OpenSSH"], "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"},
	{loghubFormats["OpenSSH"], "Dec 10 06:55:46 LabSZ sshdx[24200]: not sshd"},
	{`<A><B> <C>`, "xy z"},
	{`<A>:<B>`, "a:b:c"},
	{`pre <A> post`, "pre middle post"},
	{`pre <A> post`, "pre middle post post"},
	{`pre <A> post`, "pre  post"},
	{`pre <A> post`, "pre middle postfix"},
	{`<A>, <B>.`, "one, two, three."},
	{`<A>\t<B>`, "a\tb"},
	{`<A> <B>`, "a\u00a0b c"},
	{`<A> <B>`, "\xff\xfe \xfd"},
	{`x<>y <A>`, "x<>y z"},
	{`<<A> <B>`, "<a b"},
	{`<0>`, "0\n0"}, // found by FuzzFastFormat: . does not match a newline
}

func TestFastFormatMatchesRegexp(t *testing.T) {
	for _, test := range fastFormatCases {
		t.Run(test.format+"|"+test.line, func(t *testing.T) {
			checkFastFormat(t, test.format, test.line)
		})
	}
	// Real lines of the fixtures.
	for file, format := range map[string]string{
		"hdfs_200.log":    loghubFormats["HDFS"],
		"hadoop_61.log":   loghubFormats["Hadoop"],
		"openssh_100.log": loghubFormats["OpenSSH"],
	} {
		t.Run(file, func(t *testing.T) {
			sc := bufio.NewScanner(bytes.NewReader(readTestdata(t, file)))
			n := 0
			for sc.Scan() {
				if checkFastFormat(t, format, sc.Text()) {
					n++
				}
			}
			assert.Positive(t, n, "the fast matcher decides real lines")
		})
	}
}

func TestCompileFast(t *testing.T) {
	tests := []struct {
		name   string
		format string
		fast   bool
	}{
		{"HDFS", loghubFormats["HDFS"], true},
		{"Hadoop", loghubFormats["Hadoop"], true},
		{"BGL", loghubFormats["BGL"], true},
		{"HealthApp", loghubFormats["HealthApp"], true},
		{"OpenSSH", loghubFormats["OpenSSH"], true},
		{"optional group", loghubFormats["Linux"], false},
		{"optional group", loghubFormats["Thunderbird"], false},
		{"optional group", loghubFormats["Mac"], false},
		{"class", `<A>\s<B>`, false},
		{"dot", `<A>.<B>`, false},
		{"non-ASCII literal", `<A>：<B>`, false},
		{"trailing backslash", `<A> \`, false},
		{"no field", `just text`, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			f := compileFast(test.format)
			require.Equal(t, test.fast, f != nil)
			if f == nil {
				return
			}
			lf, err := logline.Compile(test.format)
			require.NoError(t, err)
			assert.Equal(t, lf.Names(), f.names)
		})
	}
}

// checkFastFormat checks that when the fast matcher decides a line, the
// regular expression matches it with the same fields; it reports whether
// the fast matcher decided.
func checkFastFormat(t *testing.T, format, line string) bool {
	t.Helper()
	lf, err := logline.Compile(format)
	if err != nil {
		return false
	}
	f := compileFast(format)
	if f == nil {
		return false
	}
	vals := make([]string, len(f.names))
	var tc timeCache
	content, ts, lvl, ok := f.parse(line, vals, &tc)
	want, wok := lf.Parse(line)
	if !ok {
		return false
	}
	require.True(t, wok, "the fast matcher matched %q with %q, the regexp did not (fields %q)", line, format, vals)
	require.Equal(t, want.Values, vals, "fields of %q with %q", line, format)
	assert.Equal(t, want.Content, content)
	assert.Equal(t, logline.FieldsTime(want), ts)
	assert.Equal(t, levelOf(want.Get("Level")), lvl)
	return true
}

func FuzzFastFormat(f *testing.F) {
	for _, test := range fastFormatCases {
		f.Add(test.format, test.line)
	}
	f.Fuzz(func(t *testing.T, format, line string) {
		if strings.Count(format, "<") > 12 || len(format) > 200 || len(line) > 1000 {
			return // keep the regexp cheap
		}
		checkFastFormat(t, format, line)
	})
}

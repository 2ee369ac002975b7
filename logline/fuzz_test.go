package logline_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/logline"
)

var fuzzSeeds = []string{
	"",
	"2024-03-05T10:20:30.123Z INFO server started",
	"2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.X: Created MRAppMaster",
	"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure",
	"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
	"Jul  1 09:00:55 calvisitor kernel[0]: x",
	"2024-03-05 10:20:30",
	"Jun 14 15:16:01",
	"081109 203615",
	"just a message",
	"\xff\xfe 2024-03-05T10:20:30Z",
	"- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
	"- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root",
	"20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
	"1700000000 bytes",
	"KERNDTLB 1117838570 INFO",
	"2024-03-05T10:20:30Z|a|b|",
	"error: lower-case level word",
	"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok",
	"[10.30 16:49:06] chrome.exe *64 - proxy.example.com:5070 open",
	"2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
	"17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers",
	"03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
	"2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack",
	"[2024-01-01 10:00:00]",
	"[main] started",
}

// FuzzDetect checks that Detect never panics, that the content is a
// substring of the trimmed line, and that a line without a header is
// returned whole.
func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{
		"I0507 12:04:17.512345       1 controller.go:123] Starting",
		`127.0.0.1 - frank [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.0" 200 2326`,
		"4961:M 30 May 2018 12:34:56.789 * Background saving started",
		"[2018-05-30T12:34:56,939][INFO ][o.e.n.Node] [node-1] started",
		"E, [2018-05-30T12:34:56.789012 #1234] ERROR -- app: failed",
		"2018-05-30 12:34:56.789 UTC [1234] LOG:  ready",
		"[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1] msg",
		"\tat com.example.App.run(App.java:12)",
		"goroutine 1 [running]:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		_ = logline.Continues(line) // must not panic
		content, ts, level, ok := logline.Detect(line)
		trimmed := strings.TrimSpace(line)
		if !strings.Contains(trimmed, content) {
			t.Errorf("Detect(%q) content %q is not part of the line", line, content)
		}
		if !ok && (content != trimmed || !ts.IsZero() || level != "") {
			t.Errorf("Detect(%q) found no header but returned %q, %v, %q", line, content, ts, level)
		}
		if ok && len(content) >= len(trimmed) {
			t.Errorf("Detect(%q) found a header but returned the whole line", line)
		}
	})
}

// FuzzParse checks that Parse with each Loghub format never panics, that
// the values are substrings of the line, and that the content of a format
// with <Content> is one of its values.
func FuzzParse(f *testing.F) {
	fms := loadFormats(f)
	var formats []*logline.Format
	for sys, fm := range fms {
		lf, err := logline.Compile(fm.LogFormat)
		if err != nil {
			f.Fatal(err)
		}
		formats = append(formats, lf)
		for _, l := range readLines(f, sys+".sample") {
			f.Add(l)
		}
	}
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, lf := range formats {
			fields, ok := lf.Parse(line)
			if !ok {
				continue
			}
			for i, v := range fields.Values {
				if !strings.Contains(line, v) {
					t.Errorf("Parse(%q): %s = %q is not part of the line", line, fields.Names[i], v)
				}
			}
			if fields.Content != fields.Get("Content") {
				t.Errorf("Parse(%q): Content %q != field %q", line, fields.Content, fields.Get("Content"))
			}
			if ts := logline.FieldsTime(fields); !ts.IsZero() && ts.Location() != time.UTC {
				t.Errorf("Parse(%q): FieldsTime %v is not UTC", line, ts)
			}
		}
	})
}

// FuzzParseTime checks that ParseTime and the field rules never panic, that
// a time they return is UTC, and that a time ParseTime returns reads back
// the same from its RFC 3339 form.
func FuzzParseTime(f *testing.F) {
	for _, test := range fieldsTimeTests {
		for _, v := range test.fields.Values {
			f.Add(v, "Time")
		}
	}
	for _, s := range fuzzSeeds {
		f.Add(s, "Timestamp")
	}
	f.Add("Dec", "Date")
	f.Add("10", "Day")
	f.Fuzz(func(t *testing.T, s, name string) {
		ts, ok := logline.ParseTime(s)
		if !ok && !ts.IsZero() {
			t.Errorf("ParseTime(%q) = %v, %v", s, ts, ok)
		}
		if ok {
			if ts.Location() != time.UTC {
				t.Errorf("ParseTime(%q) = %v, not UTC", s, ts)
			}
			if y := ts.Year(); y >= 0 && y <= 9999 {
				back, ok2 := logline.ParseTime(ts.Format(time.RFC3339Nano))
				if !ok2 || !back.Equal(ts) {
					t.Errorf("ParseTime(%q) = %v; its RFC 3339 form reads back as %v, %v", s, ts, back, ok2)
				}
			}
		}
		for _, names := range [][]string{
			{name},
			{"Month", name, "Time"},
			{name, "Day", "Time"},
			{"Date", "Time", name},
		} {
			values := make([]string, len(names))
			for i, n := range names {
				switch n {
				case name:
					values[i] = s
				case "Month":
					values[i] = "Dec"
				case "Day":
					values[i] = "10"
				case "Time":
					values[i] = "06:55:46"
				case "Date":
					values[i] = "2017-12-10"
				}
			}
			if got := logline.FieldsTime(logline.Fields{Names: names, Values: values}); !got.IsZero() && got.Location() != time.UTC {
				t.Errorf("FieldsTime(%q = %q) = %v, not UTC", names, values, got)
			}
		}
	})
}

// FuzzParser checks that Parse never panics, returns valid UTF-8 messages
// for valid UTF-8 input, and gives a record only for JSON and logfmt.
func FuzzParser(f *testing.F) {
	for _, l := range structuredBenchLines {
		f.Add(l)
	}
	for _, l := range []string{`{}`, `{"a":{"b":{"c":1}}}`, `a=1 b="x\"y"`, `{"msg":"\ud83d\ude00\u00e9"}`, `{"msg":"x`, `a=1 b="`} {
		f.Add(l)
	}
	p := logline.NewParser(logline.Keys{Values: []string{"status"}})
	f.Fuzz(func(t *testing.T, line string) {
		var sc logline.Scratch
		r, kind := p.Parse(line, &sc)
		if kind != logline.JSON && kind != logline.Logfmt && (r.Message != "" || r.Sig != 0) {
			t.Fatalf("record for a %v line: %+v", kind, r)
		}
		if utf8.ValidString(line) && !utf8.ValidString(r.Message) && !strings.Contains(line, `\`) {
			t.Fatalf("invalid UTF-8 message %q from %q", r.Message, line)
		}
		if len(r.Keys) > logline.MaxAttrs {
			t.Fatalf("%d keys", len(r.Keys))
		}
	})
}

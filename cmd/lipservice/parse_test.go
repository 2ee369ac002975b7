package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const hdfsFormat = `<Date> <Time> <Pid> <Level> <Component>: <Content>`
	tests := []struct {
		name     string
		args     []string
		stdin    string
		golden   string
		wantCode int
		wantErr  string
	}{
		{name: "parse with format", args: []string{"parse", "--format", hdfsFormat, "testdata/hdfs_40.log"}, golden: "parse_hdfs_40.golden"},
		{name: "parse detects header", args: []string{"parse", "testdata/hdfs_40.log"}, golden: "parse_hdfs_40.golden"},
		{name: "parse stdin", args: []string{"parse", "-"}, stdin: "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating\n", golden: "parse_stdin.golden"},
		{name: "parse unmatched lines", args: []string{"parse", "--format", "<Level>: <Content>"}, stdin: "no colon here\nINFO: took 5 ms\n", golden: "parse_unmatched.golden", wantErr: "1 lines did not match"},
		{name: "parse bad format", args: []string{"parse", "--format", "no fields"}, wantCode: 2, wantErr: "lipservice: parse: logline: invalid log format"},
		{name: "parse missing file", args: []string{"parse", "testdata/does-not-exist.log"}, wantCode: 2, wantErr: "lipservice: parse: open testdata/does-not-exist.log"},
		{name: "parse help", args: []string{"parse", "-h"}, wantCode: 0, wantErr: "usage: lipservice parse"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), test.args, strings.NewReader(test.stdin), &stdout, &stderr)
			if code != test.wantCode {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, test.wantCode, stderr.String())
			}
			if test.wantErr == "" && stderr.Len() > 0 {
				t.Errorf("unexpected stderr: %s", stderr.String())
			}
			if !strings.Contains(stderr.String(), test.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), test.wantErr)
			}
			if test.golden != "" {
				checkGolden(t, test.golden, stdout.Bytes())
			}
		})
	}
}

func TestParseLabelsEveryLineInOrder(t *testing.T) {
	in := "user alice logged in\nuser bob logged in\nuser carol logged in\ndisk full on /dev/sda1\n"
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"parse"}, strings.NewReader(in), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	want := []string{
		"LineId,EventId,EventTemplate",
		"1,", "2,", "3,", "4,",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("row %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	for i := 1; i <= 3; i++ {
		if !strings.HasSuffix(lines[i], ",user <*> logged in") {
			t.Errorf("row %d = %q, want the merged template (three users make the position a variable)", i, lines[i])
		}
	}
	if !strings.HasSuffix(lines[4], ",disk full on <*>") {
		t.Errorf("row 4 = %q", lines[4])
	}
}

// TestParseStructured: of a JSON or logfmt line, parse mines the message
// field; a line without one (Zeek's JSON logs, JSON access logs) is mined
// whole, by its members, instead of giving every line the empty template.
func TestParseStructured(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // the template of each row, in order
	}{
		{
			name: "JSON with a message field",
			in: `{"time":"2024-05-07T10:04:17Z","level":"info","msg":"user alice logged in","pid":17}
{"time":"2024-05-07T10:04:18Z","level":"info","msg":"user bob logged in","pid":17}
{"time":"2024-05-07T10:04:19Z","level":"info","msg":"user carol logged in","pid":18}
`,
			want: []string{"user <*> logged in", "user <*> logged in", "user <*> logged in"},
		},
		{
			name: "JSON without a message field",
			in: `{"ts":1701942307.123,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"10.0.0.5","proto":"udp","query":"example.com","rcode_name":"NOERROR"}
{"ts":1701942308.5,"uid":"C4J4Th3PJpwUYZZ6gc","id.orig_h":"10.0.0.6","proto":"udp","query":"golang.org","rcode_name":"NOERROR"}
{"ts":1701942309.25,"uid":"CmES5u32sYpV7JYN","id.orig_h":"10.0.0.7","proto":"udp","query":"go.dev","rcode_name":"NXDOMAIN"}
`,
			want: []string{
				`{"ts":<*>,"uid":"<*>","id.orig_h":"<*>","proto":"udp","query":"<*>","rcode_name":"<*>"}`,
				`{"ts":<*>,"uid":"<*>","id.orig_h":"<*>","proto":"udp","query":"<*>","rcode_name":"<*>"}`,
				`{"ts":<*>,"uid":"<*>","id.orig_h":"<*>","proto":"udp","query":"<*>","rcode_name":"<*>"}`,
			},
		},
		{
			name: "logfmt without a message field",
			in: `time=2024-05-07T10:04:17Z level=info method=GET path=/orders/1 status=200
time=2024-05-07T10:04:18Z level=info method=GET path=/orders/2 status=200
`,
			want: []string{"time=<*> level=info method=GET path=/orders/<*> status=200", "time=<*> level=info method=GET path=/orders/<*> status=200"},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"parse"}, strings.NewReader(test.in), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			r := csv.NewReader(&stdout)
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(test.want)+1 {
				t.Fatalf("got %d rows, want %d: %q", len(rows), len(test.want)+1, rows)
			}
			for i, w := range test.want {
				if got := rows[i+1][2]; got != w {
					t.Errorf("row %d template = %q, want %q", i+1, got, w)
				}
			}
		})
	}
}

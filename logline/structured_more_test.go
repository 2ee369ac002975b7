package logline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestParser_Kinds(t *testing.T) {
	tests := []struct {
		name, line string
		want       logline.Kind
	}{
		{"json", `{"msg":"x","a":1}`, logline.JSON},
		{"json empty", `{}`, logline.JSON},
		{"json nested arrays", `{"msg":"x","a":[1,{"b":[2]}],"c":null,"d":true}`, logline.JSON},
		{"logfmt", `level=info msg="a b" k=v`, logline.Logfmt},
		{"logfmt empty value", `a= b=1`, logline.Logfmt},
		{"plain", `2024-05-07 12:00:00 INFO started`, logline.Plain},
		{"plain with one pair", `status=ok`, logline.Plain},
		{"plain starting with a pair", `user=bob logged in`, logline.Plain},
		{"plain brace text", `{not json`, logline.Malformed},
		{"json unterminated string", `{"msg":"x`, logline.Malformed},
		{"json trailing text", `{"msg":"x"} tail`, logline.Malformed},
		{"json missing colon", `{"msg" "x"}`, logline.Malformed},
		{"json truncated", `{"msg":"x","a":`, logline.Malformed},
		{"logfmt unterminated quote", `level=info ts=1 msg="cut`, logline.Malformed},
		{"logfmt bare word later", `level=info ts=1 oops`, logline.Malformed},
		{"blank", `   `, logline.Plain},
	}
	p := logline.NewParser(logline.Keys{})
	var sc logline.Scratch
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r, kind := p.Parse(test.line, &sc)
			assert.Equal(t, test.want, kind, "kind of %q", test.line)
			if kind == logline.Plain || kind == logline.Malformed {
				assert.Zero(t, r.Sig, "a plain or malformed line has no structured record")
			}
		})
	}
}

func TestParser_Overrides(t *testing.T) {
	line := `{"ts":"2024-05-07T10:04:17Z","when":"2021-01-02T03:04:05Z","level":"info","sev":"error","msg":"m","text":"the message"}`
	p := logline.NewParser(logline.Keys{Message: "text", Time: "when", Level: "SEV"})
	var sc logline.Scratch
	r, kind := p.Parse(line, &sc)
	require.Equal(t, logline.JSON, kind)
	assert.Equal(t, "the message", r.Message)
	assert.Equal(t, "2021-01-02T03:04:05Z", r.Time.Format("2006-01-02T15:04:05Z07:00"))
	assert.Equal(t, "ERROR", r.Level)
	// The default names are attributes now.
	assert.ElementsMatch(t, []string{"ts", "level", "msg"}, r.Keys)
}

func TestParser_ValueKeys(t *testing.T) {
	lines := []string{
		`{"msg":"","method":"GET","status":200,"path":"/a"}`,
		`{"msg":"","method":"GET","status":500,"path":"/b"}`,
		`{"status":200,"path":"/c","msg":"","method":"GET"}`,
	}
	var sc logline.Scratch
	plain := logline.NewParser(logline.Keys{})
	var sigs []signature.Sig
	for _, l := range lines {
		r, _ := plain.Parse(l, &sc)
		sigs = append(sigs, r.Sig)
	}
	assert.Equal(t, sigs[0], sigs[1], "values do not enter the pattern by default")
	assert.Equal(t, sigs[0], sigs[2])

	p := logline.NewParser(logline.Keys{Values: []string{"status", "method"}})
	sigs = sigs[:0]
	for _, l := range lines {
		r, _ := p.Parse(l, &sc)
		sigs = append(sigs, r.Sig)
	}
	assert.NotEqual(t, sigs[0], sigs[1], "status 200 and 500 are different patterns")
	assert.Equal(t, sigs[0], sigs[2], "key order still does not matter")
	r, _ := p.Parse(lines[1], &sc)
	assert.Equal(t, []string{"method=GET", "status=500", "path"}, r.Keys)
	// The ID is the sampler's fold over the keys as given.
	want := signature.WithKey(signature.WithKey(signature.WithKey(signature.Of(""), "method=GET"), "status=500"), "path")
	assert.Equal(t, want, r.Sig)
}

func TestParser_Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	p := logline.NewParser(logline.Keys{Values: []string{"status"}})
	var sc logline.Scratch
	for _, line := range structuredBenchLines {
		allocs := testing.AllocsPerRun(100, func() {
			sc.Reset()
			_, _ = p.Parse(line, &sc)
		})
		assert.Zero(t, allocs, "Parse allocates on %s", line)
	}
}

// structuredBenchLines are realistic structured lines of several loggers.
var structuredBenchLines = []string{
	`{"time":"2024-05-07T12:04:17.512345678+02:00","level":"INFO","msg":"request served","method":"GET","path":"/api/v1/users/1234","status":200,"duration_ms":12.5,"req":{"id":"6f1c2a9e-0b7d-4e55-9a1f-2c3d4e5f6a7b","remote":"10.1.2.3:51234"}}`,
	`{"level":"error","ts":1715083457.123456,"caller":"server/handler.go:42","msg":"upstream \"billing\" failed","error":"dial tcp 10.0.0.7:443: i/o timeout","attempt":3,"stacktrace":"main.main\n\t/app/main.go:12"}`,
	`{"name":"api","hostname":"web-1","pid":4012,"level":30,"msg":"request completed","time":"2024-05-07T10:04:17.512Z","v":0,"req_id":"a1b2c3","res":{"statusCode":200},"responseTime":4}`,
	`time=2024-05-07T12:04:17.512+02:00 level=WARN msg="disk almost full" path=/var/lib/data pct=91 host=node-17`,
	`ts=2024-05-07T10:04:17.512Z caller=notifier.go:527 level=warn component=notifier alertmanager=http://am:9093/api/v2/alerts count=3 msg="Error sending alert" err="context deadline exceeded"`,
}

// Wrapped lines: a container runtime's prefix or Docker's json-file
// around the application's own line.
func TestParser_Wrapped(t *testing.T) {
	tests := []struct {
		name, line           string
		kind                 logline.Kind
		time, level, message string
		keys                 []string
	}{
		{"CRI around JSON", `2024-05-07T10:04:17.512345678Z stdout F {"time":"2024-05-07T10:04:17.5Z","level":"WARN","msg":"slow","ms":900}`,
			logline.JSON, "2024-05-07T10:04:17.5Z", "WARN", "slow", []string{"ms"}},
		{"CRI around logfmt without time", `2024-05-07T10:04:17.512Z stderr F level=error msg="boom" k=v`,
			logline.Logfmt, "2024-05-07T10:04:17.512Z", "ERROR", "boom", []string{"k"}},
		{"Docker around JSON", `{"log":"{\"level\":\"info\",\"msg\":\"ready\",\"port\":80}\n","stream":"stdout","time":"2024-05-07T10:04:17.5Z"}`,
			logline.JSON, "2024-05-07T10:04:17.5Z", "INFO", "ready", []string{"port"}},
		{"Docker around text stays the wrapper", `{"log":"plain words here\n","stream":"stdout","time":"2024-05-07T10:04:17.5Z"}`,
			logline.JSON, "2024-05-07T10:04:17.5Z", "", "plain words here", []string{"stream"}},
	}
	p := logline.NewParser(logline.Keys{})
	var sc logline.Scratch
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r, kind := p.Parse(test.line, &sc)
			require.Equal(t, test.kind, kind)
			assert.Equal(t, test.time, r.Time.Format("2006-01-02T15:04:05.999999999Z07:00"))
			assert.Equal(t, test.level, r.Level)
			assert.Equal(t, test.message, r.Message)
			assert.Equal(t, test.keys, r.Keys)
		})
	}
	// A CRI line around a plain line goes to Detect.
	_, kind := p.Parse("2024-05-07T10:04:17.5Z stdout F 2024-05-07 10:04:17,400 ERROR [main] App - boom", &sc)
	require.Equal(t, logline.Plain, kind)
	content, ts, level, ok := logline.Detect("2024-05-07T10:04:17.5Z stdout F 2024-05-07 10:04:17,400 ERROR [main] App - boom")
	assert.True(t, ok)
	assert.Equal(t, "2024-05-07T10:04:17.5Z", ts.Format("2006-01-02T15:04:05.999999999Z07:00"))
	assert.Equal(t, "ERROR", level)
	innerContent, _, _, _ := logline.Detect("2024-05-07 10:04:17,400 ERROR [main] App - boom")
	assert.Equal(t, innerContent, content, "the content is the inner line's, as Detect reads it alone")
	assert.NotContains(t, content, "stdout")
}

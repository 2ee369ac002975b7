package analyze_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inputSummary struct {
	Input struct {
		Lines             uint64 `json:"lines"`
		TimedLines        uint64 `json:"timed_lines"`
		StructuredLines   uint64 `json:"structured_lines"`
		MalformedLines    uint64 `json:"malformed_lines"`
		ContinuationLines uint64 `json:"continuation_lines"`
		Signatures        int    `json:"signatures"`
	} `json:"input"`
}

func analyzeJSON(t *testing.T, in string, args ...string) inputSummary {
	t.Helper()
	r := run(t, strings.NewReader(in), append([]string{"--json", "--quiet"}, args...)...)
	require.Equal(t, 0, r.code, r.stderr)
	var s inputSummary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	return s
}

// JSON and logfmt lines: times read from the fields, one pattern per event
// whatever the key order, malformed lines counted and read as text.
func TestRunStructured(t *testing.T) {
	var b strings.Builder
	orders := []string{
		`{"time":"2026-03-14T10:00:%02dZ","level":"INFO","msg":"request served","method":"GET","status":200}`,
		`{"status":200,"msg":"request served","method":"GET","level":"INFO","time":"2026-03-14T10:00:%02dZ"}`,
		`{"method":"GET","time":"2026-03-14T10:00:%02dZ","status":200,"level":"INFO","msg":"request served"}`,
		`time=2026-03-14T10:00:%02dZ level=ERROR msg="query failed" table=orders`,
		`level=ERROR table=orders msg="query failed" time=2026-03-14T10:00:%02dZ`,
	}
	for i := range 50 {
		f := orders[i%len(orders)]
		b.WriteString(strings.Replace(f, "%02d", pad2(i), 1) + "\n")
	}
	b.WriteString(`{"time":"2026-03-14T10:01:00Z","msg":"cut` + "\n")
	s := analyzeJSON(t, b.String())
	assert.EqualValues(t, 51, s.Input.Lines)
	assert.EqualValues(t, 50, s.Input.StructuredLines)
	assert.EqualValues(t, 1, s.Input.MalformedLines)
	assert.EqualValues(t, 50, s.Input.TimedLines, "times read from the fields; the malformed line has no header")
	assert.Equal(t, 3, s.Input.Signatures, "two events in any key order, and the malformed line")

	s = analyzeJSON(t, b.String(), "--value-keys", "status")
	assert.Equal(t, 3, s.Input.Signatures, "a single status value splits nothing")
}

func pad2(i int) string {
	if i < 10 {
		return "0" + strconv.Itoa(i)
	}
	return strconv.Itoa(i)
}

// Continuation lines (a Java trace) join the record above: one record, one
// pattern; with --join=false every line is a record.
func TestRunJoin(t *testing.T) {
	var b strings.Builder
	for i := range 20 {
		s := pad2(i)
		b.WriteString("2026-03-14 10:00:" + s + ",000 ERROR [main] com.example.App - request " + strconv.Itoa(i) + " failed\n")
		b.WriteString("java.lang.IllegalStateException: pool exhausted after " + strconv.Itoa(i) + " ms\n")
		b.WriteString("\tat com.example.db.Pool.acquire(Pool.java:" + strconv.Itoa(100+i) + ")\n")
		b.WriteString("\tat com.example.App.handle(App.java:57)\n")
		b.WriteString("Caused by: java.net.SocketTimeoutException: connect timed out\n")
		b.WriteString("\t... 3 more\n")
		b.WriteString("2026-03-14 10:00:" + s + ",500 INFO [main] com.example.App - retrying\n")
	}
	s := analyzeJSON(t, b.String())
	assert.EqualValues(t, 140, s.Input.Lines)
	assert.EqualValues(t, 100, s.Input.ContinuationLines)
	assert.EqualValues(t, 40, s.Input.TimedLines)
	assert.Equal(t, 2, s.Input.Signatures, "the failure and the retry")

	s = analyzeJSON(t, b.String(), "--join=false")
	assert.EqualValues(t, 0, s.Input.ContinuationLines)
	assert.Greater(t, s.Input.Signatures, 2, "without joining, trace lines are patterns of their own")
}

// A JSON/logfmt line's pattern is its message's plus its attribute keys
// (and --value-keys values), as in lipservice sample: one message with two
// key sets is two patterns, and a text line with the same message a third.
func TestRunStructured_patternKeys(t *testing.T) {
	in := strings.Join([]string{
		`{"msg":"request served","method":"GET","status":200}`,
		`{"status":500,"msg":"request served","method":"POST"}`,
		`{"msg":"request served","method":"GET","status":200}`,
		`msg="request served" user=bob`,
		`{"msg":"request served","user":"alice"}`,
		`request served`,
	}, "\n") + "\n"
	for _, test := range []struct {
		name string
		args []string
		want []uint64 // line counts of the patterns, decreasing
	}{
		{"keys", nil, []uint64{3, 2, 1}},
		{"value keys", []string{"--value-keys", "status"}, []uint64{2, 2, 1, 1}},
	} {
		t.Run(test.name, func(t *testing.T) {
			r := run(t, strings.NewReader(in), append([]string{"--json", "--quiet", "--top", "0"}, test.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			var rep struct {
				Patterns []struct {
					Template string `json:"template"`
					Count    uint64 `json:"count"`
				} `json:"patterns"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			var got []uint64
			for _, p := range rep.Patterns {
				assert.Equal(t, "request served", p.Template, "every pattern is the message's template")
				got = append(got, p.Count)
			}
			assert.Equal(t, test.want, got, "line counts of the patterns")
		})
	}
}

package logline_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
)

// multilineLine is one line of a hand-labelled multi-line corpus.
type multilineLine struct {
	record      bool // starts a record
	time, level string
	text        string
}

func readMultiline(t *testing.T, name string) []multilineLine {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	var out []multilineLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "C|"):
			out = append(out, multilineLine{text: l[2:]})
		case strings.HasPrefix(l, "R|"):
			p := strings.SplitN(l[2:], "|", 3)
			require.Len(t, p, 3, l)
			out = append(out, multilineLine{record: true, time: p[0], level: p[1], text: p[2]})
		default:
			t.Fatalf("bad corpus line %q", l)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// TestJoiner_Corpus reads hand-labelled records of common server header
// families with Java, Go, Python and Ruby traces: the time and level of
// every record, and which lines continue the record above.
func TestJoiner_Corpus(t *testing.T) {
	for _, name := range []string{"multiline_tune.txt", "multiline_holdout.txt"} {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat("testdata/" + name); err != nil {
				t.Skipf("no %s", name)
			}
			lines := readMultiline(t, name)
			p := logline.NewParser(logline.Keys{})
			var sc logline.Scratch
			var j logline.Joiner
			records, okTime, okLevel, conts, joined, falseJoins := 0, 0, 0, 0, 0, 0
			for _, l := range lines {
				var ts time.Time
				var level string
				header := false
				if r, kind := p.Parse(l.text, &sc); kind == logline.JSON || kind == logline.Logfmt {
					ts, level, header = r.Time, r.Level, true
				} else {
					_, ts, level, header = logline.Detect(l.text)
				}
				join := j.Next(len(l.text)+1, header, !header && logline.Continues(l.text))
				if !l.record {
					conts++
					if assert.True(t, join, "not joined: %s", l.text) {
						joined++
					}
					continue
				}
				records++
				if !assert.False(t, join, "a record start joined the one above: %s", l.text) {
					falseJoins++
				}
				got := "-"
				if !ts.IsZero() {
					got = ts.Format("2006-01-02T15:04:05.999999999Z07:00")
					if ts.Year() == 0 {
						got = "0000" + got[4:]
					}
				}
				if assert.Equal(t, l.time, got, "time of %s", l.text) {
					okTime++
				}
				if assert.Equal(t, l.level, level, "level of %s", l.text) {
					okLevel++
				}
			}
			t.Logf("%s: %d records: time %d, level %d correct, %d wrongly joined; %d continuation lines, %d joined",
				name, records, okTime, okLevel, falseJoins, conts, joined)
			assert.GreaterOrEqual(t, float64(okTime), 0.99*float64(records))
			assert.GreaterOrEqual(t, float64(okLevel), 0.99*float64(records))
			assert.GreaterOrEqual(t, float64(joined), 0.99*float64(conts))
		})
	}
}

func TestContinues(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"\tat com.example.App.run(App.java:12)", true},
		{"    at x", true},
		{"at com.example.App.run(App.java:12)", true},
		{"Caused by: java.io.IOException: boom", true},
		{"... 12 more", true},
		{"Traceback (most recent call last):", true},
		{"goroutine 7 [chan receive]:", true},
		{"main.main()", true},
		{"net/http.(*conn).serve(0xc000120000, {0x7a1e08, 0xc0000e0000})", true},
		{"java.lang.NullPointerException", true},
		{"ValueError: bad value", true},
		{"/app/a.rb:3:in `x': boom (RuntimeError)", true},
		{"", false},
		{"   ", false},
		{"Error: file not found", false},
		{"server started on port 8080", false},
		{"goroutine leak detected", false},
		{"user logged in (session 7)", false},
		{"exit status 2", false},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, logline.Continues(test.line), "Continues(%q)", test.line)
	}
}

// The joiner cuts a record at its line cap.
func TestJoiner_Cap(t *testing.T) {
	var j logline.Joiner
	require.False(t, j.Next(10, true, false))
	n := 1
	for j.Next(10, false, true) {
		n++
	}
	assert.Equal(t, logline.MaxRecordLines, n, "lines in the capped record")
	assert.True(t, j.Next(10, false, true), "the line after the cut starts a new record that the next line joins")
	var k logline.Joiner
	assert.False(t, k.Next(10, false, true), "a first line has no record to join")
}

func TestDetectFamilies_Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	for _, l := range readMultiline(t, "multiline_tune.txt") {
		allocs := testing.AllocsPerRun(20, func() {
			if _, _, _, ok := logline.Detect(l.text); !ok {
				logline.Continues(l.text)
			}
		})
		assert.Zero(t, allocs, "Detect/Continues allocate on %s", l.text)
	}
}

package analyze_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/analyze"
	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// update rewrites the golden files: go test ./analyze -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func TestMain(m *testing.M) {
	leaktest.VerifyTestMain(m)
}

// result is the outcome of one Run.
type result struct {
	code           int
	stdout, stderr string
}

// run calls analyze.Run with in-memory streams.
func run(t testing.TB, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := analyze.Run(context.Background(), args, stdin, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analyze -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// Times of the generated service log.
var (
	genStart = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	// spikeAt is when the request pattern jumps 20×, for spikeSeconds.
	spikeAt      = genStart.Add(300 * time.Second)
	spikeSeconds = 20
	// surgeAt is when the database errors start, for surgeSeconds.
	surgeAt      = genStart.Add(450 * time.Second)
	surgeSeconds = 10
)

// serviceLog generates ten minutes of a service's log, deterministically:
// 5 requests per second and a cache line every second, with a 20× request
// spike at spikeAt and a burst of 20 database errors per second (a pattern
// never seen before) at surgeAt.
func serviceLog() []byte {
	var b bytes.Buffer
	id := 1000
	line := func(t time.Time, level, msg string) {
		b.WriteString(t.Format("2006-01-02T15:04:05.000Z07:00"))
		b.WriteString(" " + level + " " + msg + "\n")
	}
	for s := range 600 {
		sec := genStart.Add(time.Duration(s) * time.Second)
		n := 5
		if d := sec.Sub(spikeAt); d >= 0 && d < time.Duration(spikeSeconds)*time.Second {
			n *= 20
		}
		for i := range n {
			id++
			t := sec.Add(time.Duration(i) * time.Second / time.Duration(n))
			line(t, "INFO", "GET /api/items/"+strconv.Itoa(id)+" 200 in "+strconv.Itoa(3+id%17)+"ms")
		}
		line(sec.Add(500*time.Millisecond), "DEBUG", "cache stats hits="+strconv.Itoa(900+s%50)+" misses="+strconv.Itoa(s%7))
		if d := sec.Sub(surgeAt); d >= 0 && d < time.Duration(surgeSeconds)*time.Second {
			for i := range 20 {
				t := sec.Add(time.Duration(i) * 50 * time.Millisecond)
				line(t, "ERROR", "payment "+strconv.Itoa(id+i)+" failed: dial tcp 10.0.3.7:5432: connect: connection refused")
			}
		}
	}
	return b.Bytes()
}

package anomaly_test

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// loghubDir is the shared Loghub-2k corpus, outside the repository.
const loghubDir = "../../shared/loghub2k"

// loghubLine is one parsed line: epoch seconds, level and message content.
type loghubLine struct {
	t     time.Time
	level slog.Level
	msg   string
}

func readLoghub(t *testing.T, system string, parse func(fields []string) (loghubLine, bool)) []loghubLine {
	t.Helper()
	path := filepath.Join(loghubDir, system, system+"_2k.log")
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("Loghub data not found at %s (shared corpus absent)", path)
	}
	require.NoError(t, err)
	defer f.Close()
	var out []loghubLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l, ok := parse(strings.Fields(sc.Text())); ok {
			out = append(out, l)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func epoch(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return time.Unix(n, 0).UTC(), err == nil
}

// replay runs lines through a detector and returns the delivered events.
func replay(t *testing.T, lines []loghubLine, opts ...anomaly.Option) *collector {
	t.Helper()
	var c collector
	d, err := anomaly.New(append(opts, anomaly.WithCallback(c.add))...)
	require.NoError(t, err)
	for _, l := range lines {
		d.Observe(signature.Of(l.msg), l.msg, l.level, l.t)
	}
	d.Advance(lines[len(lines)-1].t.Add(time.Hour * 24))
	require.NoError(t, d.Shutdown(t.Context()))
	return &c
}

func logEvents(t *testing.T, c *collector, limit int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-12s %-8s %-20s %-20s %8s %8s  %s\n", "type", "severity", "start", "detected", "value", "base", "template")
	counts := map[anomaly.Type]int{}
	for _, e := range c.opened {
		counts[e.Type]++
		if counts[e.Type] > limit {
			continue
		}
		tmpl := e.Template
		if len(tmpl) > 60 {
			tmpl = tmpl[:60] + "…"
		}
		fmt.Fprintf(&b, "%-12s %-8s %-20s %-20s %8.0f %8.2f  %s\n", e.Type, e.Severity,
			e.Start.Format("01-02 15:04:05"), e.Detected.Format("01-02 15:04:05"), e.Value, e.Baseline, tmpl)
	}
	fmt.Fprintf(&b, "totals (first %d of each type listed):", limit)
	for _, typ := range []anomaly.Type{anomaly.RateSpike, anomaly.ErrorSurge, anomaly.NewPattern, anomaly.Disappeared} {
		fmt.Fprintf(&b, " %s=%d", typ, counts[typ])
	}
	t.Log(b.String())
}

// TestLoghub_BGL replays BGL_2k (Blue Gene/L RAS log: field 2 is a Unix
// epoch, field 9 the level). The sample spans seven months, so intervals
// are one hour. Property asserted: the FATAL burst of 2005-06-14 (128 of the
// file's 347 FATAL lines in one day, against a baseline near zero) is
// reported as an error surge that starts that day.
func TestLoghub_BGL(t *testing.T) {
	levels := map[string]slog.Level{"INFO": slog.LevelInfo, "WARNING": slog.LevelWarn,
		"ERROR": slog.LevelError, "SEVERE": slog.LevelError, "FATAL": slog.LevelError + 4, "FAILURE": slog.LevelError + 4}
	lines := readLoghub(t, "BGL", func(f []string) (loghubLine, bool) {
		if len(f) < 10 {
			return loghubLine{}, false
		}
		ts, ok := epoch(f[1])
		return loghubLine{t: ts, level: levels[f[8]], msg: strings.Join(f[9:], " ")}, ok
	})
	c := replay(t, lines, anomaly.WithInterval(time.Hour))
	logEvents(t, c, 25)
	burst := time.Date(2005, 6, 14, 0, 0, 0, 0, time.UTC)
	found := false
	for _, e := range c.opened {
		if e.Type == anomaly.ErrorSurge && !e.Start.Before(burst) && e.Start.Before(burst.Add(24*time.Hour)) {
			found = true
		}
	}
	assert.True(t, found, "the 2005-06-14 FATAL burst is flagged as an error surge")
}

// TestLoghub_Thunderbird replays Thunderbird_2k (field 2 is a Unix epoch;
// there is no level field, so lines mentioning error/fail are ERROR and
// warning ones WARN). The 2 000 lines span 871 s, so intervals are 1 s.
// Property asserted: the node boot at 1131567043 (180 lines in one second,
// ~80× the average, almost all kernel messages never seen before) opens
// events in that second.
func TestLoghub_Thunderbird(t *testing.T) {
	lines := readLoghub(t, "Thunderbird", func(f []string) (loghubLine, bool) {
		if len(f) < 9 {
			return loghubLine{}, false
		}
		ts, ok := epoch(f[1])
		msg := strings.Join(f[8:], " ")
		lvl := slog.LevelInfo
		switch low := strings.ToLower(msg); {
		case strings.Contains(low, "error") || strings.Contains(low, "fail"):
			lvl = slog.LevelError
		case strings.Contains(low, "warn"):
			lvl = slog.LevelWarn
		}
		return loghubLine{t: ts, level: lvl, msg: msg}, ok
	})
	c := replay(t, lines)
	logEvents(t, c, 15)
	boot := time.Unix(1131567043, 0)
	n := 0
	for _, e := range c.opened {
		if !e.Detected.Before(boot) && e.Detected.Before(boot.Add(time.Second)) {
			n++
		}
	}
	assert.Positive(t, n, "the boot burst at 1131567043 opens events")
}

package analyze

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChooseInterval checks the automatic interval rule against values
// worked out by hand: the smallest listed interval I with n·I/span ≥ 2.
func TestChooseInterval(t *testing.T) {
	tests := []struct {
		name string
		n    int
		span float64 // seconds
		want time.Duration
	}{
		{"no records", 0, 100, time.Second},
		{"no span", 2000, 0, time.Second},
		{"negative span", 2000, -5, time.Second},
		{"NaN span", 2000, math.NaN(), time.Second},
		// 2000 lines over 547 s (Hadoop_2k): 3.7 per second already.
		{"dense", 2000, 547, time.Second},
		// Exactly 2 per 2 s: equality reaches the target.
		{"boundary", 100, 100, 2 * time.Second},
		{"just above boundary", 100, 100.5, 5 * time.Second},
		// One record over 10 s needs 20 s: the next listed is 30 s.
		{"one record", 1, 10, 30 * time.Second},
		// HDFS_2k: 2·135842/2000 = 135.8 s; 2m = 120 s is short.
		{"hdfs_2k", 2000, 135842, 5 * time.Minute},
		// Mac_2k: 2·601791/2000 = 601.8 s; 10m = 600 s is just short.
		{"mac_2k", 2000, 601791, 15 * time.Minute},
		// Linux_2k: 3713.2 s; 1h = 3600 s is short.
		{"linux_2k", 2000, 3713159, 2 * time.Hour},
		// BGL_2k: 18462.6 s; 3h = 10800 s is short, 6h = 21600 s.
		{"bgl_2k", 2000, 18462619, 6 * time.Hour},
		// 10 records over 31.7 years: less than 2 a day, the longest.
		{"sparser than a day", 10, 1e9, 24 * time.Hour},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, chooseInterval(test.n, test.span))
		})
	}
}

func TestTrimmedSpan(t *testing.T) {
	seq := func(from, to float64) []float64 {
		var s []float64
		for v := from; v <= to; v++ {
			s = append(s, v)
		}
		return s
	}
	tests := []struct {
		name     string
		times    []float64
		wantN    int
		wantSpan float64
	}{
		{"empty", nil, 0, 0},
		{"one", []float64{7}, 1, 0},
		{"fewer than 100: nothing trimmed", []float64{5, 1, 3}, 3, 4},
		// 0..98 and a stray time: one of each end is dropped.
		{"stray time", append(seq(0, 98), 1e9), 98, 97},
		{"stray early time", append([]float64{-1e9}, seq(1, 99)...), 98, 97},
		// 200 times: two of each end.
		{"200", seq(1, 200), 196, 195},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			n, span := trimmedSpan(test.times)
			assert.Equal(t, test.wantN, n)
			assert.InDelta(t, test.wantSpan, span, 1e-9)
		})
	}
}

func TestFormatInterval(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Second, "1s"},
		{1500 * time.Millisecond, "1.5s"},
		{90 * time.Second, "1m30s"},
		{10 * time.Minute, "10m"},
		{time.Hour, "1h"},
		{90 * time.Minute, "1h30m"},
		{6 * time.Hour, "6h"},
		{24 * time.Hour, "1d"},
		{48 * time.Hour, "2d"},
		{25 * time.Hour, "25h"},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, formatInterval(test.d), "%v", test.d)
	}
}

// TestAutoIntervalHeld checks that the observations held back while the
// interval is chosen reach the detectors exactly as if the interval had been
// given: the same report, whether the decision comes at the end of the input
// or after the first few lines.
func TestAutoIntervalHeld(t *testing.T) {
	// The Loghub mix (1000 lines of each of eight systems, one after the
	// other) has events of several types at every interval.
	zr, err := gzip.NewReader(bytes.NewReader(readTestdata(t, "loghub_mix.log.gz")))
	require.NoError(t, err)
	in, err := io.ReadAll(zr)
	require.NoError(t, err)
	decode := func(out string) map[string]any {
		t.Helper()
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &m))
		return m
	}
	for _, holdMax := range []int{0, 1, 1000, 5000} {
		t.Run("hold "+strconv.Itoa(holdMax), func(t *testing.T) {
			code, out, stderr := runConfig(t, context.Background(), &config{json: true, top: 3, holdMax: holdMax}, bytes.NewReader(in))
			require.Equal(t, 0, code, stderr)
			auto := decode(out)
			input := auto["input"].(map[string]any)
			assert.Equal(t, true, input["anomaly_interval_auto"])
			iv := time.Duration(input["anomaly_interval_seconds"].(float64) * float64(time.Second))
			require.Positive(t, iv)
			if holdMax == 0 {
				// The eight systems' times span decades (and
				// syslog's year 0, shifted by 2000 years): fewer
				// than 2 lines a day.
				assert.Equal(t, 24*time.Hour, iv)
			}
			if holdMax == 1000 {
				// The first 1000 lines are HDFS's; without the 10
				// earliest and latest, 980 over 081109 204722 ..
				// 081110 220648 (91166 s): 2 per interval needs
				// 186 s, so 5m.
				assert.Equal(t, 5*time.Minute, iv)
			}
			if holdMax == 1 {
				assert.Equal(t, time.Second, iv, "one line has no span")
			}
			code, out, stderr = runConfig(t, context.Background(), &config{json: true, top: 3, interval: iv}, bytes.NewReader(in))
			require.Equal(t, 0, code, stderr)
			fixed := decode(out)
			assert.NotEmpty(t, fixed["anomalies"], "the comparison covers events")
			fixed["input"].(map[string]any)["anomaly_interval_auto"] = true
			assert.Equal(t, fixed, auto, "held observations are replayed unchanged")
		})
	}
}

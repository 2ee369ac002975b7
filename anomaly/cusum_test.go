package anomaly_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
)

// TestDetector_LowRateBursts replays bursts of a pattern that has been
// silent for an hour (its EWMA mean has decayed to about 0, so the low-rate
// CUSUM assumes its floor f = ln r / (r − 1) = 0.402 per interval, where
// the drift (r − 1)·f is ln r) and checks which ones are rate spikes.
//
// Expected values, for the defaults (r = 5, h = ln 10⁶ = 13.8155, ln r =
// 1.6094, MinCount 10): at the floor an interval with k records adds
// (k − 1)·ln r to the evidence S (never below 0), and the mean stays below
// the floor in every burst here until the alarm (a larger mean only drains
// S faster), so S ≤ ln r × the largest sum of (k − 1) over consecutive
// intervals. An alarm needs S ≥ h, that is 9 records beyond the first of
// their intervals: the record that reaches it in an interval with
// evidence S is the ⌈(h − S + ln r)/ln r⌉-th.
func TestDetector_LowRateBursts(t *testing.T) {
	tests := []struct {
		name   string
		counts []int // records in each second of the burst
		spike  bool
		sec    int // with spike: the second of the burst in which it opens
		rec    int // and the record of that second that opens it (1-based)
	}{
		// Records per second of the "NameSystem.delete … invalidSet"
		// waves of cmd/lipservice/testdata/hdfs_2k.log at 2008-11-10
		// 10:30:26 (64 records in 84 s) and 21:01:12 (36 in 50 s), after
		// 8 and 10 hours of silence. Largest run sums of (k − 1): 5 (2, 4,
		// 1, 1, 2) and 4, so S ≤ 8.05 < h. With a floor of 1/50 both
		// opened spikes, at their 10th and 12th record.
		{name: "hdfs-wave-10:30", counts: []int{2, 4, 1, 1, 2, 0, 1, 0, 1, 1, 1, 1, 2, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 2, 2, 0, 0, 0, 1, 1, 1, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 3, 2, 1, 3, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 1, 2, 0, 1, 0, 1, 1, 0, 0, 0, 3, 2, 1, 2}},
		{name: "hdfs-wave-21:01", counts: []int{1, 0, 0, 3, 0, 0, 2, 0, 0, 0, 0, 2, 1, 1, 3, 1, 1, 2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 2, 2, 1, 2, 0, 2, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2}},
		// One record per interval is never evidence: 60 of them are not
		// a spike (the close rule calls such an interval quiet too).
		{name: "one-per-second", counts: repeat(1, 60)},
		// 8 records beyond the first: S = 8·ln r = 12.88 < h; the
		// single-interval test needs MinCount = 10.
		{name: "nine-in-one-second", counts: []int{9}},
		// ⌈(h + ln r)/ln r⌉ = ⌈9.58⌉ = 10, as the single-interval test.
		{name: "ten-in-one-second", counts: []int{10}, spike: true, sec: 0, rec: 10},
		// A 20× rise of a 0.2/s pattern: S = 3·ln r after each of the
		// first two seconds (9.66), then ⌈(h − 9.66 + ln r)/ln r⌉ =
		// ⌈3.58⌉ = 4. (The mean is 0.16 after two seconds.)
		{name: "four-per-second", counts: repeat(4, 10), spike: true, sec: 2, rec: 4},
		// One record beyond the first per second: S = i·ln r after i
		// seconds; the 2nd record reaches h once h − i·ln r ≤ ln r, at
		// i = 8 (⌈(h − 12.88 + ln r)/ln r⌉ = ⌈1.58⌉ = 2; at i = 7 it would
		// be the 3rd). The mean is 2·(1 − 0.98⁸) = 0.30 after 8 seconds.
		{name: "two-per-second", counts: repeat(2, 15), spike: true, sec: 8, rec: 2},
	}
	const burst = 3700 // one hour after the pattern's last record
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var c collector
			d := newDetector(t, &c)
			p := newPat("sparse", slog.LevelInfo)
			// Two records in the warm-up (not new), then an hour of
			// silence: n ≫ 1/w intervals of history, mean ≈ 0.
			d.Observe(p.sig, p.msg, p.level, at(0, 0.5))
			d.Observe(p.sig, p.msg, p.level, at(100, 0.5))
			for i, k := range test.counts {
				for j := range k {
					d.Observe(p.sig, p.msg, p.level, at(burst+i, (float64(j)+0.5)/float64(k)))
				}
			}
			d.Advance(at(burst+len(test.counts)+5, 0))
			if !test.spike {
				assert.Zero(t, c.count(anomaly.RateSpike), "events: %+v", c.opened)
				return
			}
			require.Equal(t, 1, c.count(anomaly.RateSpike), "events: %+v", c.opened)
			ev, ok := c.first(anomaly.RateSpike, p.sig, t0)
			require.True(t, ok)
			k := test.counts[test.sec]
			assert.Equal(t, at(burst+test.sec, 0), ev.Start, "opens in burst second %d", test.sec)
			assert.Equal(t, at(burst+test.sec, (float64(test.rec)-0.5)/float64(k)), ev.Detected, "at record %d of that second", test.rec)
			assert.InDelta(t, float64(test.rec), ev.Value, 1e-9, "value: the interval's count at detection")
		})
	}
}

func repeat(k, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = k
	}
	return s
}

package analyze

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The automatic anomaly interval.
//
// The detectors (package anomaly) count records per interval and were
// designed for series with a meaningful count per interval: the Poisson tail
// test, the EWMA baseline and the low-rate CUSUM all judge a count against
// the counts of earlier intervals. At the anomaly package's default of one
// second, a sparse input (the Loghub 2k samples are 2000 lines drawn at
// random from hours or months of logs: HDFS_2k is 0.015 lines/s) leaves
// nearly every interval empty: the baselines decay to about zero, and
// "spikes" and "surges" are judged on one to three records.
//
// With --interval 0, analyze therefore chooses the interval from the input:
// the smallest of [autoIntervals] at which the whole input averages at least
// [autoIntervalTarget] records per interval,
//
//	I = min{ I ∈ autoIntervals : n·I / S ≥ autoIntervalTarget }
//
// where n is the number of records and S their time span, both measured on
// the first [autoIntervalRecords] records (the whole input when it is
// shorter), with the earliest and latest 1% of the timed records trimmed so
// that a few stray timestamps (a line from 1970, a clock jump) do not stretch
// S. The result is 1 s (never less) when there are fewer than two distinct
// times, and 1 d when even a day averages fewer than the target. The rule
// uses nothing but the input's own volume, so it applies to any log; it
// changes nothing for a service that logs autoIntervalTarget lines per second
// or more, which the detectors' 1 s default was chosen for.
//
// It is not the default (DefaultInterval is 1 s): on the eight shipped Loghub
// 2k samples it reports more rate spikes, error surges and disappearances
// than 1 s, not fewer (48 → 116), because the longer intervals gather into
// one count the real bursts that 1 s spreads over many near-empty intervals:
// BGL's FATAL storms become error surges (missed at 1 s), and the recurring
// block-deletion waves of HDFS (13 to 64 sampled lines in 5 minutes) and SSH
// brute-force runs of Linux become rate spikes, which the anomaly package's
// low-rate CUSUM floor deliberately keeps quiet at 1 s.
//
// Deciding needs the records before the detectors see them, so the first
// autoIntervalRecords observations are held back (40 bytes each: a pointer to
// the signature's entry, the time and the level; 2.6 MiB at most) and
// replayed into the detectors once the interval is chosen. Memory stays
// bounded and the input is still read once, as a stream (stdin and gzip
// included); the price is that on a long input the rate is estimated from its
// beginning only. A held record is replayed with its signature's template as
// the message (the detectors read the message only to name an event's
// template, and normalizing a template gives the template back), so an event
// of a pattern whose first line was longer than maxTemplateBytes names the
// clipped template, as the pattern table does.

// autoIntervals are the intervals the automatic rule chooses from: "round"
// lengths, each at most 2.5 times the previous one, so the mean count lands
// within a factor of 2.5 of the target.
var autoIntervals = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// autoIntervalTarget is the mean number of records per interval the automatic
// rule aims for. It is the anomaly package's MinCount/SpikeRatio (10/5 at the
// defaults): the rate below which a series is "low-rate", its single-interval
// threshold held up by MinCount. A larger target trades the number of
// intervals for the count per interval: a 2000-line input has n/target
// intervals at most, and the detectors need 60 of them to warm up and about
// 50 of EWMA memory. On the Loghub samples, intervals 2–5 times longer than
// this target's removed new-pattern events (the warm-up then covers more of
// the input) and rate spikes alike, by leaving too few intervals (Linux_2k:
// 67 spikes at 2h, 23 at 6h, 5 at 12h; HDFS_2k: 28 at 5m, 16 at 30m, 0 at
// 2h, where 19 intervals never end the warm-up).
const autoIntervalTarget = 2

// autoIntervalRecords is how many records the automatic rule looks at (and
// holds back) before it decides. 65536 covers every Loghub 2k sample whole,
// and about a minute of a service logging a thousand lines a second.
const autoIntervalRecords = 1 << 16

// chooseInterval returns the smallest of autoIntervals at which n records
// over span seconds average at least autoIntervalTarget per interval: 1 s
// when span is not positive (or NaN) or n is 0, and the largest of
// autoIntervals when none reaches the target.
func chooseInterval(n int, span float64) time.Duration {
	if !(span > 0) || n <= 0 {
		return autoIntervals[0]
	}
	for _, iv := range autoIntervals {
		if float64(n)*iv.Seconds() >= autoIntervalTarget*span {
			return iv
		}
	}
	return autoIntervals[len(autoIntervals)-1]
}

// trimmedSpan returns the number of times kept and their span in seconds
// after dropping the earliest and the latest ⌊len(times)/100⌋ times (in
// seconds; times is sorted in place).
func trimmedSpan(times []float64) (n int, span float64) {
	if len(times) == 0 {
		return 0, 0
	}
	slices.Sort(times)
	cut := len(times) / 100
	kept := times[cut : len(times)-cut]
	return len(kept), kept[len(kept)-1] - kept[0]
}

// formatInterval writes an interval compactly: "1s", "10m", "6h", "1m30s".
func formatInterval(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

package sampler

import (
	"strconv"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly/events"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// Stats is a snapshot of a Sampler's counters, returned by [Sampler.Stats].
// The counters are read one by one while records are being decided, so they
// are consistent only when no Decide runs concurrently.
type Stats struct {
	// Seen, Kept and Dropped count records decided since New (Seen = Kept
	// + Dropped), including patterns that were evicted or counted in the
	// overflow bucket. Records decided while the kill switch is on are not
	// counted. In dry-run mode Kept and Dropped count what the rules
	// decided.
	Seen, Kept, Dropped uint64
	// Overflow counts the records of patterns that found no free slot and
	// were counted in the shared overflow bucket.
	Overflow uint64
	// Errors counts internal errors (see [WithErrorHandler]).
	Errors uint64
	// Anomalous counts the records decided by the anomaly valve
	// ([ReasonAnomaly]), kept or not.
	Anomalous uint64
	// Reasons counts the decisions by the rule that made them, in [Reason]
	// order, listing only the reasons that decided at least one record
	// (records decided under the kill switch, or passed as nil, are not
	// counted). In dry-run mode Kept counts what the rules kept. The
	// caller owns the slice.
	Reasons []ReasonStats
	// Anomalies is the valve's snapshot (its active and recently closed
	// anomaly events and its counters) when the Valve implements
	// [Snapshotter], as *anomaly.Detector does; nil otherwise, or when
	// the snapshot panicked (counted in Errors). The caller owns it.
	Anomalies *events.Snapshot
	// Patterns lists the tracked patterns, most seen first. The caller owns
	// the slice.
	Patterns []PatternStats
	// Disabled reports whether the kill switch is on.
	Disabled bool
	// DryRun reports whether the policy in force is a dry run.
	DryRun bool
	// PolicyVersion is the Version of the policy in force.
	PolicyVersion int64
	// Seconds lists what was kept against the target in each of the last
	// 64 seconds of record time (up to the latest second in which a record
	// was kept by the first-N, anomaly or adaptive rule), oldest first,
	// leaving out seconds in which none was (see [SecondStats]). Records
	// more than 64 seconds older than that are counted in the totals but
	// not per second. The caller owns the slice.
	Seconds []SecondStats
}

// PatternStats is the counters of one tracked pattern.
type PatternStats struct {
	// Pattern is the pattern's ID.
	Pattern signature.Sig
	// Seen, Kept and Dropped count the pattern's records since it was
	// first tracked.
	Seen, Kept, Dropped uint64
	// Anomalous counts the pattern's records decided by the anomaly valve
	// ([ReasonAnomaly]), kept or not.
	Anomalous uint64
	// AdaptiveRate is the pattern's current adaptive rate, or 0 when
	// adaptive sampling is off or the pattern has no history yet.
	AdaptiveRate float64
	// Template is the template of the pattern's first tracked record
	// (signature.Normalize, cut at 512 bytes): variable parts are masked,
	// but what the normalizer does not recognize as variable is kept.
	Template string
	// FirstSeen is the time of the pattern's first tracked record;
	// LastSeen that of its latest, within 100 ms.
	FirstSeen, LastSeen time.Time
	// Levels counts the pattern's records by severity, indexed as
	// policy.SeverityIndex (DEBUG, INFO, WARNING, ERROR, CRITICAL).
	Levels [policy.NumSeverities]uint64
}

// ReasonStats is the decisions made by one rule (see [Stats].Reasons).
type ReasonStats struct {
	// Reason is the rule.
	Reason Reason
	// Decided counts the records the rule decided; Kept those it kept.
	Decided, Kept uint64
}

// Summary reports one window of a Sampler's decisions (see [WithSummary]).
type Summary struct {
	// Start and End delimit the window, on the records' clock.
	Start, End time.Time
	// Seen, Kept and Dropped count all records decided in the window.
	Seen, Kept, Dropped uint64
	// Patterns lists the patterns that had records dropped in the window,
	// most dropped first, at most [MaxSummaryPatterns]. The receiver owns the
	// slice.
	Patterns []PatternSummary
	// Target is the policy's target_per_second at the end of the window
	// (0: no adaptive sampling).
	Target float64
	// Seconds lists, per second of the window, what was kept against the
	// target (see [SecondStats]), oldest first, leaving out seconds in
	// which nothing was kept by those rules; only the last 64 seconds of a
	// longer window are listed. The receiver owns the slice.
	Seconds []SecondStats
}

// String formats the summary for people, one line for the window, one for
// what was kept per second against the target (when the policy has one:
// records kept by the adaptive rule / target, then +first-N and +anomaly
// keeps when there were any) and one per pattern:
//
//	window 2026-03-14T10:00:00Z +10s: 9812 seen, 120 kept, 9692 dropped
//	kept per second vs target 10: 11/10+5 9/10 10/10 10/10+2a ...
//	pattern 9f2c1a7e0b3d4c55: 9600 dropped of 9700 in the last 10s
func (s Summary) String() string {
	d := s.End.Sub(s.Start)
	b := make([]byte, 0, 64+len(s.Patterns)*64)
	b = append(b, "window "...)
	b = s.Start.AppendFormat(b, time.RFC3339)
	b = append(b, " +"...)
	b = append(b, d.String()...)
	b = append(b, ": "...)
	b = strconv.AppendUint(b, s.Seen, 10)
	b = append(b, " seen, "...)
	b = strconv.AppendUint(b, s.Kept, 10)
	b = append(b, " kept, "...)
	b = strconv.AppendUint(b, s.Dropped, 10)
	b = append(b, " dropped"...)
	if s.Target > 0 {
		b = append(b, "\nkept per second vs target "...)
		b = strconv.AppendFloat(b, s.Target, 'g', -1, 64)
		b = append(b, ':')
		for _, sec := range s.Seconds {
			b = append(b, ' ')
			b = strconv.AppendUint(b, sec.Adaptive, 10)
			b = append(b, '/')
			b = strconv.AppendFloat(b, s.Target, 'g', -1, 64)
			if sec.FirstN > 0 {
				b = append(b, '+')
				b = strconv.AppendUint(b, sec.FirstN, 10)
			}
			if sec.Anomaly > 0 {
				b = append(b, '+')
				b = strconv.AppendUint(b, sec.Anomaly, 10)
				b = append(b, 'a')
			}
		}
	}
	for _, p := range s.Patterns {
		b = append(b, "\npattern "...)
		b, _ = p.Pattern.AppendText(b)
		b = append(b, ": "...)
		b = strconv.AppendUint(b, p.Dropped, 10)
		b = append(b, " dropped of "...)
		b = strconv.AppendUint(b, p.Seen, 10)
		b = append(b, " in the last "...)
		b = append(b, d.String()...)
	}
	return string(b)
}

// MaxSummaryPatterns is the largest number of patterns in a [Summary].
const MaxSummaryPatterns = 100

// PatternSummary is one pattern's counts in one window.
type PatternSummary struct {
	// Pattern is the pattern's ID.
	Pattern signature.Sig
	// Seen, Kept and Dropped count the pattern's records in the window.
	Seen, Kept, Dropped uint64
}

package events

import (
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// Type is the kind of an [Event]. More types may be added.
type Type uint8

const (
	// RateSpike: one pattern's per-interval count is far above its baseline.
	RateSpike Type = iota + 1
	// ErrorSurge: the service-wide count and share of error records are far
	// above their baseline.
	ErrorSurge
	// NewPattern: a pattern never seen before appeared after the warm-up.
	NewPattern
	// Disappeared: a steady pattern has been silent for several intervals.
	Disappeared
	// RateDrop: one pattern's count per bucket of some time scale is far
	// below its baseline (a partial drop; total silence of a steady pattern
	// is also Disappeared).
	RateDrop
)

var typeNames = [...]string{"", "rate_spike", "error_surge", "new_pattern", "disappeared", "rate_drop"}

// String returns the snake_case name of t ("rate_spike", …), or "unknown".
func (t Type) String() string {
	if int(t) < len(typeNames) && t != 0 {
		return typeNames[t]
	}
	return "unknown"
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Type.String].
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Severity ranks events for humans and alerting.
type Severity uint8

const (
	// SeverityInfo is for events about debug/info patterns.
	SeverityInfo Severity = iota + 1
	// SeverityWarning is for rate spikes and disappearances of non-error
	// patterns and for new WARN patterns.
	SeverityWarning
	// SeverityCritical is for error surges and for events about patterns
	// that have carried records at or above the error level.
	SeverityCritical
)

var severityNames = [...]string{"", "info", "warning", "critical"}

// String returns "info", "warning", "critical" or "unknown".
func (s Severity) String() string {
	if int(s) < len(severityNames) && s != 0 {
		return severityNames[s]
	}
	return "unknown"
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Severity.String].
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Event is one anomaly. It is delivered (see anomaly.WithCallback and
// anomaly.WithEventBuffer) once when it opens, with a zero End, and once when it
// closes; anomaly.Detector.Snapshot lists the open ones and the recently closed
// ones. Event is a plain value: copies are independent.
type Event struct {
	// ID identifies the event within its Detector: the open and the close
	// deliveries carry the same ID. IDs start at 1 and increase.
	ID uint64 `json:"id"`
	// Type is the kind of anomaly.
	Type Type `json:"type"`
	// Pattern is the signature of the pattern; zero for an ErrorSurge.
	Pattern signature.Sig `json:"pattern_id"`
	// Template is the pattern's template (signature.Normalize of one of its
	// messages); empty for an ErrorSurge, and for a Disappeared pattern
	// whose template was never needed before it fell silent.
	Template string `json:"template,omitempty"`
	// Level is the highest level seen on the pattern (the level of its
	// first record for a NewPattern; the error level for an ErrorSurge).
	Level slog.Level `json:"level"`
	// Severity ranks the event.
	Severity Severity `json:"severity"`
	// Scale is the time scale at which the event was found: the length of
	// the bucket that Value and Baseline count records in. It is the
	// detector's interval for events of the interval's own tests (error
	// surges, new patterns, disappearances, spikes found within an
	// interval), or one of the coarse scales of anomaly.WithScales. In JSON it is
	// in nanoseconds (scale_ns).
	Scale time.Duration `json:"scale_ns"`
	// Value is the observed rate in records per bucket of Scale: the count
	// when the event was detected, and the peak (RateDrop: the lowest)
	// bucket count once it has closed (ErrorSurge: error records). For a
	// NewPattern it is the count in its first window so far; for
	// Disappeared, zero.
	Value float64 `json:"value"`
	// Baseline is the expected count per bucket of Scale that Value was
	// compared with (for ErrorSurge, expected error records per interval):
	// the pattern's EWMA baseline, times the seasonal factor of the phase
	// when the pattern's rate repeats with the hour or the day (see the
	// package documentation, section "Seasonality").
	Baseline float64 `json:"baseline"`
	// Score is the z-score (Value − Baseline) / sd at detection (RateSpike,
	// ErrorSurge, RateDrop, negative for a drop); for Disappeared, the
	// number of silent intervals; for NewPattern, zero.
	Score float64 `json:"score"`
	// Confidence is 1 − p, where p is the probability of the observation
	// under the baseline: the Poisson tail P(X ≥ Value | λ = Baseline) for
	// spikes and surges, P(X ≤ Value | λ = Baseline) for drops,
	// (1 − presence)^silent for Disappeared, and 1 for NewPattern.
	Confidence float64 `json:"confidence"`
	// Start is when the anomaly began: the start of the interval of the
	// spike or surge, the time of a new pattern's first record, or the start
	// of the first silent interval.
	Start time.Time `json:"start"`
	// Detected is the record time (or Advance time) at which the detector
	// opened the event; Detected − Start is the detection latency.
	Detected time.Time `json:"detected"`
	// End is when the anomaly ended; zero while it is active.
	End time.Time `json:"end,omitzero"`
}

// Active reports whether e has not closed.
func (e Event) Active() bool { return e.End.IsZero() }

// Stats are an anomaly detector's counters. All counts are since the
// detector was built (anomaly.New).
type Stats struct {
	// Records is the number of timed records observed, and Errors the
	// number of those at or above the error level.
	Records, Errors uint64
	// Patterns is the number of patterns tracked now.
	Patterns int
	// Evicted is the number of patterns evicted from the full table.
	Evicted uint64
	// Late is the number of records whose time fell before the current
	// interval (counted in the current one).
	Late uint64
	// Untimed is the number of zero-time records ignored before the first
	// timed record.
	Untimed uint64
	// EventsOpened is the number of events opened.
	EventsOpened uint64
	// SuppressedNew is the number of new patterns that opened no event
	// because MaxNewPerInterval was reached.
	SuppressedNew uint64
	// DroppedEvents is the number of event deliveries lost because the
	// channel or the callback outbox was full.
	DroppedEvents uint64
	// CallbackPanics is the number of recovered panics in the callback.
	CallbackPanics uint64
}

// Snapshot is a point-in-time view of an anomaly detector
// (anomaly.Detector.Snapshot). The caller owns the
// slices.
type Snapshot struct {
	// Active lists the open events, oldest Start first; bounded by the
	// pattern table (at most four per pattern) plus one error surge.
	Active []Event
	// Recent lists the last closed events (see anomaly.WithRecent), oldest first.
	Recent []Event
	// Stats are the counters.
	Stats Stats
}

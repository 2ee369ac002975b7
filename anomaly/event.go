package anomaly

import (
	"log/slog"

	"github.com/srex-dev/lipservice-go/anomaly/events"
)

// The event and snapshot types are defined in the leaf package
// anomaly/events, so that the sampler can expose a detector's snapshot
// without importing this package; the names below are aliases.
type (
	// Type is the kind of an [Event]. More types may be added.
	Type = events.Type
	// Severity ranks events for humans and alerting.
	Severity = events.Severity
	// Event is one anomaly. It is delivered (see [WithCallback] and
	// [WithEventBuffer]) once when it opens, with a zero End, and once when
	// it closes; [Detector.Snapshot] lists the open ones and the recently
	// closed ones. Event is a plain value: copies are independent.
	Event = events.Event
	// Stats are the detector's counters. All counts are since [New].
	Stats = events.Stats
	// Snapshot is a point-in-time view of a Detector. The caller owns the
	// slices.
	Snapshot = events.Snapshot
)

// The event types and severities; see package anomaly/events.
const (
	// RateSpike: one pattern's per-interval count is far above its baseline.
	RateSpike = events.RateSpike
	// ErrorSurge: the service-wide count and share of error records are far
	// above their baseline.
	ErrorSurge = events.ErrorSurge
	// NewPattern: a pattern never seen before appeared after the warm-up.
	NewPattern = events.NewPattern
	// Disappeared: a steady pattern has been silent for several intervals.
	Disappeared = events.Disappeared
	// RateDrop: one pattern's count per bucket of some time scale is far
	// below its baseline.
	RateDrop = events.RateDrop
	// SeverityInfo is for events about debug/info patterns.
	SeverityInfo = events.SeverityInfo
	// SeverityWarning is for rate spikes and disappearances of non-error
	// patterns and for new WARN patterns.
	SeverityWarning = events.SeverityWarning
	// SeverityCritical is for error surges and for events about patterns
	// that have carried records at or above the error level.
	SeverityCritical = events.SeverityCritical
)

// severityOf maps a pattern's level to a severity with a floor.
func severityOf(level, errLevel slog.Level, floor Severity) Severity {
	s := SeverityInfo
	switch {
	case level >= errLevel:
		s = SeverityCritical
	case level >= slog.LevelWarn:
		s = SeverityWarning
	}
	return max(s, floor)
}

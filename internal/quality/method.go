package quality

import (
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/signature"
)

// Outcome is a method's decision for one line.
type Outcome struct {
	// Keep reports whether the line is kept.
	Keep bool
	// Rate is the keep probability that applied: a kept line stands for
	// 1/Rate lines. Zero means "unknown" and is scored as 1.
	Rate float64
	// Pattern is the method's pattern ID for the line, when HasPattern is
	// set; the harness uses it to match anomaly events to incidents.
	Pattern    signature.Sig
	HasPattern bool
}

// Method is a sampling method under test. Decide is called once per line,
// in stream order, from one goroutine; l is valid only during the call.
type Method interface {
	Name() string
	Decide(l *loggen.Line) Outcome
}

// Event is an anomaly reported by a method (see [Detector]).
type Event struct {
	// Kind is the incident kind the event corresponds to: loggen.Spike for
	// a rate spike, loggen.ErrorSurge for a service-wide error surge,
	// loggen.NewPattern for a new pattern, loggen.Silence for a pattern that
	// disappeared.
	Kind loggen.Kind
	// Pattern is the pattern the event is about (ignored for ErrorSurge).
	Pattern signature.Sig
	// At is the simulated time at which the method raised the event: the
	// time of the line being decided when it was reported.
	At time.Time
}

// Detector is implemented by methods that report anomaly events. Events is
// called once, after the last line.
type Detector interface {
	Events() []Event
}

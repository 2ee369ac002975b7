package sampler

import (
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly/events"
	"github.com/srex-dev/lipservice-go/signature"
)

// Valve is the anomaly hook of the sampler: it sees every record before the
// rate rules and may open the valve for it. The anomaly package's detectors
// implement it.
//
// Observe is called on the logging hot path, concurrently, once per record: it
// must not block, must not allocate in steady state and must not panic. msg is
// the raw message (valid only during the call); t is the record's time.
// sig is the record's pattern as first learned: with pattern mining on (see
// [WithPatternMining]), the ID its pattern had when it was created
// (pattern.Miner.Origin), which does not change when the pattern
// generalizes, so that a known event whose pattern learned a variable is
// not a new pattern to the valve (nor its former ID a silent one); it
// equals [Decision].Pattern for a pattern that never generalized.
// It reports whether the valve is open for this record: an open valve keeps
// the record at rate 1, or at the policy's anomaly boost when one is set.
type Valve interface {
	Observe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool)
}

// SafeValve is a [Valve] that recovers its own panics, as *anomaly.Detector
// does. When the Valve given by [WithValve] implements it (checked once, by
// [New]), the sampler calls ObserveSafe instead of Observe, without the
// deferred recover it puts around any other Valve's call: that recover
// costs about 75 instructions per record (perf11i), as much as a third of
// a steady Observe's own. Any other Valve may panic; Decide still turns
// its panic into [ReasonError].
//
// ObserveSafe is Observe, except that it must never panic: a failure
// inside it (a panic it recovered) is reported as a non-nil err, with the
// valve's locks released and open false. The sampler then keeps the record
// at rate 1 with [ReasonError] and reports err to [Sampler.Stats] and the
// error handler ([WithErrorHandler]), as for a panicking Valve.
type SafeValve interface {
	Valve
	ObserveSafe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool, err error)
}

// Snapshotter is implemented by a [Valve] that can report its anomaly
// events, as *anomaly.Detector does: when the Valve given by [WithValve]
// implements it, [Sampler.Stats] includes its snapshot (active and recent
// events and the detector's counters). Snapshot is called from Stats only,
// never per record; it must be safe for concurrent use, and a panic in it
// is recovered and counted as an error. The snapshot type is in the leaf
// package anomaly/events, so that the sampler does not import package
// anomaly (the anomaly tests assert that *anomaly.Detector implements
// Valve and Snapshotter).
type Snapshotter interface {
	Snapshot() events.Snapshot
}

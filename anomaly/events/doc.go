// Package events holds the plain data an anomaly detector reports: the
// [Event] values it opens and closes, their [Type] and [Severity], and the
// [Snapshot] and [Stats] of a detector.
//
// It is a leaf package (it imports only signature and the standard
// library) so that the sampler can expose a detector's snapshot
// (sampler.Stats.Anomalies) without importing package anomaly and its
// statistics; package anomaly re-exports these types under the same names
// as aliases.
package events

package sampler

import (
	"log/slog"
	"time"
)

// Record is what the sampler needs to know about one log record. Adapters
// (slogx, otelx, the CLI) fill it from their own record type; the sampler reads
// it during [Sampler.Decide] and retains nothing it points to, so a Record and
// its Attrs may live on the caller's stack and be reused.
type Record struct {
	// Time is the record's own timestamp. The zero Time means "unknown"; the
	// sampler then uses its clock.
	Time time.Time
	// Level is the record's severity on the slog scale (OTel severity N maps
	// to slog.Level(N-9)).
	Level slog.Level
	// Message is the raw log message; it is normalized, never stored.
	Message string
	// Attrs are the record's attributes. Their keys enter the pattern ID
	// only when the Sampler was built with WithAttrKeys(true) (the default
	// is false); values do only for the keys named by WithValueKeys. String
	// values are visible to exemption rules.
	Attrs []Attr
	// TraceID is the W3C trace ID of the record, all zero when there is none.
	TraceID [16]byte
}

// Attr is one attribute of a [Record]. Value holds the attribute's value when
// it is a string and is empty otherwise, except that for the keys of
// [WithValueKeys] adapters also pass numbers and booleans as text (see
// there).
type Attr struct {
	Key   string
	Value string
}

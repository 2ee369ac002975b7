package sampler

import (
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// Valve is the anomaly hook of the sampler: it sees every record before the
// rate rules and may open the valve for it. The anomaly package's detectors
// implement it.
//
// Observe is called on the logging hot path, concurrently, once per record: it
// must not block, must not allocate in steady state and must not panic. msg is
// the raw message (valid only during the call); t is the record's time.
// It reports whether the valve is open for this record: an open valve keeps
// the record at rate 1, or at the policy's anomaly boost when one is set.
type Valve interface {
	Observe(sig signature.Sig, msg string, level slog.Level, t time.Time) (open bool)
}

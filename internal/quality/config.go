package quality

import (
	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
)

// Policy returns the policy under test (lipservice sample uses it as its
// default). It is a general volume budget, not fitted to the generator's
// templates (it has no pattern rates):
//
//   - target_per_second 8: adaptive sampling towards 8 records/s decided by
//     the adaptive rule (about 3 % of the quality stream's nominal 250
//     lines/s), a log-shaped allocation across whatever patterns appear.
//     This is the volume knob; it was set to reach the >= 90 % reduction
//     operating point of the quality targets;
//   - first_n 5 per 60 s window: every pattern stays visible with at least
//     5 records a minute. (The policy default, 10 per 10 s, alone keeps
//     about 12 % of the quality stream, whose 30 regular patterns all log
//     more than 1 line/s.)
//   - ERROR and above kept at rate 1 (the policy default).
//
// It is policy.Adaptive(8), the default of lipservice sample.
func Policy() *policy.Policy {
	p := policy.Adaptive(8)
	p.GeneratedBy = "lipservice-go:quality"
	return p
}

// DetectorOptions returns the anomaly-detector options under test. Every
// threshold is the anomaly package's default; the error-surge scope is
// anomaly.ScopeErrors, because ERROR records are kept at rate 1 by the policy
// anyway and the default anomaly.ScopeService would keep every record of
// the whole service for as long as a surge lasts (in the quality stream, 3
// to 4.5 minutes), which no volume budget survives.
func DetectorOptions() []anomaly.Option {
	return []anomaly.Option{anomaly.WithSurgeScope(anomaly.ScopeErrors)}
}

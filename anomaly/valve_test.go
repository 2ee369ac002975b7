package anomaly_test

import (
	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/sampler"
)

// A Detector is the sampler's anomaly valve and reports its snapshot to
// sampler.Stats. The interfaces are declared by their consumer, the
// sampler, which does not import this package; the assertions live here.
var (
	_ sampler.Valve       = (*anomaly.Detector)(nil)
	_ sampler.Snapshotter = (*anomaly.Detector)(nil)
	_ sampler.SafeValve   = (*anomaly.Detector)(nil)
)

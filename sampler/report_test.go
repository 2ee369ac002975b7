package sampler_test

import (
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/sampler"
)

// The Sampler is what a client.Client drives: it puts fetched policies in
// force and reads the pattern counters to report. The assertions live in a
// test so that the sampler does not import the HTTP client.
var (
	_ client.PolicySetter = (*sampler.Sampler)(nil)
	_ client.StatsSource  = (*sampler.Sampler)(nil)
)

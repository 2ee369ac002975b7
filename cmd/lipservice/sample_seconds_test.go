package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/sampler"
)

func TestPerSecond(t *testing.T) {
	base := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	adaptive := sampler.Decision{Keep: true, Reason: sampler.ReasonAdaptive}
	p := newPerSecond(2, 2)
	// Second 0: 1 adaptive keep, one first-N, one drop; second 1: 5
	// adaptive keeps and one anomaly; second 2: 3 adaptive keeps, one
	// would-drop of a dry run; a line without time is not counted.
	p.add(base, adaptive)
	p.add(base.Add(100*time.Millisecond), sampler.Decision{Keep: true, Reason: sampler.ReasonFirstN})
	p.add(base.Add(200*time.Millisecond), sampler.Decision{Reason: sampler.ReasonAdaptive})
	for range 5 {
		p.add(base.Add(time.Second), adaptive)
	}
	p.add(base.Add(time.Second), sampler.Decision{Keep: true, Reason: sampler.ReasonAnomaly})
	for range 3 {
		p.add(base.Add(2500*time.Millisecond), adaptive)
	}
	p.add(base.Add(2500*time.Millisecond), sampler.Decision{Keep: true, DryRun: true, WouldDrop: true, Reason: sampler.ReasonAdaptive})
	p.add(time.Time{}, adaptive)

	got := p.summary()
	assert.Equal(t, perSecondSummary{
		Target: 2, Seconds: 3,
		AdaptiveMean: 3,                                 // (1+5+3)/3
		AdaptiveP50:  3, AdaptiveP99: 5, AdaptiveMax: 5, // sorted 1, 3, 5
		OverTarget: 2, Over2Target: 1, // 5 > 4 > 3 > 2
		Busiest: []secondSummary{
			{Second: "2026-03-14T10:00:01Z", Adaptive: 5, Anomaly: 1},
			{Second: "2026-03-14T10:00:02Z", Adaptive: 3},
		},
	}, got)
}

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/quality"
)

// TestSampleDefaultPolicy_isMeasured checks that sample's default policy,
// now defined by the policy package (policy.Adaptive) rather than taken
// from the test harness, is still the policy the sampling-quality test
// measures.
func TestSampleDefaultPolicy_isMeasured(t *testing.T) {
	got, measured := sampleDefaultPolicy(), quality.Policy()
	got.GeneratedBy, measured.GeneratedBy = "", ""
	assert.Equal(t, measured, got)
	assert.Equal(t, 8.0, got.TargetPerSecond, "adaptive target, records/s")
	assert.Equal(t, 5, got.FirstNCount())
	assert.Equal(t, 60.0, got.WindowSeconds)
}

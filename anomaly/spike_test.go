package anomaly_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/anomaly"
)

// TestThresholds_Spike checks the two-window spike rule against thresholds
// worked out by hand.
func TestThresholds_Spike(t *testing.T) {
	server := anomaly.Thresholds{SpikeRatio: 5, MinCount: 100}
	tests := []struct {
		name            string
		th              anomaly.Thresholds
		count, baseline float64
		want            bool
	}{
		{"no baseline, at MinCount", server, 100, 0, true},
		{"no baseline, below MinCount", server, 99, 0, false},
		{"5x of 40 = 200", server, 200, 40, true},
		{"just below 5x", server, 199, 40, false},
		{"5x but below MinCount", server, 95, 19, false},
		// λ = 400: 5·λ = 2000 dominates λ + 6·20 = 520.
		{"large baseline at 5x", server, 2000, 400, true},
		{"large baseline at 4.9x", server, 1960, 400, false},
		// Defaults: MinCount 10, ratio 5, z 6, α 1e-6. λ = 1: t = max(10, 5, 7) = 10,
		// and P(X ≥ 10 | 1) ≈ 1.1e-7 ≤ 1e-6.
		{"defaults, λ=1, 10", anomaly.Thresholds{}, 10, 1, true},
		{"defaults, λ=1, 9", anomaly.Thresholds{}, 9, 1, false},
		// λ = 2: t = max(10, 10, 2 + 6·1.414 = 10.49) = 10.49, so 11; and
		// P(X ≥ 11 | 2) ≈ 8.3e-6 > 1e-6: the Poisson test holds it back
		// until 12 (P ≈ 1.4e-6) and 13 (P ≈ 2.1e-7).
		{"defaults, λ=2, 12 fails the tail test", anomaly.Thresholds{}, 12, 2, false},
		{"defaults, λ=2, 13", anomaly.Thresholds{}, 13, 2, true},
		{"NaN baseline", server, 100, math.NaN(), true},
		{"NaN count", server, math.NaN(), 1, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, test.th.Spike(test.count, test.baseline))
		})
	}
}

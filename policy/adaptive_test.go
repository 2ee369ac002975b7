package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
)

func TestAdaptive(t *testing.T) {
	tests := []struct {
		perSecond, want float64
	}{{8, 8}, {0.5, 0.5}, {0, 0}, {-3, 0}}
	for _, test := range tests {
		p := policy.Adaptive(test.perSecond)
		require.NoError(t, p.Validate(), "perSecond %g", test.perSecond)
		assert.Equal(t, test.want, p.TargetPerSecond, "perSecond %g", test.perSecond)
		assert.Equal(t, 5, p.FirstNCount())
		assert.Equal(t, 60.0, p.WindowSeconds)
		assert.Nil(t, p.PatternRates, "no pattern rates: a budget, not fitted to any log")
	}
}

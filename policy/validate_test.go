package policy_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name      string
		p         *policy.Policy
		wantField string // "" means valid
	}{
		{"zero", &policy.Policy{}, ""},
		{"rates at the bounds", &policy.Policy{GlobalRate: new(0.0), SeverityRates: map[string]float64{"DEBUG": 0, "ERROR": 1},
			PatternRates: map[signature.Sig]float64{1: 0, 2: 1}}, ""},
		{"nil", nil, "policy"},
		{"global NaN", &policy.Policy{GlobalRate: new(math.NaN())}, "global_rate"},
		{"global +Inf", &policy.Policy{GlobalRate: new(math.Inf(1))}, "global_rate"},
		{"global negative", &policy.Policy{GlobalRate: new(-0.1)}, "global_rate"},
		{"global above 1", &policy.Policy{GlobalRate: new(1.0000001)}, "global_rate"},
		{"unknown severity", &policy.Policy{SeverityRates: map[string]float64{"TRACE": 0.5}}, "severity_rates[TRACE]"},
		{"lower-case severity", &policy.Policy{SeverityRates: map[string]float64{"info": 0.5}}, "severity_rates[info]"},
		{"severity rate", &policy.Policy{SeverityRates: map[string]float64{"INFO": 2}}, "severity_rates[INFO]"},
		{"severity NaN", &policy.Policy{SeverityRates: map[string]float64{"DEBUG": math.NaN()}}, "severity_rates[DEBUG]"},
		{"first of several bad severities", &policy.Policy{SeverityRates: map[string]float64{"WARNING": -1, "DEBUG": 7}},
			"severity_rates[DEBUG]"},
		{"pattern rate", &policy.Policy{PatternRates: map[signature.Sig]float64{0xabc: -0.5}}, "pattern_rates[0000000000000abc]"},
		{"pattern Inf", &policy.Policy{PatternRates: map[signature.Sig]float64{0xabc: math.Inf(-1)}}, "pattern_rates[0000000000000abc]"},
		{"pattern map", &policy.Policy{PatternMap: map[signature.Sig]signature.Sig{1: 9, 2: 9, 9: 9}}, ""},
		{"pattern map chain", &policy.Policy{PatternMap: map[signature.Sig]signature.Sig{1: 2, 2: 3}}, "pattern_map[0000000000000001]"},
		{"boost below 1", &policy.Policy{AnomalyBoost: 0.5}, "anomaly_boost"},
		{"boost NaN", &policy.Policy{AnomalyBoost: math.NaN()}, "anomaly_boost"},
		{"boost ok", &policy.Policy{AnomalyBoost: 3}, ""},
		{"valve ceiling ok", &policy.Policy{AnomalyMaxPerSecond: 50}, ""},
		{"valve ceiling negative", &policy.Policy{AnomalyMaxPerSecond: -1}, "anomaly_max_per_second"},
		{"valve ceiling NaN", &policy.Policy{AnomalyMaxPerSecond: math.NaN()}, "anomaly_max_per_second"},
		{"valve ceiling Inf", &policy.Policy{AnomalyMaxPerSecond: math.Inf(1)}, "anomaly_max_per_second"},
		{"first_n negative", &policy.Policy{FirstN: new(-1)}, "first_n"},
		{"window too short", &policy.Policy{WindowSeconds: 0.0001}, "window_seconds"},
		{"window too long", &policy.Policy{WindowSeconds: 90000}, "window_seconds"},
		{"window negative", &policy.Policy{WindowSeconds: -1}, "window_seconds"},
		{"window NaN", &policy.Policy{WindowSeconds: math.NaN()}, "window_seconds"},
		{"exempt level", &policy.Policy{Exempt: &policy.Exemptions{Levels: []string{"ERROR", "FATAL"}}}, "exempt.levels[1]"},
		{"exempt empty key", &policy.Policy{Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "a"}, {Value: "v"}}}}, "exempt.attrs[1].key"},
		{"exempt too many", &policy.Policy{Exempt: &policy.Exemptions{Attrs: make([]policy.AttrMatch, policy.MaxAttrMatches+1)}}, "exempt.attrs"},
		{"target negative", &policy.Policy{TargetPerSecond: -5}, "target_per_second"},
		{"target Inf", &policy.Policy{TargetPerSecond: math.Inf(1)}, "target_per_second"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			err := test.p.Validate()
			if test.wantField == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
			var ve *policy.ValidationError
			require.True(t, errors.As(err, &ve), "error %v is not a *ValidationError", err)
			assert.Equal(t, test.wantField, ve.Field)
			assert.Contains(t, err.Error(), "policy: invalid "+test.wantField+": ")
		})
	}
}

func TestValidateTooManyPatterns(t *testing.T) {
	p := &policy.Policy{PatternRates: make(map[signature.Sig]float64, policy.MaxPatternRates+1)}
	for i := range policy.MaxPatternRates + 1 {
		p.PatternRates[signature.Sig(i)] = 0.5
	}
	var ve *policy.ValidationError
	require.ErrorAs(t, p.Validate(), &ve)
	assert.Equal(t, "pattern_rates", ve.Field)
	delete(p.PatternRates, 0)
	assert.NoError(t, p.Validate(), "exactly MaxPatternRates entries are allowed")
}

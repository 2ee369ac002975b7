package policy_test

import (
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestSeverityOf(t *testing.T) {
	tests := []struct {
		level slog.Level
		want  string
		index int
	}{
		{slog.LevelDebug - 4, "DEBUG", 0},
		{slog.LevelDebug, "DEBUG", 0},
		{slog.LevelInfo - 1, "DEBUG", 0},
		{slog.LevelInfo, "INFO", 1},
		{slog.LevelInfo + 2, "INFO", 1},
		{slog.LevelWarn, "WARNING", 2},
		{slog.LevelError - 1, "WARNING", 2},
		{slog.LevelError, "ERROR", 3},
		{slog.LevelError + 3, "ERROR", 3},
		{slog.LevelError + 4, "CRITICAL", 4}, // OTel FATAL (21) maps to 12
		{slog.Level(100), "CRITICAL", 4},
	}
	for _, test := range tests {
		t.Run(test.level.String(), func(t *testing.T) {
			assert.Equal(t, test.want, policy.SeverityOf(test.level))
			assert.Equal(t, test.index, policy.SeverityIndex(test.level))
			assert.Equal(t, test.want, policy.SeverityName(test.index))
			assert.Equal(t, test.index, policy.ParseSeverity(test.want))
		})
	}
	assert.Equal(t, "", policy.SeverityName(5))
	assert.Equal(t, "", policy.SeverityName(-1))
	assert.Equal(t, -1, policy.ParseSeverity("warning"), "names are case-sensitive")
	assert.Equal(t, -1, policy.ParseSeverity("WARN"))
}

func TestPolicyDefaults(t *testing.T) {
	var p policy.Policy
	assert.InDelta(t, 1.0, p.Global(), 0, "absent global rate")
	assert.Equal(t, 10, p.FirstNCount())
	assert.Equal(t, 10*time.Second, p.Window())
	assert.InDelta(t, 1000.0, p.AnomalyCeiling(), 0, "absent valve ceiling")
	require.NoError(t, p.Validate(), "the zero policy is valid")

	p = policy.Policy{GlobalRate: new(0.0), FirstN: new(0), WindowSeconds: 2.5}
	assert.InDelta(t, 0.0, p.Global(), 0, "explicit 0 is kept")
	assert.Equal(t, 0, p.FirstNCount(), "explicit 0 turns first-N off")
	assert.Equal(t, 2500*time.Millisecond, p.Window())
	p.AnomalyMaxPerSecond = 20
	assert.InDelta(t, 20.0, p.AnomalyCeiling(), 0, "explicit valve ceiling")
}

func TestClone(t *testing.T) {
	sig := signature.Sig(0xab)
	p := &policy.Policy{
		GlobalRate:    new(0.5),
		FirstN:        new(3),
		SeverityRates: map[string]float64{"INFO": 0.1},
		PatternRates:  map[signature.Sig]float64{sig: 0.2},
		PatternMap:    map[signature.Sig]signature.Sig{1: sig},
		Exempt:        &policy.Exemptions{Levels: []string{"WARNING"}, Attrs: []policy.AttrMatch{{Key: "k"}}},
	}
	c := p.Clone()
	require.Equal(t, p, c)
	*c.GlobalRate = 0.9
	*c.FirstN = 9
	c.SeverityRates["INFO"] = 0.9
	c.PatternRates[sig] = 0.9
	c.PatternMap[1] = 7
	c.Exempt.Levels[0] = "DEBUG"
	c.Exempt.Attrs[0].Key = "x"
	assert.InDelta(t, 0.5, *p.GlobalRate, 0)
	assert.Equal(t, 3, *p.FirstN)
	assert.InDelta(t, 0.1, p.SeverityRates["INFO"], 0)
	assert.InDelta(t, 0.2, p.PatternRates[sig], 0)
	assert.Equal(t, sig, p.PatternMap[1])
	assert.Equal(t, "WARNING", p.Exempt.Levels[0])
	assert.Equal(t, "k", p.Exempt.Attrs[0].Key)
	assert.Nil(t, (*policy.Policy)(nil).Clone())
}

func TestBuiltins(t *testing.T) {
	tests := []struct {
		name       string
		p          *policy.Policy
		wantGlobal float64
		wantFirstN int
		wantSev    map[string]float64
	}{
		{"default", policy.Default(), 1, 10, nil},
		{"keep-all", policy.KeepAll(), 1, 0, nil},
		{"uniform", policy.Uniform(0.1), 0.1, 0,
			map[string]float64{"DEBUG": 0.1, "INFO": 0.1, "WARNING": 0.1, "ERROR": 0.1, "CRITICAL": 0.1}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			require.NoError(t, test.p.Validate())
			assert.InDelta(t, test.wantGlobal, test.p.Global(), 0)
			assert.Equal(t, test.wantFirstN, test.p.FirstNCount())
			assert.Equal(t, test.wantSev, test.p.SeverityRates)
			assert.Zero(t, test.p.TargetPerSecond)
			assert.False(t, test.p.DryRun)
			assert.NotEmpty(t, test.p.GeneratedBy)
		})
	}
	assert.Error(t, policy.Uniform(1.5).Validate())
}

func TestPatternMapJSON(t *testing.T) {
	var p policy.Policy
	require.NoError(t, json.Unmarshal([]byte(`{"pattern_map":{"00000000000000ab":"00000000000000cd"}}`), &p))
	assert.Equal(t, map[signature.Sig]signature.Sig{0xab: 0xcd}, p.PatternMap)
	b, err := json.Marshal(&policy.Policy{PatternMap: map[signature.Sig]signature.Sig{1: 2}})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"pattern_map":{"0000000000000001":"0000000000000002"}`)
}

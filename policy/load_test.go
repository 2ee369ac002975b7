package policy_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestLoadServerDocument(t *testing.T) {
	p, err := policy.Load(filepath.Join("testdata", "server.json"))
	require.NoError(t, err)
	want := &policy.Policy{
		Version:       42,
		GlobalRate:    new(0.2),
		SeverityRates: map[string]float64{"DEBUG": 0.01, "INFO": 0.1, "WARNING": 0.5, "ERROR": 1.0, "CRITICAL": 1.0},
		PatternRates:  map[signature.Sig]float64{0x9f2c1a7e0b3d4c55: 0.05, 0xab: 1.0},
		AnomalyBoost:  2,
		Reasoning:     "health checks are 80% of volume; keep errors",
		GeneratedBy:   "lipservice-server",
		LLMModel:      "none",
	}
	assert.Equal(t, want, p, "unknown top-level fields (id, service_name, team_id, created_at) are ignored")
	assert.Equal(t, 10, p.FirstNCount(), "extensions absent: defaults")
}

func TestLoadExtensions(t *testing.T) {
	p, err := policy.Load(filepath.Join("testdata", "extensions.json"))
	require.NoError(t, err)
	want := &policy.Policy{
		Version:         1,
		GlobalRate:      new(0.5),
		FirstN:          new(5),
		WindowSeconds:   30,
		Exempt:          &policy.Exemptions{Levels: []string{"WARNING"}, Attrs: []policy.AttrMatch{{Key: "audit"}, {Key: "tenant", Value: "vip"}}},
		TargetPerSecond: 100,
		DryRun:          true,
	}
	assert.Equal(t, want, p)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		doc       string
		wantErr   bool
		wantField string // for a *ValidationError
		check     func(t *testing.T, p *policy.Policy)
	}{
		{name: "empty object", doc: `{}`, check: func(t *testing.T, p *policy.Policy) {
			assert.Equal(t, &policy.Policy{}, p)
		}},
		{name: "explicit zero global", doc: `{"global_rate": 0}`, check: func(t *testing.T, p *policy.Policy) {
			require.NotNil(t, p.GlobalRate)
			assert.InDelta(t, 0, p.Global(), 0)
		}},
		{name: "null global", doc: `{"global_rate": null}`, check: func(t *testing.T, p *policy.Policy) {
			assert.Nil(t, p.GlobalRate)
		}},
		{name: "upper-case hex key", doc: `{"pattern_rates": {"00000000000000AB": 0.5}}`, check: func(t *testing.T, p *policy.Policy) {
			assert.Equal(t, map[signature.Sig]float64{0xab: 0.5}, p.PatternRates)
		}},
		{name: "null exempt", doc: `{"exempt": null}`, check: func(t *testing.T, p *policy.Policy) {
			assert.Nil(t, p.Exempt)
		}},
		{name: "syntax", doc: `{"global_rate": }`, wantErr: true},
		{name: "not an object", doc: `[1,2]`, wantErr: true},
		{name: "empty", doc: ``, wantErr: true},
		{name: "rate as string", doc: `{"global_rate": "0.5"}`, wantErr: true},
		{name: "rate out of range", doc: `{"global_rate": 1.5}`, wantErr: true, wantField: "global_rate"},
		{name: "short key", doc: `{"pattern_rates": {"abc": 0.5}}`, wantErr: true, wantField: "pattern_rates[abc]"},
		{name: "non-hex key", doc: `{"pattern_rates": {"zzzzzzzzzzzzzzzz": 0.5}}`, wantErr: true, wantField: "pattern_rates[zzzzzzzzzzzzzzzz]"},
		{name: "unknown severity", doc: `{"severity_rates": {"NOTICE": 0.5}}`, wantErr: true, wantField: "severity_rates[NOTICE]"},
		{name: "unknown exempt field", doc: `{"exempt": {"level": ["ERROR"]}}`, wantErr: true, wantField: "exempt"},
		{name: "unknown attr match field", doc: `{"exempt": {"attrs": [{"key": "a", "val": "b"}]}}`, wantErr: true, wantField: "exempt"},
		{name: "negative first_n", doc: `{"first_n": -3}`, wantErr: true, wantField: "first_n"},
		{name: "misspelled: dropped letter", doc: `{"global_rat": 0.5}`, wantErr: true, wantField: "global_rat"},
		{name: "misspelled: transposition", doc: `{"severtiy_rates": {"INFO": 0.5}}`, wantErr: true, wantField: "severtiy_rates"},
		{name: "misspelled: camel case", doc: `{"targetPerSecond": 50}`, wantErr: true, wantField: "targetPerSecond"},
		{name: "misspelled: dashes", doc: `{"first-n": 3}`, wantErr: true, wantField: "first-n"},
		{name: "misspelled: short name, one edit", doc: `{"exemt": {}}`, wantErr: true, wantField: "exemt"},
		{name: "metadata keys are not misspellings", doc: `{"id": 1, "team_id": 2, "service_name": "s", "created_at": "x", "updated_at": "y", "description": "d"}`, check: func(t *testing.T, p *policy.Policy) {
			assert.Equal(t, &policy.Policy{}, p)
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			p, err := policy.Parse([]byte(test.doc))
			if !test.wantErr {
				require.NoError(t, err)
				test.check(t, p)
				return
			}
			require.Error(t, err)
			assert.Nil(t, p)
			assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
			var ve *policy.ValidationError
			if test.wantField != "" {
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, test.wantField, ve.Field)
			} else {
				assert.False(t, errors.As(err, &ve), "a decoding error is not a ValidationError: %v", err)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"server.json", "extensions.json"} {
		t.Run(name, func(t *testing.T) {
			p, err := policy.Load(filepath.Join("testdata", name))
			require.NoError(t, err)
			data, err := json.Marshal(p)
			require.NoError(t, err)
			q, err := policy.Parse(data)
			require.NoError(t, err, "re-parsing %s", data)
			assert.Equal(t, p, q)
		})
	}
	data, err := json.Marshal(&policy.Policy{PatternRates: map[signature.Sig]float64{0xab: 0.5}})
	require.NoError(t, err)
	assert.Equal(t, `{"version":0,"pattern_rates":{"00000000000000ab":0.5}}`, string(data))
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := policy.Load(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.NotErrorIs(t, err, policy.ErrInvalidPolicy, "I/O errors are not invalid policies")

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"global_rate": 2}`), 0o600))
	_, err = policy.Load(bad)
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	assert.Contains(t, err.Error(), bad)

	big := filepath.Join(dir, "big.json")
	doc := `{"reasoning": "` + strings.Repeat("x", policy.MaxDocumentBytes) + `"}`
	require.NoError(t, os.WriteFile(big, []byte(doc), 0o600))
	_, err = policy.Load(big)
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "larger than")
}

func TestParse_misspelledFieldMessage(t *testing.T) {
	_, err := policy.Parse([]byte(`{"global_rat": 0.5}`))
	require.Error(t, err)
	assert.Equal(t, `policy: invalid global_rat: unknown field (did you mean "global_rate"?)`, err.Error())
}

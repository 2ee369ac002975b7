package lipserviceprocessor_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

func TestConfig_default(t *testing.T) {
	cfg := defaultConfig()
	require.NoError(t, componenttest.CheckConfigStruct(cfg))
	require.NoError(t, cfg.Validate())
	assert.True(t, cfg.Anomaly, "the anomaly valve is on by default")
	assert.Equal(t, "sample_rate", cfg.RateAttribute)
	assert.Equal(t, lipserviceprocessor.DefaultMaxServices, cfg.MaxServices)
}

func TestConfig_Validate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"global_rate": 0.2}`), 0o600))
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"global_rate": 2}`), 0o600))

	tests := []struct {
		name    string
		mod     func(*lipserviceprocessor.Config)
		wantErr []string // substrings of the error; none means valid
	}{
		{"default", func(*lipserviceprocessor.Config) {}, nil},
		{"inline policy", func(c *lipserviceprocessor.Config) {
			c.Policy = map[string]any{"global_rate": 0.1, "severity_rates": map[string]any{"DEBUG": 0.01}}
		}, nil},
		{"policy file", func(c *lipserviceprocessor.Config) { c.PolicyFile = good }, nil},
		{"server", func(c *lipserviceprocessor.Config) {
			c.Server.Endpoint, c.Server.TeamID, c.Server.APIKey = "https://ls.example:8000", 3, "k"
			c.Server.SyncInterval = time.Minute
		}, nil},
		{"max_services 0", func(c *lipserviceprocessor.Config) { c.MaxServices = 0 }, []string{"max_services must be between 1 and 4096, got 0"}},
		{"max_services huge", func(c *lipserviceprocessor.Config) { c.MaxServices = 1 << 20 }, []string{"max_services must be between"}},
		{"both policies", func(c *lipserviceprocessor.Config) {
			c.PolicyFile, c.Policy = good, map[string]any{"global_rate": 0.1}
		}, []string{"policy_file and policy are mutually exclusive"}},
		{"invalid inline rate", func(c *lipserviceprocessor.Config) { c.Policy = map[string]any{"global_rate": 1.5} }, []string{"policy:", "global_rate"}},
		{"unknown inline field", func(c *lipserviceprocessor.Config) { c.Policy = map[string]any{"globl_rate": 0.1} }, []string{`policy: unknown field "globl_rate"`}},
		{"unknown severity", func(c *lipserviceprocessor.Config) {
			c.Policy = map[string]any{"severity_rates": map[string]any{"VERBOSE": 0.1}}
		}, []string{"policy:", "VERBOSE"}},
		{"missing policy file", func(c *lipserviceprocessor.Config) { c.PolicyFile = filepath.Join(dir, "nope.json") }, []string{"policy_file:", "nope.json"}},
		{"invalid policy file", func(c *lipserviceprocessor.Config) { c.PolicyFile = bad }, []string{"policy_file:", "global_rate"}},
		{"endpoint without scheme", func(c *lipserviceprocessor.Config) { c.Server.Endpoint = "lipservice:8000" }, []string{"server.endpoint must be an http or https URL"}},
		{"endpoint ftp", func(c *lipserviceprocessor.Config) { c.Server.Endpoint = "ftp://x" }, []string{"server.endpoint must be an http or https URL"}},
		{"negative team", func(c *lipserviceprocessor.Config) {
			c.Server.Endpoint, c.Server.TeamID = "http://x", -1
		}, []string{"server.team_id must not be negative"}},
		{"negative interval and timeout", func(c *lipserviceprocessor.Config) {
			c.Server.Endpoint, c.Server.SyncInterval, c.Server.Timeout = "http://x", -time.Second, -time.Second
		}, []string{"server.sync_interval must not be negative", "server.timeout must not be negative"}},
		{"key without endpoint", func(c *lipserviceprocessor.Config) { c.Server.APIKey = "k" }, []string{"server.api_key and server.team_id need server.endpoint"}},
		{"several errors joined", func(c *lipserviceprocessor.Config) {
			c.MaxServices, c.Server.Endpoint = -1, "nope"
		}, []string{"max_services", "server.endpoint"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			cfg := defaultConfig()
			test.mod(cfg)
			err := cfg.Validate()
			if len(test.wantErr) == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, s := range test.wantErr {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestConfig_load(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	procs, err := cm.Sub("processors")
	require.NoError(t, err)

	tests := []struct {
		id   string
		want func(*lipserviceprocessor.Config)
	}{
		{"lipservice", func(c *lipserviceprocessor.Config) {
			c.Server.Endpoint, c.Server.TeamID = "http://lipservice:8000", 1
			c.Server.APIKey = "${env:LIPSERVICE_API_KEY}" // confmaptest does not resolve
			c.Server.SyncInterval = time.Minute
			c.Policy = map[string]any{"global_rate": 0.1}
		}},
		{"lipservice/static", func(c *lipserviceprocessor.Config) {
			c.Policy = map[string]any{
				"global_rate":    0.1,
				"severity_rates": map[string]any{"DEBUG": 0.01, "WARNING": 1},
				"first_n":        10,
				"exempt":         map[string]any{"levels": []any{"WARNING"}},
			}
		}},
	}
	for _, test := range tests {
		t.Run(test.id, func(t *testing.T) {
			sub, err := procs.Sub(test.id)
			require.NoError(t, err)
			got := defaultConfig()
			require.NoError(t, sub.Unmarshal(got, confmap.WithIgnoreUnused()))
			require.NoError(t, got.Validate())
			want := defaultConfig()
			test.want(want)
			assert.Equal(t, want, got)
		})
	}
}

package lipserviceprocessor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/srex-dev/lipservice-go/policy"
)

// Defaults of [Config], as set by the factory's CreateDefaultConfig.
const (
	// DefaultRateAttribute is the attribute key under which a kept, sampled
	// record carries its weight 1/rate (the key otelx and slogx use).
	DefaultRateAttribute = "sample_rate"
	// DefaultMaxServices is the default cap on per-service samplers.
	DefaultMaxServices = 32
	// UnknownService is the service name of records whose resource has no
	// service.name attribute (the OpenTelemetry convention).
	UnknownService = "unknown_service"
)

// maxServicesLimit bounds max_services: each service holds a sampler and an
// anomaly detector of fixed size (about 2 MB at the defaults), so a larger
// cap is a configuration mistake rather than a need.
const maxServicesLimit = 4096

// Config is the configuration of the lipservice processor. The zero Config
// is valid and samples with the library's default policy; the factory's
// default also turns the anomaly valve on and sets the rate attribute.
type Config struct {
	// MessageAttribute names the log record attribute whose string value
	// is the message. Empty (the default) means the body, when it is a
	// string; a record with no string message is sampled with the empty
	// message.
	MessageAttribute string `mapstructure:"message_attribute"`

	// RateAttribute is the key of the float64 attribute set to 1/rate on
	// a kept record whose effective rate is below 1. Empty disables it.
	RateAttribute string `mapstructure:"rate_attribute"`

	// MaxServices caps the number of per-service samplers (and policy
	// clients); the records of further services share one overflow
	// sampler. Must be between 1 and 4096.
	MaxServices int `mapstructure:"max_services"`

	// Anomaly turns the anomaly valve on (the default): while a record's
	// pattern has an active anomaly it is kept at rate 1 (or at the
	// policy's anomaly_boost).
	Anomaly bool `mapstructure:"anomaly"`

	// PolicyFile is the path of a policy JSON document (the server's wire
	// format) used as the static policy. Exclusive with Policy.
	PolicyFile string `mapstructure:"policy_file"`

	// Policy is an inline policy: the fields of the policy JSON document
	// (global_rate, severity_rates, pattern_rates, first_n, exempt, ...).
	// Exclusive with PolicyFile.
	Policy map[string]any `mapstructure:"policy"`

	// Server, when its endpoint is set, makes every per-service sampler
	// sync its policy from a LipService server. The static policy, if any,
	// is in force until the server's first policy arrives, and is the
	// overflow sampler's policy.
	Server ServerConfig `mapstructure:"server"`

	_ struct{} // prevent unkeyed literals
}

// ServerConfig is the connection to a LipService server (see
// client.New in policy/client).
type ServerConfig struct {
	// Endpoint is the server's base URL, for example
	// "http://lipservice:8000". Empty means no server.
	Endpoint string `mapstructure:"endpoint"`
	// TeamID is sent with every request; zero lets the server use the
	// API key's team.
	TeamID int64 `mapstructure:"team_id"`
	// APIKey authenticates the requests.
	APIKey configopaque.String `mapstructure:"api_key"`
	// SyncInterval is the policy sync period; zero means the client's
	// default (60 s).
	SyncInterval time.Duration `mapstructure:"sync_interval"`
	// Timeout bounds each request; zero means the client's default.
	Timeout time.Duration `mapstructure:"timeout"`
}

var _ component.Config = (*Config)(nil)

// Validate checks cfg and returns every problem found, joined. A policy is
// decoded and validated with policy.Parse (or policy.Load), so a policy that
// the sampler would refuse is refused at startup.
func (cfg *Config) Validate() error {
	var errs []error
	if cfg.MaxServices < 1 || cfg.MaxServices > maxServicesLimit {
		errs = append(errs, fmt.Errorf("max_services must be between 1 and %d, got %d", maxServicesLimit, cfg.MaxServices))
	}
	if _, err := cfg.staticPolicy(); err != nil {
		errs = append(errs, err)
	}
	if s := cfg.Server; s.Endpoint != "" {
		u, err := url.Parse(s.Endpoint)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("server.endpoint: %w", err))
		case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("server.endpoint must be an http or https URL with a host, got %q", s.Endpoint))
		}
		if s.TeamID < 0 {
			errs = append(errs, fmt.Errorf("server.team_id must not be negative, got %d", s.TeamID))
		}
		if s.SyncInterval < 0 {
			errs = append(errs, fmt.Errorf("server.sync_interval must not be negative, got %v", s.SyncInterval))
		}
		if s.Timeout < 0 {
			errs = append(errs, fmt.Errorf("server.timeout must not be negative, got %v", s.Timeout))
		}
	} else if cfg.Server.APIKey != "" || cfg.Server.TeamID != 0 {
		errs = append(errs, errors.New("server.api_key and server.team_id need server.endpoint"))
	}
	return errors.Join(errs...)
}

// staticPolicy returns the configured static policy, or nil when there is
// none.
func (cfg *Config) staticPolicy() (*policy.Policy, error) {
	switch {
	case cfg.PolicyFile != "" && len(cfg.Policy) > 0:
		return nil, errors.New("policy_file and policy are mutually exclusive")
	case cfg.PolicyFile != "":
		p, err := policy.Load(cfg.PolicyFile)
		if err != nil {
			return nil, fmt.Errorf("policy_file: %w", err)
		}
		return p, nil
	case len(cfg.Policy) > 0:
		// policy.Parse ignores unknown top-level fields (so that a newer
		// server can add metadata); in a hand-written config an unknown
		// field is a typo, so it is refused here.
		for k := range cfg.Policy {
			if !policyFields[k] {
				return nil, fmt.Errorf("policy: unknown field %q", k)
			}
		}
		data, err := json.Marshal(cfg.Policy)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		p, err := policy.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		return p, nil
	}
	return nil, nil
}

// policyFields is the set of JSON field names of policy.Policy.
var policyFields = func() map[string]bool {
	m := make(map[string]bool)
	t := reflect.TypeFor[policy.Policy]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

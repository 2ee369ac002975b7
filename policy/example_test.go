package policy_test

import (
	"errors"
	"fmt"

	"github.com/srex-dev/lipservice-go/policy"
)

// A policy as a LipService server serves it, with one extension.
func Example() {
	p, err := policy.Parse([]byte(`{
		"version": 7,
		"global_rate": 0.25,
		"severity_rates": {"DEBUG": 0.01, "INFO": 0.1},
		"pattern_rates": {"9f2c1a7e0b3d4c55": 0.001},
		"anomaly_boost": 4,
		"first_n": 20
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("version:", p.Version)
	fmt.Println("global:", p.Global())
	fmt.Println("INFO:", p.SeverityRates[policy.SeverityInfo])
	fmt.Println("first N per window:", p.FirstNCount(), "per", p.Window())
	// Output:
	// version: 7
	// global: 0.25
	// INFO: 0.1
	// first N per window: 20 per 10s
}

// A rejected policy names the offending field.
func ExampleValidationError() {
	_, err := policy.Parse([]byte(`{"severity_rates": {"INFO": 1.5}}`))
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("field:", ve.Field)
	}
	fmt.Println(errors.Is(err, policy.ErrInvalidPolicy))
	fmt.Println(err)
	// Output:
	// field: severity_rates[INFO]
	// true
	// policy: invalid severity_rates[INFO]: rate 1.5 outside [0, 1]
}

// Uniform(0.1) keeps 10 % of every record, errors included, with no first-N.
func ExampleUniform() {
	p := policy.Uniform(0.1)
	fmt.Println(p.Global(), p.SeverityRates[policy.SeverityError], p.FirstNCount())
	// Output:
	// 0.1 0.1 0
}

func ExampleSeverityOf() {
	fmt.Println(policy.SeverityOf(-4), policy.SeverityOf(0), policy.SeverityOf(4), policy.SeverityOf(8), policy.SeverityOf(12))
	// Output:
	// DEBUG INFO WARNING ERROR CRITICAL
}

// Loading a policy file as the server serves it; unknown top-level fields
// (here id, service_name, team_id and created_at) are ignored.
func ExampleLoad() {
	p, err := policy.Load("testdata/server.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Version, p.Global(), p.SeverityRates[policy.SeverityDebug], len(p.PatternRates), p.AnomalyBoost)
	// Output:
	// 42 0.2 0.01 2 2
}

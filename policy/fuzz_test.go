package policy_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
)

// FuzzParse checks that Parse never panics, that an accepted document is
// valid, that every rejection matches ErrInvalidPolicy, and that an accepted
// policy survives a Marshal/Parse round trip unchanged.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"server.json", "extensions.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, doc := range []string{
		`{}`, `null`, `[]`, `{"global_rate": 0}`, `{"global_rate": 1e400}`, `{"global_rate": -0}`,
		`{"severity_rates": {"INFO": 0.5, "TRACE": 1}}`, `{"pattern_rates": {"00000000000000AB": 0.5}}`,
		`{"pattern_rates": {"abc": 0.5}}`, `{"exempt": {"levels": ["ERROR"], "attrs": [{"key": "a"}]}}`,
		`{"exempt": {"bogus": 1}}`, `{"exempt": 5}`, `{"first_n": 1e3}`, `{"window_seconds": 1e-9}`,
		`{"anomaly_boost": 0.5}`, `{"version": 9223372036854775807, "dry_run": true}`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policy.Parse(data)
		if err != nil {
			if !errors.Is(err, policy.ErrInvalidPolicy) {
				t.Fatalf("Parse(%q) error %v does not match ErrInvalidPolicy", data, err)
			}
			if p != nil {
				t.Fatalf("Parse(%q) returned a policy with error %v", data, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse(%q) accepted an invalid policy: %v", data, err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		q, err := policy.Parse(out)
		if err != nil {
			t.Fatalf("re-Parse(%s): %v", out, err)
		}
		out2, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if string(out) != string(out2) {
			t.Fatalf("round trip changed the policy:\n%s\n%s", out, out2)
		}
	})
}

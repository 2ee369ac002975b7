package policy_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestSignatureVersion checks that a policy made for another signature
// version is rejected by name, and that an unstated or matching one passes.
func TestSignatureVersion(t *testing.T) {
	tests := []struct {
		name    string
		version int
		ok      bool
	}{
		{"unstated", 0, true},
		{"this version", signature.Version, true},
		{"older", signature.Version - 1, false},
		{"newer", signature.Version + 1, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			doc := `{"global_rate": 0.5, "signature_version": ` + strconv.Itoa(test.version) + `}`
			p, err := policy.Parse([]byte(doc))
			if test.ok {
				require.NoError(t, err)
				assert.Equal(t, test.version, p.SignatureVersion, "decoded")
				assert.Equal(t, test.version, p.Clone().SignatureVersion, "cloned")
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
			var ve *policy.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, "signature_version", ve.Field)
			assert.Error(t, (&policy.Policy{SignatureVersion: test.version}).Validate(), "Validate on a built policy")
		})
	}
}

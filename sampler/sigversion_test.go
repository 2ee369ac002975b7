package sampler_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestSetPolicy_signatureVersion checks that the sampler refuses a policy
// made for another signature version (its pattern keys would match no
// record) and keeps the policy in force.
func TestSetPolicy_signatureVersion(t *testing.T) {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{Version: 1, SignatureVersion: signature.Version}))
	require.NoError(t, err)
	err = s.SetPolicy(&policy.Policy{Version: 2, SignatureVersion: signature.Version + 1})
	require.Error(t, err, "another signature version is refused")
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	assert.Equal(t, int64(1), s.Policy().Version, "the policy in force stays")
	require.NoError(t, s.SetPolicy(&policy.Policy{Version: 3}), "an unstated version is accepted")
	assert.Equal(t, int64(3), s.Policy().Version)
}

package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestSignatureVersion checks that the signature algorithm version travels
// with stats and policies: a report of another version is refused (never
// stored as patterns that match nothing), an unstated one (an older SDK) is
// accepted, and the generated policy the server stores and serves states
// the server's version.
func TestSignatureVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		tests := []struct {
			name    string
			version int
			want    int
		}{
			{"same version", signature.Version, http.StatusAccepted},
			{"unstated", 0, http.StatusAccepted},
			{"older version", signature.Version - 1, http.StatusConflict},
			{"newer version", signature.Version + 1, http.StatusConflict},
		}
		for i, test := range tests {
			rep := report("api", 1, t0.Add(time.Duration(i)*time.Minute), 100000, 1000, 10)
			rep.SignatureVersion = test.version
			code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, rep)
			assert.Equal(t, test.want, code, "%s: %s", test.name, body)
			if test.want == http.StatusConflict {
				assert.Contains(t, errMsg(t, body), "signature_version", test.name)
			}
		}
		e.clk.t = t0.Add(3 * time.Minute)
		code, _, body := e.do("POST", "/api/v1/policies/api/generate", e.k1, map[string]any{"keep_fraction": 0.01})
		require.Equal(t, http.StatusCreated, code, "%s", body)
		code, _, body = e.do("GET", "/api/v1/policies/api?team_id=1", e.k1, nil)
		require.Equal(t, http.StatusOK, code, "%s", body)
		var wire struct {
			SignatureVersion int `json:"signature_version"`
		}
		require.NoError(t, json.Unmarshal(body, &wire))
		assert.Equal(t, signature.Version, wire.SignatureVersion, "the served policy states its signature version")
		p, err := policy.Parse(body)
		require.NoError(t, err)
		assert.Equal(t, signature.Version, p.SignatureVersion)
	})
}

package client_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestClient_signatureVersion checks that the client states its signature
// version in stats reports and refuses (counts as Rejected) a policy made
// for another version, keeping the one in force.
func TestClient_signatureVersion(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	f := &fakeServer{}
	f.set(200, doc(1, 0.5), `"v1"`)
	src := &source{}
	c := newTestClient(t, f, client.WithStatsSource(src))
	ctx := context.Background()
	require.NoError(t, c.Sync(ctx))
	require.Equal(t, int64(1), c.Policy().Version)

	other := `{"version":2,"global_rate":1,"signature_version":` + strconv.Itoa(signature.Version+1) + `}`
	f.set(200, other, `"v2"`)
	err := c.Sync(ctx)
	require.Error(t, err, "a policy of another signature version is refused")
	assert.ErrorIs(t, err, policy.ErrInvalidPolicy)
	assert.Equal(t, int64(1), c.Policy().Version, "the policy in force stays")
	assert.Equal(t, uint64(1), c.Stats().Rejected)

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	src.set(policy.PatternStat{Pattern: 1, Template: "a <*>", Seen: 3, Kept: 1, FirstSeen: at, LastSeen: at,
		Levels: policy.LevelCounts{Info: 3}})
	require.NoError(t, c.Report(ctx))
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(t, f.reports)
	var rep policy.StatsReport
	require.NoError(t, json.Unmarshal([]byte(f.reports[len(f.reports)-1]), &rep))
	assert.Equal(t, signature.Version, rep.SignatureVersion, "the report states the signature version")
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

func TestServicesAwaitingPolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		now := t0
		s := storetest.Open(t, b, store.Options{Now: func() time.Time { return now }})
		post := func(team int64, service string, at time.Time) int64 {
			t.Helper()
			now = at
			r, err := s.RecordStats(ctx, team, store.Report{Service: service, Time: at, TotalLogs: 1,
				Patterns: []store.PatternCount{{Signature: "00000000000000aa", Template: "a", Count: 1, Sampled: 1}}})
			require.NoError(t, err)
			return r.ServiceID
		}
		post(1, "ready", t0)
		post(2, "ready-team2", t0.Add(30*time.Second))
		withPolicy := post(1, "has-policy", t0)
		_, err := s.AddPolicy(ctx, store.PolicyRecord{ServiceID: withPolicy, Version: 1, Body: []byte(`{}`)})
		require.NoError(t, err)
		post(1, "too-new", t0.Add(90*time.Second))
		post(1, "stale", t0.Add(-3*time.Hour))
		now = t0
		_, err = s.CreateService(ctx, store.Service{TeamID: 1, Name: "no-stats"})
		require.NoError(t, err)

		names := func(ready, since time.Time) []string {
			t.Helper()
			vs, err := s.ServicesAwaitingPolicy(ctx, ready, since)
			require.NoError(t, err)
			out := []string{}
			for _, v := range vs {
				out = append(out, v.Name)
			}
			return out
		}
		ready, since := t0.Add(time.Minute), t0.Add(-time.Hour)
		assert.Equal(t, []string{"ready", "ready-team2"}, names(ready, since),
			"created and first bucket at or before ready, stats since, no policy; all teams")
		assert.Equal(t, []string{"ready"}, names(t0, since), "ready is inclusive; team 2's service was created at 10:00:30")
		assert.Empty(t, names(t0.Add(-time.Second), since), "nothing is ready yet")
		assert.Contains(t, names(t0.Add(2*time.Minute), since), "too-new", "its bucket 10:01 and creation 10:01:30 are before 10:02")
	})
}

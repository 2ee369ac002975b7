package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestRecordStatsBatch records a batch in which one report names a new
// service beyond the team's cap: that report alone is refused with
// ErrLimit, the others are stored with the totals RecordStats gives.
func TestRecordStatsBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow, MaxServicesPerTeam: 2})
		rep := func(service string, count int64) store.Report {
			return store.Report{Service: service, Time: t0, TotalLogs: count, Patterns: []store.PatternCount{
				{Signature: "00000000000000aa", Template: "event <*>", Count: count, Sampled: count},
			}}
		}
		res := s.RecordStatsBatch(ctx, []store.TeamReport{
			{Team: 1, Report: rep("a", 10)},
			{Team: 1, Report: rep("b", 20)},
			{Team: 1, Report: rep("c", 30)}, // a third service: beyond the cap of 2
			{Team: 1, Report: rep("a", 5)},  // the same service again in one batch
			{Team: 2, Report: rep("a", 7)},
		})
		require.Len(t, res, 5)
		for i, want := range []error{nil, nil, store.ErrLimit, nil, nil} {
			if want == nil {
				assert.NoError(t, res[i].Err, "report %d", i)
				assert.Equal(t, 1, res[i].Stored, "report %d", i)
			} else {
				assert.True(t, errors.Is(res[i].Err, want), "report %d: %v", i, res[i].Err)
			}
		}
		for _, c := range []struct {
			team  int64
			name  string
			count int64
		}{{1, "a", 15}, {1, "b", 20}, {2, "a", 7}} {
			v, err := s.Service(ctx, c.team, c.name)
			require.NoError(t, err, "%d/%s", c.team, c.name)
			ps, err := s.Patterns(ctx, v.ID, store.PatternQuery{Since: t0.Add(-1e12)})
			require.NoError(t, err)
			require.Len(t, ps, 1)
			assert.Equal(t, c.count, ps[0].Count, "%d/%s", c.team, c.name)
			assert.Equal(t, res[0].ServiceID == v.ID, c.team == 1 && c.name == "a", "service ids are returned")
		}
		_, err := s.Service(ctx, 1, "c")
		assert.ErrorIs(t, err, store.ErrNotFound, "the refused report wrote nothing")
		assert.Empty(t, s.RecordStatsBatch(ctx, nil))
	})
}

// TestRecordStatsBatch_isolatesFailure puts a report that fails in the
// database (a template that is not UTF-8, which PostgreSQL refuses) in a
// batch: the others are still stored. SQLite stores the bytes.
func TestRecordStatsBatch_isolatesFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow})
		rep := func(service, tmpl string) store.Report {
			return store.Report{Service: service, Time: t0, TotalLogs: 3, Patterns: []store.PatternCount{
				{Signature: "00000000000000aa", Template: tmpl, Count: 3},
			}}
		}
		res := s.RecordStatsBatch(ctx, []store.TeamReport{
			{Team: 1, Report: rep("good1", "ok <*>")},
			{Team: 1, Report: rep("bad", "bad \xff\xfe <*>")},
			{Team: 1, Report: rep("good2", "ok <*>")},
		})
		assert.NoError(t, res[0].Err)
		assert.NoError(t, res[2].Err)
		if b.Name == "postgres" {
			assert.Error(t, res[1].Err, "PostgreSQL refuses invalid UTF-8")
		} else {
			assert.NoError(t, res[1].Err)
		}
		for _, name := range []string{"good1", "good2"} {
			v, err := s.Service(ctx, 1, name)
			require.NoError(t, err, name)
			ps, err := s.Patterns(ctx, v.ID, store.PatternQuery{Since: t0.Add(-1e12)})
			require.NoError(t, err)
			require.Len(t, ps, 1, name)
			assert.Equal(t, int64(3), ps[0].Count, "%s stored once", name)
		}
	})
}

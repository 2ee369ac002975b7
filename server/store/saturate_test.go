package store_test

import (
	"context"
	"database/sql"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

func TestSatAdd(t *testing.T) {
	tests := []struct {
		name string
		a, b int64
		want int64
	}{
		{"small", 2, 3, 5},
		{"zero", 0, 0, 0},
		{"just fits", math.MaxInt64 - 3, 3, math.MaxInt64},
		{"one over", math.MaxInt64 - 3, 4, math.MaxInt64},
		{"max plus max", math.MaxInt64, math.MaxInt64, math.MaxInt64},
		{"max plus zero", math.MaxInt64, 0, math.MaxInt64},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, store.SatAdd(test.a, test.b))
		})
	}
}

// TestRecordStats_saturates records the largest counts again and again, in
// one bucket and in the next, and within one report under one signature:
// every stored total and every window sum stays at MaxCount instead of
// overflowing (into a REAL in SQLite, a failed write in PostgreSQL), and
// small counts stay exact next to them.
func TestRecordStats_saturates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := storetest.Open(t, b, store.Options{Now: fixedNow})
		const maxC = store.MaxCount
		big := store.PatternCount{Signature: "00000000000000aa", Template: "a <*>", Count: maxC, Sampled: maxC,
			FirstSeen: t0, LastSeen: t0,
			Levels: store.Levels{Debug: maxC, Info: maxC, Warning: maxC, Error: maxC, Critical: maxC}}
		small := store.PatternCount{Signature: "00000000000000bb", Template: "b <*>", Count: 7, Sampled: 3,
			FirstSeen: t0, LastSeen: t0, Levels: store.Levels{Error: 2, Info: 5}}
		for i := range 4 {
			at := t0.Add(time.Duration(i%2) * time.Minute) // two buckets
			_, err := s.RecordStats(ctx, 1, store.Report{Service: "api", Time: at, TotalLogs: maxC,
				Patterns: []store.PatternCount{big, big, small}}) // big twice: merged in the report
			require.NoError(t, err, "report %d", i)
		}
		svc, err := s.Service(ctx, 1, "api")
		require.NoError(t, err)
		ps, err := s.Patterns(ctx, svc.ID, store.PatternQuery{Since: t0, RecentSince: t0})
		require.NoError(t, err, "saturated totals read back")
		require.Len(t, ps, 2)
		a, bb := ps[0], ps[1]
		assert.Equal(t, "00000000000000aa", a.Signature)
		assert.Equal(t, store.Levels{Debug: maxC, Info: maxC, Warning: maxC, Error: maxC, Critical: maxC}, a.Levels)
		for name, got := range map[string]int64{"count": a.Count, "sampled": a.Sampled, "window count": a.WindowCount,
			"window sampled": a.WindowSampled, "window errors": a.WindowErrors, "recent count": a.RecentCount} {
			assert.Equal(t, int64(maxC), got, name)
		}
		assert.Equal(t, int64(28), bb.Count, "small counts stay exact")
		assert.Equal(t, int64(12), bb.Sampled)
		assert.Equal(t, int64(28), bb.WindowCount)
		assert.Equal(t, int64(8), bb.WindowErrors)

		vol, err := s.Volume(ctx, svc.ID, t0)
		require.NoError(t, err)
		require.Len(t, vol, 2)
		for _, v := range vol {
			assert.Equal(t, int64(maxC), v.Total, "bucket %v", v.Bucket)
			assert.Equal(t, int64(maxC), v.Kept, "bucket %v", v.Bucket)
			assert.Equal(t, int64(2), v.Reports)
		}
	})
}

// TestOpen_repairsOverflowedTotals: a SQLite database written before sums
// saturated holds REALs above the int64 range where totals overflowed;
// reading them failed. Migration 2 turns them into MaxCount.
func TestOpen_repairsOverflowedTotals(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.SQLiteDSN(t)
	s, err := store.Open(ctx, dsn, store.Options{Now: fixedNow})
	require.NoError(t, err)
	_, err = s.RecordStats(ctx, 1, store.Report{Service: "api", Time: t0, TotalLogs: 10,
		Patterns: []store.PatternCount{{Signature: "00000000000000aa", Template: "a", Count: 10, Sampled: 1}}})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// Put the database back in the state the old code left: version 1
	// (without the tables of the later migrations), with the totals of 5
	// posts of MaxInt64/4 stored as REALs.
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	for _, q := range []string{
		`DELETE FROM schema_migrations WHERE version >= 2`,
		`DROP TABLE dashboard_sessions`, // migration 3
		`UPDATE patterns SET count = 1.15292150460684698e19, n_info = 1.15292150460684698e19`,
		`UPDATE pattern_volume SET count = 1.15292150460684698e19`,
		`UPDATE service_volume SET total = 1.15292150460684698e19`,
	} {
		_, err := db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	var typ string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT typeof(count) FROM patterns`).Scan(&typ))
	require.Equal(t, "real", typ, "the damaged state is reproduced")
	require.NoError(t, db.Close())

	s, err = store.Open(ctx, dsn, store.Options{Now: fixedNow})
	require.NoError(t, err)
	defer s.Close()
	v, err := s.Version(ctx)
	require.NoError(t, err)
	assert.Equal(t, store.SchemaVersion, v)
	svc, err := s.Service(ctx, 1, "api")
	require.NoError(t, err)
	ps, err := s.Patterns(ctx, svc.ID, store.PatternQuery{Since: t0})
	require.NoError(t, err, "repaired totals read back")
	require.Len(t, ps, 1)
	assert.Equal(t, int64(store.MaxCount), ps[0].Count)
	assert.Equal(t, int64(store.MaxCount), ps[0].Levels.Info)
	assert.Equal(t, int64(store.MaxCount), ps[0].WindowCount)
	assert.Equal(t, int64(1), ps[0].Sampled, "values in range are untouched")
	vol, err := s.Volume(ctx, svc.ID, t0)
	require.NoError(t, err)
	require.Len(t, vol, 1)
	assert.Equal(t, int64(store.MaxCount), vol[0].Total)
	assert.Equal(t, int64(1), vol[0].Kept)
}

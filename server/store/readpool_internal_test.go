package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadPool_readsDoNotWaitForWriter holds the SQLite writer connection
// in an open write transaction and checks that the read methods (key check,
// service, latest policy, health ping) still answer: they run on the read
// pool, which WAL lets read the last committed state. With one shared
// connection each of them would block until the deadline.
func TestReadPool_readsDoNotWaitForWriter(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pool.db"), Options{})
	require.NoError(t, err)
	defer s.Close()
	require.NotSame(t, s.db, s.rdb, "SQLite files get a separate read pool")
	key, _, err := s.CreateKey(ctx, 1, "k")
	require.NoError(t, err)
	svc, err := s.CreateService(ctx, Service{TeamID: 1, Name: "api"})
	require.NoError(t, err)
	_, err = s.AddPolicy(ctx, PolicyRecord{ServiceID: svc.ID, Version: 1, Body: []byte(`{}`)})
	require.NoError(t, err)

	tx, err := s.db.BeginTx(ctx, nil) // takes the only writer connection
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE services SET stats_at = 1 WHERE id = ?`, svc.ID)
	require.NoError(t, err)

	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	team, err := s.TeamForKey(rctx, key)
	require.NoError(t, err)
	assert.Equal(t, int64(1), team)
	got, err := s.Service(rctx, 1, "api")
	require.NoError(t, err)
	assert.Zero(t, got.StatsAt, "the uncommitted write is not visible")
	p, err := s.LatestPolicy(rctx, svc.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), p.Version)
	assert.NoError(t, s.Ping(rctx))

	_, err = s.rdb.ExecContext(rctx, `DELETE FROM services`)
	assert.Error(t, err, "the read pool is query-only")
	require.NoError(t, tx.Commit())
	got, err = s.Service(ctx, 1, "api")
	require.NoError(t, err)
	assert.False(t, got.StatsAt.IsZero(), "a read after the commit sees it")
}

package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		now := t0
		s := storetest.Open(t, b, store.Options{Now: func() time.Time { return now }})
		key, k, err := s.CreateKey(ctx, 7, "dash")
		require.NoError(t, err)

		_, _, err = s.CreateSession(ctx, "lsk_wrong", time.Hour)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "unknown key")
		_, _, err = s.CreateSession(ctx, "", time.Hour)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "empty key")

		token, team, err := s.CreateSession(ctx, key, time.Hour)
		require.NoError(t, err)
		assert.Equal(t, int64(7), team)
		assert.True(t, strings.HasPrefix(token, store.SessionPrefix), token)
		assert.Len(t, token, len(store.SessionPrefix)+43, "256 random bits, base64url")
		assert.NotContains(t, token, key[len(store.KeyPrefix):], "the token is not derived from the key")
		other, _, err := s.CreateSession(ctx, key, time.Hour)
		require.NoError(t, err)
		assert.NotEqual(t, token, other, "every login gets its own token")

		got, err := s.SessionTeam(ctx, token)
		require.NoError(t, err)
		assert.Equal(t, int64(7), got)
		_, err = s.SessionTeam(ctx, key)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "the API key is not a session token")
		_, err = s.SessionTeam(ctx, store.HashKey(token))
		assert.ErrorIs(t, err, store.ErrUnauthorized, "the stored hash is not a session token")

		// Expiry: valid until just before ttl, not at it.
		now = t0.Add(time.Hour - time.Millisecond)
		_, err = s.SessionTeam(ctx, token)
		assert.NoError(t, err, "just before expiry")
		now = t0.Add(time.Hour)
		_, err = s.SessionTeam(ctx, token)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "expired")

		// Logout ends one session; ending it again is fine.
		now = t0
		require.NoError(t, s.EndSession(ctx, other))
		require.NoError(t, s.EndSession(ctx, other))
		_, err = s.SessionTeam(ctx, other)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "ended")

		// Revoking the key ends its sessions.
		fresh, _, err := s.CreateSession(ctx, key, time.Hour)
		require.NoError(t, err)
		require.NoError(t, s.RevokeKey(ctx, 7, k.ID))
		_, err = s.SessionTeam(ctx, fresh)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "key revoked")
		_, _, err = s.CreateSession(ctx, key, time.Hour)
		assert.ErrorIs(t, err, store.ErrUnauthorized, "revoked key cannot log in")
	})
}

// TestSessions_bounded: a key holds at most MaxSessionsPerKey sessions (a
// login beyond ends the oldest), and a login deletes expired sessions.
func TestSessions_bounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		now := t0
		s := storetest.Open(t, b, store.Options{Now: func() time.Time { return now }})
		key, _, err := s.CreateKey(ctx, 1, "")
		require.NoError(t, err)
		tokens := make([]string, store.MaxSessionsPerKey+1)
		for i := range tokens {
			tokens[i], _, err = s.CreateSession(ctx, key, time.Hour)
			require.NoError(t, err)
		}
		_, err = s.SessionTeam(ctx, tokens[0])
		assert.ErrorIs(t, err, store.ErrUnauthorized, "the oldest session was ended by the 101st login")
		for i, tok := range tokens[1:] {
			_, err = s.SessionTeam(ctx, tok)
			require.NoError(t, err, "session %d", i+1)
		}
	})
}

// TestSessions_storedHashed reads the SQLite file: the table holds the
// SHA-256 of the token, not the token, and expired rows are deleted by the
// next login.
func TestSessions_storedHashed(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.SQLiteDSN(t)
	now := t0
	s, err := store.Open(ctx, dsn, store.Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	defer s.Close()
	key, _, err := s.CreateKey(ctx, 1, "")
	require.NoError(t, err)
	token, _, err := s.CreateSession(ctx, key, time.Minute)
	require.NoError(t, err)

	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	defer db.Close()
	rows := func() []string {
		t.Helper()
		r, err := db.QueryContext(ctx, `SELECT token_hash FROM dashboard_sessions ORDER BY id`)
		require.NoError(t, err)
		defer r.Close()
		var out []string
		for r.Next() {
			var h string
			require.NoError(t, r.Scan(&h))
			out = append(out, h)
		}
		require.NoError(t, r.Err())
		return out
	}
	assert.Equal(t, []string{store.HashKey(token)}, rows(), "only the hash is stored")

	now = t0.Add(2 * time.Minute)
	next, _, err := s.CreateSession(ctx, key, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, []string{store.HashKey(next)}, rows(), "the expired session was deleted at the next login")
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// SessionPrefix starts every dashboard session token.
const SessionPrefix = "lss_"

// MaxSessionsPerKey bounds the dashboard sessions of one API key: a login
// beyond it ends the key's oldest session. Expired sessions are deleted at
// every login, so the table holds at most MaxSessionsPerKey live rows per
// key plus the rows that expired since the last login.
const MaxSessionsPerKey = 100

// CreateSession logs in to the dashboard with an API key: it stores a new
// session that ends after ttl and returns its token and the key's team.
// The token is a 256-bit random string; only its SHA-256 hash is stored
// (see [HashKey]), so the database cannot give it back. A session lives no
// longer than its key: revoking the key ends it. It returns
// [ErrUnauthorized] for an unknown or revoked key.
func (s *Store) CreateSession(ctx context.Context, key string, ttl time.Duration) (token string, team int64, err error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", 0, fmt.Errorf("store: create session: %w", err)
	}
	token = SessionPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.nowMillis()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", 0, fmt.Errorf("store: create session: %w", err)
	}
	defer tx.Rollback()
	var keyID, revoked int64
	err = tx.QueryRowContext(ctx, s.q(`SELECT id, team_id, revoked_at FROM api_keys WHERE key_hash = ?`), HashKey(key)).Scan(&keyID, &team, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked != 0) {
		return "", 0, ErrUnauthorized
	}
	if err != nil {
		return "", 0, fmt.Errorf("store: create session: %w", err)
	}
	for _, st := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM dashboard_sessions WHERE expires_at <= ?`, []any{now}},
		{`INSERT INTO dashboard_sessions (token_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			[]any{HashKey(token), keyID, now, now + ttl.Milliseconds()}},
		{`DELETE FROM dashboard_sessions WHERE key_id = ? AND id NOT IN
			(SELECT id FROM dashboard_sessions WHERE key_id = ? ORDER BY id DESC LIMIT ?)`, []any{keyID, keyID, MaxSessionsPerKey}},
	} {
		if _, err := tx.ExecContext(ctx, s.q(st.query), st.args...); err != nil {
			return "", 0, fmt.Errorf("store: create session: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return "", 0, fmt.Errorf("store: create session: %w", err)
	}
	return token, team, nil
}

// SessionTeam returns the team of a dashboard session token, or
// [ErrUnauthorized] when the session is unknown, ended, expired, or its key
// was revoked.
func (s *Store) SessionTeam(ctx context.Context, token string) (int64, error) {
	var team int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT k.team_id FROM dashboard_sessions d JOIN api_keys k ON k.id = d.key_id
		WHERE d.token_hash = ? AND d.expires_at > ? AND k.revoked_at = 0`), HashKey(token), s.nowMillis()).Scan(&team)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrUnauthorized
	}
	if err != nil {
		return 0, fmt.Errorf("store: look up session: %w", err)
	}
	return team, nil
}

// EndSession deletes a dashboard session (a logout). Ending an unknown or
// already ended session is not an error.
func (s *Store) EndSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM dashboard_sessions WHERE token_hash = ?`), HashKey(token)); err != nil {
		return fmt.Errorf("store: end session: %w", err)
	}
	return nil
}

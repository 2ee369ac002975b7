package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// KeyPrefix starts every API key, so that leaked keys are easy to grep for.
const KeyPrefix = "lsk_"

// Key describes a stored API key. The key itself is never stored, only its
// SHA-256 hash and its first characters (for display).
type Key struct {
	ID        int64
	TeamID    int64
	Prefix    string
	Name      string
	CreatedAt time.Time
	Revoked   bool
}

// HashKey returns the hex SHA-256 of key, the form in which keys are stored.
// API keys are 192-bit random strings, so a fast unsalted hash is enough: it
// cannot be brute-forced, and it lets the server look a key up by equality.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateKey generates a new API key for team, stores its hash and returns the
// key. The key is shown once: it cannot be recovered from the database.
func (s *Store) CreateKey(ctx context.Context, team int64, name string) (string, Key, error) {
	if team <= 0 {
		return "", Key{}, fmt.Errorf("store: create key: team id must be positive, got %d", team)
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Key{}, fmt.Errorf("store: create key: %w", err)
	}
	key := KeyPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	k := Key{TeamID: team, Prefix: key[:len(KeyPrefix)+6], Name: name, CreatedAt: millisToTime(s.nowMillis())}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO api_keys (team_id, key_hash, prefix, name, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		team, HashKey(key), k.Prefix, name, timeToMillis(k.CreatedAt)).Scan(&k.ID)
	if err != nil {
		return "", Key{}, fmt.Errorf("store: create key: %w", err)
	}
	return key, k, nil
}

// TeamForKey returns the team that owns key, or [ErrUnauthorized].
func (s *Store) TeamForKey(ctx context.Context, key string) (int64, error) {
	var team, revoked int64
	err := s.rdb.QueryRowContext(ctx, s.q(`SELECT team_id, revoked_at FROM api_keys WHERE key_hash = ?`), HashKey(key)).Scan(&team, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked != 0) {
		return 0, ErrUnauthorized
	}
	if err != nil {
		return 0, fmt.Errorf("store: look up key: %w", err)
	}
	return team, nil
}

// Keys lists the keys of team (without the secret part).
func (s *Store) Keys(ctx context.Context, team int64) ([]Key, error) {
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT id, team_id, prefix, name, created_at, revoked_at FROM api_keys WHERE team_id = ? ORDER BY id`), team)
	if err != nil {
		return nil, fmt.Errorf("store: list keys: %w", err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var k Key
		var created, revoked int64
		if err := rows.Scan(&k.ID, &k.TeamID, &k.Prefix, &k.Name, &created, &revoked); err != nil {
			return nil, fmt.Errorf("store: list keys: %w", err)
		}
		k.CreatedAt, k.Revoked = millisToTime(created), revoked != 0
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes the key with the given ID if it belongs to team.
func (s *Store) RevokeKey(ctx context.Context, team, id int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND team_id = ? AND revoked_at = 0`), s.nowMillis(), id, team)
	if err != nil {
		return fmt.Errorf("store: revoke key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// PolicyRecord is one stored policy version of a service. Body is the policy
// JSON exactly as served.
type PolicyRecord struct {
	ServiceID     int64
	Version       int64
	Body          []byte
	ETag          string
	GeneratedBy   string
	ProjectedKeep float64
	CreatedAt     time.Time
}

// ETag returns the strong entity tag of a policy body at a version: the
// version and a hash of the body, quoted as HTTP requires.
func ETag(version int64, body []byte) string {
	sum := sha256.Sum256(body)
	return `"v` + strconv.FormatInt(version, 10) + "-" + hex.EncodeToString(sum[:8]) + `"`
}

// LatestVersion returns the highest policy version of a service, or 0.
func (s *Store) LatestVersion(ctx context.Context, serviceID int64) (int64, error) {
	var v int64
	err := s.rdb.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(version), 0) FROM policies WHERE service_id = ?`), serviceID).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: latest version: %w", err)
	}
	return v, nil
}

// AddPolicy stores p (ServiceID, Version, Body, GeneratedBy, ProjectedKeep)
// and returns it with ETag and CreatedAt set. The version must be new for the
// service: if it is taken (another server replica won the race) AddPolicy
// returns [ErrConflict].
//
// In the same transaction it prunes the service's history to the retention
// of [Options.MaxPolicyVersions]: versions at or below
// p.Version - MaxPolicyVersions are deleted, so the history never holds
// more than MaxPolicyVersions versions (versions are consecutive).
func (s *Store) AddPolicy(ctx context.Context, p PolicyRecord) (PolicyRecord, error) {
	p.ETag = ETag(p.Version, p.Body)
	p.CreatedAt = millisToTime(s.nowMillis())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return PolicyRecord{}, fmt.Errorf("store: add policy: %w", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, s.q(`INSERT INTO policies (service_id, version, body, etag, generated_by, projected_keep, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		p.ServiceID, p.Version, string(p.Body), p.ETag, p.GeneratedBy, p.ProjectedKeep, timeToMillis(p.CreatedAt))
	if isUniqueViolation(err) {
		return PolicyRecord{}, ErrConflict
	}
	if err != nil {
		return PolicyRecord{}, fmt.Errorf("store: add policy: %w", err)
	}
	if s.maxVersions > 0 && p.Version > int64(s.maxVersions) {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM policies WHERE service_id = ? AND version <= ?`),
			p.ServiceID, p.Version-int64(s.maxVersions)); err != nil {
			return PolicyRecord{}, fmt.Errorf("store: add policy: prune: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		if isUniqueViolation(err) {
			return PolicyRecord{}, ErrConflict
		}
		return PolicyRecord{}, fmt.Errorf("store: add policy: commit: %w", err)
	}
	return p, nil
}

const policyCols = `service_id, version, body, etag, generated_by, projected_keep, created_at`

func scanPolicy(sc interface{ Scan(...any) error }) (PolicyRecord, error) {
	var p PolicyRecord
	var body string
	var created int64
	err := sc.Scan(&p.ServiceID, &p.Version, &body, &p.ETag, &p.GeneratedBy, &p.ProjectedKeep, &created)
	p.Body, p.CreatedAt = []byte(body), millisToTime(created)
	return p, err
}

// LatestPolicy returns the highest version of a service's policy, or
// [ErrNotFound] when none was generated yet.
func (s *Store) LatestPolicy(ctx context.Context, serviceID int64) (PolicyRecord, error) {
	p, err := scanPolicy(s.rdb.QueryRowContext(ctx, s.q(`SELECT `+policyCols+` FROM policies WHERE service_id = ? ORDER BY version DESC LIMIT 1`), serviceID))
	if errors.Is(err, sql.ErrNoRows) {
		return PolicyRecord{}, ErrNotFound
	}
	if err != nil {
		return PolicyRecord{}, fmt.Errorf("store: latest policy: %w", err)
	}
	return p, nil
}

// PolicyHistory returns up to limit versions of a service's policy, newest
// first. Zero or negative limit means 50.
func (s *Store) PolicyHistory(ctx context.Context, serviceID int64, limit int) ([]PolicyRecord, error) {
	return s.PolicyHistoryBefore(ctx, serviceID, 0, limit)
}

// PolicyHistoryBefore returns up to limit versions of a service's policy
// older than version before, newest first; before <= 0 starts at the newest
// version. Zero or negative limit means 50. It is the page step of a
// cursor-paged history: pass the last version returned as the next before.
// The records are loaded whole, so callers bound the memory of one call
// with limit.
func (s *Store) PolicyHistoryBefore(ctx context.Context, serviceID, before int64, limit int) ([]PolicyRecord, error) {
	if limit <= 0 {
		limit = 50
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := s.rdb.QueryContext(ctx, s.q(`SELECT `+policyCols+` FROM policies WHERE service_id = ? AND version < ? ORDER BY version DESC LIMIT ?`), serviceID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: policy history: %w", err)
	}
	defer rows.Close()
	out := []PolicyRecord{}
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("store: policy history: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

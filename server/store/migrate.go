package store

import (
	"context"
	"fmt"
	"strings"
)

// migration is one schema version. The SQL is shared by both backends except
// for the "{{id}}" column type, which is replaced per dialect.
type migration struct {
	version int
	stmts   []string
}

// migrations is the ordered schema history. Never edit an applied entry; add
// a new version instead.
var migrations = []migration{
	{1, []string{
		`CREATE TABLE api_keys (
			id {{id}},
			team_id BIGINT NOT NULL,
			key_hash TEXT NOT NULL UNIQUE,
			prefix TEXT NOT NULL,
			name TEXT NOT NULL DEFAULT '',
			created_at BIGINT NOT NULL,
			revoked_at BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE TABLE services (
			id {{id}},
			team_id BIGINT NOT NULL,
			name TEXT NOT NULL,
			description TEXT NOT NULL DEFAULT '',
			target_keep DOUBLE PRECISION NOT NULL DEFAULT 0,
			target_per_second DOUBLE PRECISION NOT NULL DEFAULT 0,
			created_at BIGINT NOT NULL,
			stats_at BIGINT NOT NULL DEFAULT 0,
			UNIQUE (team_id, name)
		)`,
		`CREATE TABLE patterns (
			service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
			signature TEXT NOT NULL,
			template TEXT NOT NULL,
			first_seen BIGINT NOT NULL,
			last_seen BIGINT NOT NULL,
			count BIGINT NOT NULL,
			sampled BIGINT NOT NULL,
			n_debug BIGINT NOT NULL DEFAULT 0,
			n_info BIGINT NOT NULL DEFAULT 0,
			n_warning BIGINT NOT NULL DEFAULT 0,
			n_error BIGINT NOT NULL DEFAULT 0,
			n_critical BIGINT NOT NULL DEFAULT 0,
			PRIMARY KEY (service_id, signature)
		)`,
		`CREATE TABLE pattern_volume (
			service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
			bucket BIGINT NOT NULL,
			signature TEXT NOT NULL,
			count BIGINT NOT NULL,
			sampled BIGINT NOT NULL,
			n_error BIGINT NOT NULL DEFAULT 0,
			PRIMARY KEY (service_id, bucket, signature)
		)`,
		`CREATE TABLE service_volume (
			service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
			bucket BIGINT NOT NULL,
			total BIGINT NOT NULL,
			kept BIGINT NOT NULL,
			reports BIGINT NOT NULL,
			PRIMARY KEY (service_id, bucket)
		)`,
		`CREATE TABLE policies (
			id {{id}},
			service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
			version BIGINT NOT NULL,
			body TEXT NOT NULL,
			etag TEXT NOT NULL,
			generated_by TEXT NOT NULL DEFAULT '',
			projected_keep DOUBLE PRECISION NOT NULL DEFAULT 0,
			created_at BIGINT NOT NULL,
			UNIQUE (service_id, version)
		)`,
		`CREATE TABLE anomalies (
			id {{id}},
			service_id BIGINT NOT NULL REFERENCES services(id) ON DELETE CASCADE,
			signature TEXT NOT NULL,
			template TEXT NOT NULL,
			kind TEXT NOT NULL,
			value DOUBLE PRECISION NOT NULL,
			baseline DOUBLE PRECISION NOT NULL,
			detected_at BIGINT NOT NULL
		)`,
		`CREATE INDEX anomalies_service ON anomalies (service_id, detected_at)`,
	}},
	// 2: repair the totals that overflowed before sums saturated at
	// MaxCount. SQLite turned them into REALs above the int64 range, which
	// no query could read back; they become MaxCount. A no-op on
	// PostgreSQL, where the overflowing write failed instead.
	{2, saturateOverflowed(
		"patterns.count", "patterns.sampled", "patterns.n_debug", "patterns.n_info",
		"patterns.n_warning", "patterns.n_error", "patterns.n_critical",
		"pattern_volume.count", "pattern_volume.sampled", "pattern_volume.n_error",
		"service_volume.total", "service_volume.kept", "service_volume.reports",
	)},
	// 3: dashboard login sessions (see CreateSession): the hash of a random
	// token, the key it was made with, and its expiry.
	{3, []string{
		`CREATE TABLE dashboard_sessions (
			id {{id}},
			token_hash TEXT NOT NULL UNIQUE,
			key_id BIGINT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
			created_at BIGINT NOT NULL,
			expires_at BIGINT NOT NULL
		)`,
		`CREATE INDEX dashboard_sessions_key ON dashboard_sessions (key_id, id)`,
		`CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at)`,
	}},
}

// saturateOverflowed returns, for each "table.column", the statement that
// sets the column's values above the int64 range to [MaxCount].
func saturateOverflowed(columns ...string) []string {
	out := make([]string, len(columns))
	for i, tc := range columns {
		table, col, _ := strings.Cut(tc, ".")
		out[i] = `UPDATE ` + table + ` SET ` + col + ` = 9223372036854775807 WHERE ` + col + ` > 9223372036854775807`
	}
	return out
}

// SchemaVersion is the schema version this build of the store migrates to.
var SchemaVersion = migrations[len(migrations)-1].version

// migrate applies the pending migrations, each in its own transaction.
// Concurrent servers starting on one PostgreSQL database race harmlessly:
// the loser's insert into schema_migrations fails and it re-reads.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("store: migrate: read version: %w", err)
	}
	if current > SchemaVersion {
		return fmt.Errorf("store: database schema version %d is newer than this server (%d)", current, SchemaVersion)
	}
	id := "INTEGER PRIMARY KEY"
	if s.dialect == Postgres {
		id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate to %d: %w", m.version, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), m.version, s.nowMillis()); err != nil {
			tx.Rollback()
			if isUniqueViolation(err) {
				continue // another server applied it
			}
			return fmt.Errorf("store: migrate to %d: %w", m.version, err)
		}
		for _, stmt := range m.stmts {
			if _, err := tx.ExecContext(ctx, strings.ReplaceAll(stmt, "{{id}}", id)); err != nil {
				tx.Rollback()
				return fmt.Errorf("store: migrate to %d: %w", m.version, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migrate to %d: %w", m.version, err)
		}
	}
	return nil
}

// Version returns the schema version recorded in the database.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.rdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

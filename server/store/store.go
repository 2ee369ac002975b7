package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names a storage backend.
type Dialect string

// The supported backends.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options tunes a [Store]. The zero value means "defaults" for every field.
type Options struct {
	// MaxPatternsPerService caps the distinct signatures stored per service.
	// Zero means 10 000; negative means no cap.
	MaxPatternsPerService int
	// Now is the clock used for created_at columns. Nil means time.Now.
	Now func() time.Time
}

// Store is a handle on the server database. It is safe for concurrent use by
// multiple goroutines (database/sql pools the connections). The zero value is
// not usable; call [Open].
type Store struct {
	db          *sql.DB
	dialect     Dialect
	maxPatterns int
	now         func() time.Time
}

// Open connects to the database named by dsn and applies pending migrations.
// A dsn starting with "postgres://" or "postgresql://" selects PostgreSQL;
// anything else is a SQLite file path or "file:" URI (created if missing;
// WAL journal, 5 s busy timeout, foreign keys on). The returned Store owns
// the connection pool; call [Store.Close] when done.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{maxPatterns: opts.MaxPatternsPerService, now: opts.Now}
	if s.maxPatterns == 0 {
		s.maxPatterns = 10000
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		s.db.SetMaxOpenConns(16)
	} else {
		if dsn == "" {
			return nil, errors.New("store: empty dsn")
		}
		s.dialect = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		// One connection: SQLite has a single writer anyway, and a single
		// connection turns lock contention into queueing in database/sql
		// instead of SQLITE_BUSY errors.
		s.db.SetMaxOpenConns(1)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: connect %s: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN adds the pragmas the store relies on to a SQLite path or URI.
func sqliteDSN(dsn string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	return dsn + sep + q.Encode()
}

// Dialect reports the backend in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the connection pool. It is safe to call more than once.
func (s *Store) Close() error {
	err := s.db.Close()
	if err != nil && strings.Contains(err.Error(), "closed") {
		return nil
	}
	return err
}

// q rewrites a query written with "?" placeholders for the dialect:
// PostgreSQL wants $1, $2, ... The queries are constants of this package and
// contain no "?" inside string literals.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (s *Store) nowMillis() int64 { return s.now().UnixMilli() }

// isUniqueViolation reports whether err is a unique-constraint failure in
// either backend.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || // sqlite
		strings.Contains(msg, "SQLSTATE 23505") // postgres unique_violation
}

func millisToTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func timeToMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

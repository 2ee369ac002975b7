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

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"               // registers the "sqlite" database/sql driver; *sqlite.Error
	sqlite3 "modernc.org/sqlite/lib"
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
	// MaxPolicyVersions is the retention of policy versions: each service
	// keeps its newest MaxPolicyVersions versions, and [Store.AddPolicy]
	// deletes the older ones in the transaction that adds a version. Zero
	// means [DefaultMaxPolicyVersions]; negative means no cap.
	MaxPolicyVersions int
	// MaxServicesPerTeam caps the services of one team: creating one more
	// (explicitly or by a stats report naming a new service) returns
	// [ErrLimit]. Zero means [DefaultMaxServicesPerTeam]; negative means no
	// cap.
	MaxServicesPerTeam int
	// ReadConns is the size of the SQLite read pool (see [Open]). Zero means
	// 4; it is ignored for PostgreSQL and in-memory SQLite.
	ReadConns int
	// Now is the clock used for created_at columns. Nil means time.Now.
	Now func() time.Time
}

// DefaultMaxPolicyVersions is the default of [Options.MaxPolicyVersions]:
// at the default schedule (a version at most every 5 minutes, only when a
// rate moved) 100 versions cover at least 8 hours of changes, and the
// newest version, the only one clients fetch, is never pruned.
const DefaultMaxPolicyVersions = 100

// DefaultMaxServicesPerTeam is the default of [Options.MaxServicesPerTeam].
const DefaultMaxServicesPerTeam = 1000

// Store is a handle on the server database. It is safe for concurrent use by
// multiple goroutines (database/sql pools the connections). The zero value is
// not usable; call [Open].
type Store struct {
	// db is the write pool (SQLite: one connection); rdb serves the
	// read-only queries (SQLite: a separate pool of read connections, which
	// WAL lets read while the writer writes; otherwise rdb == db).
	db, rdb     *sql.DB
	dialect     Dialect
	maxPatterns int
	maxVersions int
	maxServices int
	now         func() time.Time
}

// Open connects to the database named by dsn and applies pending migrations.
// A dsn starting with "postgres://" or "postgresql://" selects PostgreSQL;
// anything else is a SQLite file path or "file:" URI (created if missing;
// WAL journal, 5 s busy timeout, foreign keys on). The returned Store owns
// the connection pools; call [Store.Close] when done.
//
// On SQLite the Store keeps two pools: a single writer connection (SQLite
// has one writer anyway, and one connection turns lock contention into
// queueing in database/sql instead of SQLITE_BUSY errors) and a pool of
// [Options.ReadConns] query-only connections for the read methods. In WAL
// mode readers do not wait for the writer, so policy fetches, key checks
// and health checks do not queue behind stats reports. A read started
// after a write committed sees it.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{maxPatterns: opts.MaxPatternsPerService, maxVersions: opts.MaxPolicyVersions,
		maxServices: opts.MaxServicesPerTeam, now: opts.Now}
	if s.maxPatterns == 0 {
		s.maxPatterns = 10000
	}
	if s.maxVersions == 0 {
		s.maxVersions = DefaultMaxPolicyVersions
	}
	if s.maxServices == 0 {
		s.maxServices = DefaultMaxServicesPerTeam
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
		s.rdb = s.db
	} else {
		if dsn == "" {
			return nil, errors.New("store: empty dsn")
		}
		s.dialect = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		s.db.SetMaxOpenConns(1)
		s.rdb = s.db
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: connect %s: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if s.dialect == SQLite && !inMemory(dsn) {
		if err := s.openReaders(ctx, dsn, opts.ReadConns); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

// openReaders opens the SQLite read pool on the migrated database.
func (s *Store) openReaders(ctx context.Context, dsn string, n int) error {
	if n <= 0 {
		n = 4
	}
	rdb, err := sql.Open("sqlite", sqliteDSN(dsn)+"&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("store: open sqlite readers: %w", err)
	}
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	if err := rdb.PingContext(ctx); err != nil {
		rdb.Close()
		return fmt.Errorf("store: connect sqlite readers: %w", err)
	}
	s.rdb = rdb
	return nil
}

// inMemory reports whether a SQLite DSN names an in-memory database, which
// a second pool would not share.
func inMemory(dsn string) bool {
	return strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
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

// Ping checks that the database answers. It uses the read pool, so it does
// not wait for a write in progress.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// Close closes the connection pools. It is safe to call more than once.
func (s *Store) Close() error {
	var rerr error
	if s.rdb != s.db {
		rerr = s.rdb.Close()
	}
	err := s.db.Close()
	if err != nil && strings.Contains(err.Error(), "closed") {
		err = nil
	}
	if rerr != nil && strings.Contains(rerr.Error(), "closed") {
		rerr = nil
	}
	return errors.Join(err, rerr)
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
// either backend, by the driver's error code (never by message text, which
// changes with driver versions and locales): SQLite's extended result
// codes SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY
// (1555) from modernc.org/sqlite's *sqlite.Error, or PostgreSQL's SQLSTATE
// 23505 (unique_violation) from pgx's *pgconn.PgError. Wrapped errors are
// unwrapped.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pe.Code == pgUniqueViolation
	}
	return false
}

// pgUniqueViolation is PostgreSQL's SQLSTATE for unique_violation.
const pgUniqueViolation = "23505"

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

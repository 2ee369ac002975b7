// Package storetest runs storage tests against every backend of
// [store.Store]: a SQLite file in the test's temp dir and, when the
// environment variable LIPSERVICE_TEST_PG_DSN names a PostgreSQL database
// (scripts/pg starts one), a fresh schema in that database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for schema setup

	"github.com/srex-dev/lipservice-go/server/store"
)

// EnvDSN is the environment variable holding the PostgreSQL test DSN.
const EnvDSN = "LIPSERVICE_TEST_PG_DSN"

// Backend is one database a test runs against.
type Backend struct {
	// Name is "sqlite" or "postgres"; it names the subtest.
	Name string
	// DSN opens this test's private database with [store.Open].
	DSN string
}

// Each runs f once per backend as a subtest named after it. The PostgreSQL
// subtest skips, saying why, when LIPSERVICE_TEST_PG_DSN is unset. Each call
// of f gets a private, empty database that is dropped when the subtest ends.
func Each(t *testing.T, f func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		f(t, Backend{Name: "sqlite", DSN: SQLiteDSN(t)})
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, Backend{Name: "postgres", DSN: PostgresDSN(t)})
	})
}

// SQLiteDSN returns the path of a fresh SQLite file in t's temp dir.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "lipservice.db")
}

// PostgresDSN returns a DSN for a fresh schema in the database named by
// LIPSERVICE_TEST_PG_DSN, dropped at the end of the test. It skips t when
// the variable is unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Skip("PostgreSQL tests skipped: " + EnvDSN + " is unset (eval \"$(scripts/pg start)\" starts a throwaway cluster)")
	}
	var raw [6]byte
	rand.Read(raw[:])
	schema := "t_" + hex.EncodeToString(raw[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", EnvDSN, err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: parse %s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a [store.Store] on b and closes it when the test ends.
func Open(t testing.TB, b Backend, opts store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), b.DSN, opts)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", b.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

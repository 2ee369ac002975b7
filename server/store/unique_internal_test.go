package store

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIsUniqueViolation checks that unique violations are recognized by the
// drivers' error codes, not by message text.
func TestIsUniqueViolation(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, ref INTEGER NOT NULL)`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO t (id, name, ref) VALUES (1, 'a', 0)`)
	require.NoError(t, err)
	_, dupName := db.Exec(`INSERT INTO t (id, name, ref) VALUES (2, 'a', 0)`)
	_, dupKey := db.Exec(`INSERT INTO t (id, name, ref) VALUES (1, 'b', 0)`)
	_, notNull := db.Exec(`INSERT INTO t (id, name, ref) VALUES (3, 'c', NULL)`)
	require.Error(t, dupName)
	require.Error(t, dupKey)
	require.Error(t, notNull)

	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"sqlite unique", dupName, true},
		{"sqlite primary key", dupKey, true},
		{"sqlite wrapped", fmt.Errorf("store: add: %w", dupName), true},
		{"sqlite not null is another constraint", notNull, false},
		{"postgres 23505", &pgconn.PgError{Code: "23505", Message: "duplicate key"}, true},
		{"postgres wrapped", fmt.Errorf("x: %w", &pgconn.PgError{Code: "23505"}), true},
		{"postgres foreign key 23503", &pgconn.PgError{Code: "23503"}, false},
		{"text alone is not a violation", errors.New("UNIQUE constraint failed: t.name (SQLSTATE 23505)"), false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assert.Equal(t, test.want, isUniqueViolation(test.err), "%v", test.err)
		})
	}
}

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeys creates, lists and revokes a key in a SQLite file.
func TestKeys(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "keys.db")
	code, out, errOut := runCLI(t, ctx, "keys", "create", "--team", "7", "--name", "ci", "--db", db)
	require.Equal(t, 0, code, errOut)
	key := strings.TrimSpace(out)
	assert.Regexp(t, `^lsk_[A-Za-z0-9_-]{32}$`, key, "create prints the key alone")
	assert.Empty(t, errOut)

	code, out, _ = runCLI(t, ctx, "keys", "list", "--team", "7", "--db", db)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, "header and one key:\n%s", out)
	assert.True(t, strings.HasPrefix(lines[0], "ID"), lines[0])
	fields := strings.Fields(lines[1])
	require.GreaterOrEqual(t, len(fields), 5, lines[1])
	assert.Equal(t, "1", fields[0])
	assert.Equal(t, key[:10]+"…", fields[1], "the prefix, never the key")
	assert.Equal(t, "ci", fields[2])
	assert.Equal(t, "false", fields[4])
	assert.NotContains(t, out, key)

	code, _, errOut = runCLI(t, ctx, "keys", "revoke", "--team", "8", "--id", "1", "--db", db)
	assert.Equal(t, 2, code, "another team cannot revoke the key")
	assert.Contains(t, errOut, "lipservice-server: keys: team 8 has no active key with id 1")
	code, _, errOut = runCLI(t, ctx, "keys", "revoke", "--team", "7", "--id", "1", "--db", db)
	require.Equal(t, 0, code, errOut)
	_, out, _ = runCLI(t, ctx, "keys", "list", "--team", "7", "--db", db)
	assert.Contains(t, out, "true", "revoked")
}

func TestKeys_usage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keys.db")
	tests := []struct {
		name    string
		args    []string
		want    int
		wantErr string
	}{
		{"no subcommand", []string{"keys"}, 2, "run 'lipservice-server keys -h' for usage"},
		{"help", []string{"keys", "-h"}, 0, "usage: lipservice-server keys create"},
		{"unknown subcommand", []string{"keys", "rotate", "--team", "1", "--db", db}, 2, `unknown subcommand "rotate"`},
		{"no team", []string{"keys", "create", "--db", db}, 2, "--team must be a positive team id"},
		{"extra argument", []string{"keys", "list", "--team", "1", "--db", db, "x"}, 2, `unexpected argument "x"`},
		{"bad flag", []string{"keys", "create", "--nope"}, 2, "flag provided but not defined"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), test.args...)
			assert.Equal(t, test.want, code)
			assert.Empty(t, out, "nothing on stdout")
			assert.Contains(t, errOut, test.wantErr)
		})
	}
}

package input_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/input"
)

func gz(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, p := range parts { // one gzip member per part
		zw := gzip.NewWriter(&b)
		_, err := zw.Write([]byte(p))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
	}
	return b.Bytes()
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	plain := "a line\nanother line\n"
	tests := []struct {
		name  string
		file  string // "" reads stdin
		stdin []byte
		want  string
	}{
		{"plain file", write("plain.log", []byte(plain)), nil, plain},
		{"gzip file", write("z.log.gz", gz(t, plain)), nil, plain},
		{"gzip without .gz name", write("z.log", gz(t, plain)), nil, plain},
		{"two gzip members", write("two.gz", gz(t, "first\n", "second\n")), nil, "first\nsecond\n"},
		{"plain stdin", "", []byte(plain), plain},
		{"gzip stdin", "", gz(t, plain), plain},
		{"empty file", write("empty", nil), nil, ""},
		{"one byte 0x1f", write("one", []byte{0x1f}), nil, "\x1f"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			name := test.file
			if name == "" {
				name = "-"
			}
			r, closeFn, err := input.Open(name, bytes.NewReader(test.stdin))
			require.NoError(t, err)
			defer closeFn()
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			assert.Equal(t, test.want, string(got))
		})
	}
}

func TestOpen_errors(t *testing.T) {
	_, _, err := input.Open(filepath.Join(t.TempDir(), "missing"), nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)

	// A gzip magic followed by a broken header.
	_, _, err = input.Open("-", bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "stdin: "), "error names stdin: %v", err)

	// A truncated stream reads up to the cut, then fails.
	full := gz(t, strings.Repeat("x", 1000)+"\n")
	r, closeFn, err := input.Open("-", bytes.NewReader(full[:len(full)-6]))
	require.NoError(t, err)
	defer closeFn()
	_, err = io.ReadAll(r)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	r, _, err = input.Open("-", nil)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Empty(t, got, "nil stdin reads as empty")
}

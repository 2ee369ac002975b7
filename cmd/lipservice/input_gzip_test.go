package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGzipInput checks that parse and sample (analyze has its own tests)
// read a gzip-compressed input (file or stdin) as the plain text it holds:
// the output for the compressed input equals the output for the plain one.
func TestGzipInput(t *testing.T) {
	plain, err := os.ReadFile("testdata/hdfs_40.log")
	require.NoError(t, err)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	_, err = zw.Write(plain)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	gzPath := filepath.Join(t.TempDir(), "hdfs_40.log.gz")
	require.NoError(t, os.WriteFile(gzPath, zb.Bytes(), 0o600))

	tests := []struct {
		name string
		args []string
	}{
		{"parse", []string{"parse"}},
		{"parse with format", []string{"parse", "--format", "<Date> <Time> <Pid> <Level> <Component>: <Content>"}},
		{"sample", []string{"sample", "--quiet"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			runWith := func(stdin []byte, file string) (int, string, string) {
				var stdout, stderr bytes.Buffer
				args := append(append([]string{}, test.args...), file)
				code := run(context.Background(), args, bytes.NewReader(stdin), &stdout, &stderr)
				return code, stdout.String(), stderr.String()
			}
			wantCode, want, _ := runWith(nil, "testdata/hdfs_40.log")
			require.Equal(t, 0, wantCode, "plain input")
			require.NotEmpty(t, want, "plain input gives output")
			code, got, stderr := runWith(nil, gzPath)
			assert.Equal(t, 0, code, "gzip file: %s", stderr)
			assert.Equal(t, want, got, "gzip file reads as its text")
			code, got, stderr = runWith(zb.Bytes(), "-")
			assert.Equal(t, 0, code, "gzip stdin: %s", stderr)
			assert.Equal(t, want, got, "gzip stdin reads as its text")
			assert.NotContains(t, got, "\x1f\x8b", "no compressed bytes printed")
		})
	}
}

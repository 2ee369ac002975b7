package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServe_usage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	tests := []struct {
		name    string
		args    []string
		want    int
		wantErr string
	}{
		{"help", []string{"serve", "-h"}, 0, "usage: lipservice serve"},
		{"extra argument", []string{"serve", "--db", db, "x"}, 2, `lipservice: serve: unexpected argument "x"`},
		{"bad keep", []string{"serve", "--db", db, "--default-keep", "1.5"}, 2, "--default-keep must be in (0, 1]"},
		{"bad address", []string{"serve", "--db", db, "--addr", "127.0.0.1:notaport"}, 2, "lipservice: serve:"},
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

// TestServe_stop starts the server on a free port, checks that it answers,
// then cancels its context (what Ctrl-C does): it must shut down cleanly and
// exit 0, leaving a usable database.
func TestServe_stop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errOut := &watchWriter{seen: make(chan string, 1)}
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, strings.NewReader(""), &out, errOut)
	}()
	var addr string
	select {
	case addr = <-errOut.seen:
	case code := <-done:
		t.Fatalf("serve exited with %d before listening: %s", code, errOut)
	}
	resp, err := http.Get(addr + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	assert.Equal(t, 0, <-done, errOut.String())
	assert.Empty(t, out.String())
	assert.Contains(t, errOut.String(), "(sqlite storage)")
	assert.Contains(t, errOut.String(), "lipservice: serve: shutting down")
	code, _, stderr := runCLI(t, context.Background(), "keys", "list", "--team", "1", "--db", db)
	assert.Equal(t, 0, code, "serve created a usable database: %s", stderr)
}

// watchWriter is a stderr for serve that is safe for concurrent use and
// sends the listening URL on seen once it is printed.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen chan string
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	const marker = "listening on "
	if i := bytes.Index(p, []byte(marker)); i >= 0 {
		rest := p[i+len(marker):]
		if j := bytes.IndexByte(rest, ' '); j > 0 {
			select {
			case w.seen <- string(rest[:j]):
			default:
			}
		}
	}
	return w.buf.Write(p)
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

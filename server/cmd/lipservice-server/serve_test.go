package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
		{"help", []string{"serve", "-h"}, 0, "usage: lipservice-server serve"},
		{"extra argument", []string{"serve", "--db", db, "x"}, 2, `lipservice-server: serve: unexpected argument "x"`},
		{"bad keep", []string{"serve", "--db", db, "--default-keep", "1.5"}, 2, "--default-keep must be in (0, 1]"},
		{"bad drain", []string{"serve", "--db", db, "--drain", "0"}, 2, "--drain and --max-conns must be positive"},
		{"bad max-conns", []string{"serve", "--db", db, "--max-conns", "-1"}, 2, "--drain and --max-conns must be positive"},
		{"bad address", []string{"serve", "--db", db, "--addr", "127.0.0.1:notaport"}, 2, "lipservice-server: serve:"},
		{"bad health address", []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:notaport"}, 2, "lipservice-server: serve: --health-addr:"},
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
	assert.Contains(t, errOut.String(), "lipservice-server: serve: shutting down")
	code, _, stderr := runCLI(t, context.Background(), "keys", "list", "--team", "1", "--db", db)
	assert.Equal(t, 0, code, "serve created a usable database: %s", stderr)
}

// TestServe_healthAddr starts serve with --health-addr: the health
// endpoint answers on that address, which serves nothing else.
func TestServe_healthAddr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errOut := &watchWriter{seen: make(chan string, 1)}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0", "--db", db}, strings.NewReader(""), io.Discard, errOut)
	}()
	select {
	case <-errOut.seen:
	case code := <-done:
		t.Fatalf("serve exited with %d before listening: %s", code, errOut)
	}
	_, rest, ok := strings.Cut(errOut.String(), "health on ")
	require.True(t, ok, "serve prints the health address: %s", errOut)
	url, _, _ := strings.Cut(rest, "\n")
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = http.Get(strings.TrimSuffix(url, "/healthz") + "/api/v1/services")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the health address serves only health")
	cancel()
	assert.Equal(t, 0, <-done, errOut.String())
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

// TestShutdownSignals checks that both SIGINT and SIGTERM end the context
// main gives to run. The signal goes to the test process itself, which
// signal.NotifyContext has taken over for these signals, so it is not
// killed.
func TestShutdownSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
			defer stop()
			require.NoError(t, syscall.Kill(os.Getpid(), sig))
			<-ctx.Done() // blocks (and the test times out) if sig is not handled
			assert.ErrorIs(t, context.Cause(ctx), context.Canceled)
		})
	}
}

// TestServeUntil_drains stops serving while a request is in flight: the
// request still completes, and the stop is clean.
func TestServeUntil_drains(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})}
	shutdownBegan := make(chan struct{})
	hs.RegisterOnShutdown(func() { close(shutdownBegan) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	type result struct{ serveErr, stopErr error }
	done := make(chan result, 1)
	go func() {
		se, he := serveUntil(ctx, hs, ln, time.Minute, func() {})
		done <- result{se, he}
	}()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	got := make(chan string, 1)
	go func() {
		resp, err := client.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel() // what SIGTERM does
	<-shutdownBegan
	close(release)
	assert.Equal(t, "finished", <-got, "the request in flight completed during the drain")
	r := <-done
	assert.NoError(t, r.serveErr)
	assert.NoError(t, r.stopErr, "drained before the deadline")
}

// TestServeUntil_deadline stops serving while a request never finishes:
// the drain gives up at its deadline and reports it.
func TestServeUntil_deadline(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	go func() {
		if resp, err := client.Get("http://" + ln.Addr().String() + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, stopErr := serveUntil(ctx, hs, ln, time.Millisecond, func() {})
		done <- stopErr
	}()
	<-started
	cancel()
	assert.ErrorIs(t, <-done, context.DeadlineExceeded, "a request outlived the drain")
}

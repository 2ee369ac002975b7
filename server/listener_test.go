package server_test

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// serveLimited serves h on a loopback Listener bounded to maxConns and
// returns it with its base URL; everything is closed at the end of t.
func serveLimited(t *testing.T, h http.Handler, maxConns int) (*server.Listener, string) {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := server.NewListener(raw, maxConns)
	hs := &http.Server{Handler: h, ConnState: ln.ConnState, ReadHeaderTimeout: time.Minute}
	done := make(chan struct{})
	go func() { defer close(done); hs.Serve(ln) }()
	t.Cleanup(func() { hs.Close(); <-done })
	return ln, "http://" + raw.Addr().String()
}

// TestListener_idleFlood opens far more idle sockets than the bound and
// checks that the server keeps at most the bound open, closes the idle
// ones oldest first, and still answers a health check.
func TestListener_idleFlood(t *testing.T) {
	const maxConns, flood = 8, 200
	e := newEnv(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)})
	ln, base := serveLimited(t, e.srv, maxConns)

	idle := make([]net.Conn, flood)
	for i := range idle {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		defer c.Close()
		idle[i] = c
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	resp, err := client.Get(base + "/healthz")
	require.NoError(t, err, "health check through a flood of idle sockets")
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	assert.LessOrEqual(t, ln.Open(), maxConns, "open connections stay within the bound")
	assert.GreaterOrEqual(t, ln.Evicted(), uint64(flood+1-maxConns), "idle sockets were closed to make room")
	// The oldest idle socket was among the first evicted: the server closed it.
	idle[0].SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = idle[0].Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the oldest idle socket was closed by the server")
}

// TestListener_busyWaits fills the bound with requests in progress: a
// further request is not served by evicting them, and is served once one
// of them finishes.
func TestListener_busyWaits(t *testing.T) {
	const maxConns = 2
	started := make(chan struct{}, maxConns+1)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-release
		io.WriteString(w, "done")
	})
	ln, base := serveLimited(t, h, maxConns)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	defer client.CloseIdleConnections()

	var wg sync.WaitGroup
	codes := make(chan int, maxConns+1)
	get := func() {
		defer wg.Done()
		resp, err := client.Get(base + "/")
		if !assert.NoError(t, err) {
			codes <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		codes <- resp.StatusCode
	}
	wg.Add(maxConns)
	for range maxConns {
		go get()
	}
	for range maxConns {
		<-started
	}
	assert.Equal(t, maxConns, ln.Open())
	wg.Add(1)
	go get() // waits in Accept: both open connections are busy
	close(release)
	wg.Wait()
	close(codes)
	n := 0
	for c := range codes {
		assert.Equal(t, http.StatusOK, c)
		n++
	}
	assert.Equal(t, maxConns+1, n)
	assert.Zero(t, ln.Evicted(), "no busy connection was evicted")
}

// TestListener_closeWakesAccept checks that closing the Listener ends an
// Accept waiting for a slot.
func TestListener_closeWakesAccept(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := server.NewListener(raw, 1)
	c1, err := net.Dial("tcp", raw.Addr().String())
	require.NoError(t, err)
	defer c1.Close()
	a1, err := ln.Accept() // takes the only slot; no ConnState hook: never idle
	require.NoError(t, err)
	defer a1.Close()
	c2, err := net.Dial("tcp", raw.Addr().String())
	require.NoError(t, err)
	defer c2.Close()
	errc := make(chan error, 1)
	go func() { _, err := ln.Accept(); errc <- err }()
	require.NoError(t, ln.Close())
	assert.ErrorIs(t, <-errc, net.ErrClosed)
}

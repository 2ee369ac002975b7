package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestListenHealth fills the API listener's connection bound with a request
// in progress: a health check on the API address then waits, while one on
// the health address answers at once. The health address serves nothing
// but health, and Shutdown closes it.
func TestListenHealth(t *testing.T) {
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	srv := server.New(st, server.WithScheduleInterval(0))
	haddr, err := srv.ListenHealth("127.0.0.1:0")
	require.NoError(t, err)

	// The API server: a bound of one connection, held by a blocked request.
	started, release := make(chan struct{}), make(chan struct{})
	h := http.NewServeMux()
	h.HandleFunc("/block", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	h.Handle("/", srv)
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := server.NewListener(raw, 1)
	hs := &http.Server{Handler: h, ConnState: ln.ConnState}
	served := make(chan struct{})
	go func() { defer close(served); hs.Serve(ln) }()
	api := "http://" + raw.Addr().String()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	defer client.CloseIdleConnections()
	blocked := make(chan struct{})
	go func() {
		defer close(blocked)
		if resp, err := client.Get(api + "/block"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started

	short := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	_, err = short.Get(api + "/healthz")
	assert.Error(t, err, "a health check on the API address waits behind the busy connection")

	// The API's only connection stays busy until release: an answer here
	// did not wait for it (a timeout long enough for a loaded machine).
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	base := "http://" + haddr.String()
	for _, path := range []string{"/healthz", "/health", "/api/v1/health"} {
		resp, err := hc.Get(base + path)
		require.NoError(t, err, "health on its own listener answers while the API bound is full: %s", path)
		var body struct{ Status string }
		assert.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Equal(t, "ok", body.Status, path)
	}
	for _, path := range []string{"/api/v1/services", "/dashboard", "/"} {
		resp, err := hc.Get(base + path)
		require.NoError(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the health address serves only health: %s", path)
	}
	resp, err := hc.Post(base+"/healthz", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "only GET")

	close(release)
	<-blocked
	hs.Close()
	<-served

	require.NoError(t, srv.Shutdown(context.Background()))
	_, err = short.Get(base + "/healthz")
	assert.Error(t, err, "Shutdown closed the health listener")
	_, err = srv.ListenHealth("127.0.0.1:0")
	assert.ErrorIs(t, err, http.ErrServerClosed, "no health listener after Shutdown")
	assert.NoError(t, srv.Shutdown(context.Background()), "idempotent")
}

// TestListenHealth_badAddress reports a listen failure to the caller.
func TestListenHealth_badAddress(t *testing.T) {
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	srv := server.New(st, server.WithScheduleInterval(0))
	defer srv.Shutdown(context.Background())
	_, err := srv.ListenHealth("127.0.0.1:notaport")
	assert.Error(t, err)
}

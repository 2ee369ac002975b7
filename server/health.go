package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// healthMaxConns bounds the connections of the health listener: a few
// probes (load balancer, Kubernetes, monitoring) poll it, so 64 leaves room
// for all of them, and a flood of idle sockets on this port evicts only
// idle ones (see [Listener]).
const healthMaxConns = 64

// ListenHealth serves the health endpoints (GET /healthz, /health and
// /api/v1/health), and nothing else, on a listener of its own at addr
// (host:port; port 0 picks a free one), and returns the address it listens
// on. Health checks on it never queue behind API traffic: they have their
// own connection bound (64 connections, idle ones evicted first as by
// [Listener]), their own accept loop and no API key; a health check still
// pings the database through the store's read pool, for at most 2 s.
//
// The Server owns the listener and its goroutine: [Server.Shutdown] closes
// them, ending the health checks in flight. ListenHealth may be called
// more than once (one listener per call); after Shutdown it returns
// [http.ErrServerClosed]. This method can be called concurrently.
func (s *Server) ListenHealth(addr string) (net.Addr, error) {
	raw, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ln := NewListener(raw, healthMaxConns)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /health", s.health)
	mux.HandleFunc("GET /api/v1/health", s.health)
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Content-Type-Options", "nosniff")
			if _, pattern := mux.Handler(r); pattern == "" {
				writeError(w, http.StatusNotFound, "this address serves only GET /healthz, /health and /api/v1/health")
				return
			}
			mux.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      5 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
		ConnState:         ln.ConnState,
	}
	s.healthMu.Lock()
	defer s.healthMu.Unlock()
	if s.healthClosed {
		ln.Close()
		return nil, http.ErrServerClosed
	}
	s.healthSrv = append(s.healthSrv, hs)
	s.healthWG.Add(1)
	go func() {
		defer s.healthWG.Done()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.fail(err)
		}
	}()
	return raw.Addr(), nil
}

// closeHealth closes the health listeners and their connections, and waits
// for their goroutines or for ctx to end (the caller reports ctx's error).
func (s *Server) closeHealth(ctx context.Context) error {
	s.healthMu.Lock()
	s.healthClosed = true
	srvs := s.healthSrv
	s.healthSrv = nil
	s.healthMu.Unlock()
	var errs []error
	for _, hs := range srvs {
		errs = append(errs, hs.Close())
	}
	done := make(chan struct{})
	go func() { s.healthWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return errors.Join(errs...)
}

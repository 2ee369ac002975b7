package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
)

const serveUsage = `usage: lipservice-server serve [--addr HOST:PORT] [--db DSN] [--interval D] [--drain D] [--max-conns N] [--health-addr HOST:PORT]

Serve runs the LipService control-plane server: the HTTP API that takes
pattern statistics from service instances (POST /api/v1/patterns/stats),
generates per-service sampling policies and serves them
(GET /api/v1/policies/{service}), and the dashboard (/dashboard).

--db selects the storage: a SQLite file path (created with its schema if
missing; the default needs no setup) or a postgres:// URL for PostgreSQL,
which several server replicas can share. Schema migrations run at start-up.

Every API call needs an API key: create one with
  lipservice-server keys create --team N [--db DSN]

Serve stops on SIGINT (Ctrl-C) or SIGTERM (service managers, Kubernetes):
it stops accepting connections and finishes the requests in flight, for at
most --drain.

At most --max-conns connections are kept open; at the bound the connection
idle the longest is closed to make room, so a flood of idle sockets cannot
lock out health checks or the fleet. --health-addr serves the health
endpoints (GET /healthz) on a second address of their own as well, so that
probes never queue behind API traffic or the connection bound.
Exit status: 0 after a clean stop; 2 for a usage error or when the server
cannot start.

Flags:
`

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8000", "listen address `HOST:PORT`")
	dsn := fs.String("db", "lipservice.db", "database: a SQLite file path or a postgres:// `DSN`")
	interval := fs.Duration("interval", 5*time.Minute, "how often policies are regenerated (0: only on demand)")
	window := fs.Duration("window", time.Hour, "statistics window the generator looks at")
	keep := fs.Float64("default-keep", 0.1, "kept fraction for services without a target of their own")
	drain := fs.Duration("drain", 10*time.Second, "how long a stop waits for requests in flight")
	maxConns := fs.Int("max-conns", server.DefaultMaxConns, "connections kept open at most")
	maxServices := fs.Int("max-services", store.DefaultMaxServicesPerTeam, "services per team at most (negative: no cap)")
	maxVersions := fs.Int("max-policy-versions", store.DefaultMaxPolicyVersions, "policy versions kept per service (negative: all)")
	healthAddr := fs.String("health-addr", "", "also serve the health endpoints alone on `HOST:PORT` (empty: off)")
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	if code, ok := cliflag.ParseProgram("lipservice-server", fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lipservice-server: serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if !(*keep > 0 && *keep <= 1) {
		fmt.Fprintln(stderr, "lipservice-server: serve: --default-keep must be in (0, 1]")
		return 2
	}
	if *drain <= 0 || *maxConns <= 0 || *maxServices == 0 || *maxVersions == 0 {
		fmt.Fprintln(stderr, "lipservice-server: serve: --drain and --max-conns must be positive, --max-services and --max-policy-versions non-zero")
		return 2
	}
	st, err := store.Open(ctx, *dsn, store.Options{MaxServicesPerTeam: *maxServices, MaxPolicyVersions: *maxVersions})
	if err != nil {
		fmt.Fprintf(stderr, "lipservice-server: serve: %v\n", err)
		return 2
	}
	defer st.Close()
	raw, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "lipservice-server: serve: %v\n", err)
		return 2
	}
	ln := server.NewListener(raw, *maxConns)
	srv := server.New(st,
		server.WithScheduleInterval(*interval),
		server.WithWindow(*window),
		server.WithDefaultKeep(*keep),
		server.WithErrorHandler(func(err error) { fmt.Fprintf(stderr, "lipservice-server: serve: %v\n", err) }),
	)
	if *healthAddr != "" {
		haddr, err := srv.ListenHealth(*healthAddr)
		if err != nil {
			srv.Shutdown(context.Background())
			ln.Close()
			fmt.Fprintf(stderr, "lipservice-server: serve: --health-addr: %v\n", err)
			return 2
		}
		fmt.Fprintf(stderr, "lipservice-server: serve: health on http://%s/healthz\n", haddr)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ConnState:         ln.ConnState,
	}
	fmt.Fprintf(stderr, "lipservice-server: serve: listening on http://%s (%s storage)\n", ln.Addr(), st.Dialect())
	code := 0
	serveErr, stopErr := serveUntil(ctx, hs, ln, *drain, func() {
		fmt.Fprintln(stderr, "lipservice-server: serve: shutting down")
	})
	if serveErr != nil {
		fmt.Fprintf(stderr, "lipservice-server: serve: %v\n", serveErr)
		code = 2
	}
	sctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := errors.Join(stopErr, srv.Shutdown(sctx)); err != nil {
		fmt.Fprintf(stderr, "lipservice-server: serve: shutdown: %v\n", err)
		code = 2
	}
	return code
}

// serveUntil serves hs on ln until ctx ends (a shutdown signal) or Serve
// fails, then shuts hs down: it stops accepting, lets the requests in
// flight finish for at most drain, and closes the connections left.
// stopping is called when ctx ended, before the drain. serveErr is Serve's
// failure (nil after a stop); stopErr is the drain's (a deadline error when
// requests were still running at the deadline).
func serveUntil(ctx context.Context, hs *http.Server, ln net.Listener, drain time.Duration, stopping func()) (serveErr, stopErr error) {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		serveErr = err
	case <-ctx.Done():
		stopping()
	}
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	stopErr = hs.Shutdown(sctx)
	if stopErr != nil {
		hs.Close() // past the deadline: cut what is left
	}
	if serveErr == nil {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
		}
	}
	return serveErr, stopErr
}

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

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
)

const serveUsage = `usage: lipservice serve [--addr HOST:PORT] [--db DSN] [--interval D]

Serve runs the LipService control-plane server: the HTTP API that takes
pattern statistics from service instances (POST /api/v1/patterns/stats),
generates per-service sampling policies and serves them
(GET /api/v1/policies/{service}), and the dashboard (/dashboard).

--db selects the storage: a SQLite file path (created with its schema if
missing; the default needs no setup) or a postgres:// URL for PostgreSQL,
which several server replicas can share. Schema migrations run at start-up.

Every API call needs an API key: create one with
  lipservice keys create --team N [--db DSN]

Serve stops on an interrupt, finishing requests in flight (up to 10 s).
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
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lipservice: serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if !(*keep > 0 && *keep <= 1) {
		fmt.Fprintln(stderr, "lipservice: serve: --default-keep must be in (0, 1]")
		return 2
	}
	st, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "lipservice: serve: %v\n", err)
		return 2
	}
	defer st.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "lipservice: serve: %v\n", err)
		return 2
	}
	srv := server.New(st,
		server.WithScheduleInterval(*interval),
		server.WithWindow(*window),
		server.WithDefaultKeep(*keep),
		server.WithErrorHandler(func(err error) { fmt.Fprintf(stderr, "lipservice: serve: %v\n", err) }),
	)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(stderr, "lipservice: serve: listening on http://%s (%s storage)\n", ln.Addr(), st.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	code := 0
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "lipservice: serve: %v\n", err)
		code = 2
	case <-ctx.Done():
		fmt.Fprintln(stderr, "lipservice: serve: shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := errors.Join(hs.Shutdown(sctx), srv.Shutdown(sctx)); err != nil {
		fmt.Fprintf(stderr, "lipservice: serve: shutdown: %v\n", err)
		code = 2
	}
	return code
}

package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/srex-dev/lipservice-go/server/store"
)

// Server is the LipService HTTP API and dashboard. It is safe for concurrent
// use. The zero value is not usable; call [New].
type Server struct {
	st    *store.Store
	cfg   config
	mux   *http.ServeMux
	cache *readCache // nil: off
	// writeSlots bounds the stats reports decoded at once (see
	// limitWrites); queue writes them in batches.
	writeSlots chan struct{}
	queue      *writeQueue

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once

	// The health listeners of ListenHealth, closed by Shutdown.
	healthMu     sync.Mutex
	healthSrv    []*http.Server
	healthClosed bool
	healthWG     sync.WaitGroup

	requests, errors, reports, generated, unchanged, schedulerRuns atomic.Uint64
}

// Stats are a Server's counters since [New].
type Stats struct {
	// Requests counts HTTP requests served.
	Requests uint64 `json:"requests"`
	// Errors counts internal errors (5xx answers, scheduler failures).
	Errors uint64 `json:"errors"`
	// Reports counts accepted stats reports.
	Reports uint64 `json:"reports"`
	// Generated counts policy versions generated.
	Generated uint64 `json:"generated"`
	// Unchanged counts scheduled regenerations that kept the latest version
	// because no rate moved beyond the change threshold.
	Unchanged uint64 `json:"unchanged"`
	// SchedulerRuns counts completed scheduler passes.
	SchedulerRuns uint64 `json:"scheduler_runs"`
}

// New returns a Server on st and starts its scheduler (unless
// [WithScheduleInterval] turned it off). It panics if st is nil. The Server
// does not own st: close it after [Server.Shutdown].
func New(st *store.Store, opts ...Option) *Server {
	if st == nil {
		panic("server: nil store")
	}
	s := &Server{st: st, cfg: defaults(), mux: http.NewServeMux(), stop: make(chan struct{}), done: make(chan struct{})}
	for _, o := range opts {
		o.apply(&s.cfg)
	}
	s.cache = newReadCache(s.cfg.cacheTTL, s.cfg.now)
	if s.cfg.maxWrites <= 0 {
		s.cfg.maxWrites = 4
		if st.Dialect() == store.Postgres {
			s.cfg.maxWrites = 16
		}
	}
	s.writeSlots = make(chan struct{}, s.cfg.maxWrites)
	writers := 1
	if st.Dialect() == store.Postgres {
		writers = s.cfg.statsWriters
		if writers <= 0 {
			writers = 4
		}
	}
	s.queue = newWriteQueue(st, writers, s.cfg.maxQueued, nil)
	s.routes()
	if s.cfg.interval > 0 {
		go s.schedule()
	} else {
		close(s.done)
	}
	return s
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.health)
	m.HandleFunc("GET /health", s.health) // the original LipService server's path
	m.HandleFunc("GET /api/v1/health", s.health)
	m.HandleFunc("POST /api/v1/services", s.authed(s.createService))
	m.HandleFunc("GET /api/v1/services", s.authed(s.listServices))
	m.HandleFunc("GET /api/v1/services/{service}", s.authed(s.getService))
	m.HandleFunc("PUT /api/v1/services/{service}", s.authed(s.updateService))
	m.HandleFunc("GET /api/v1/services/{service}/patterns", s.authed(s.listPatterns))
	m.HandleFunc("GET /api/v1/policies/{service}", s.authed(s.getPolicy))
	m.HandleFunc("GET /api/v1/policies/{service}/history", s.authed(s.policyHistory))
	m.HandleFunc("POST /api/v1/policies/{service}/generate", s.authed(s.generatePolicy))
	m.HandleFunc("POST /api/v1/patterns/stats", s.authed(s.postStats))
	m.HandleFunc("GET /dashboard", s.dashboard)
	m.HandleFunc("POST /dashboard/login", s.dashboardLogin)
	m.HandleFunc("POST /dashboard/logout", s.dashboardLogout)
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
	})
}

// ServeHTTP implements [http.Handler].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.noRoute(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// noRoute answers a request no route matches with a JSON 405 (listing the
// allowed methods) when the path exists for other methods, else 404.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
		return
	}
	writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}

// Shutdown stops the Server's goroutines, waiting for them or for ctx to
// end: the scheduler (a pass in progress finishes), the health listeners
// of [Server.ListenHealth] (closed), the background refreshes of the read
// cache (see [WithCacheTTL]; cancelled), and the stats writers, which
// first write the reports queued (see [WithMaxQueuedPatterns]). It is
// idempotent; the HTTP handlers keep working after it, stats reports
// being then written one by one (stop the http.Server first).
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.stop) })
	herr := s.closeHealth(ctx)
	cerr := s.cache.close(ctx)
	qerr := s.queue.close(ctx)
	select {
	case <-s.done:
		return errors.Join(herr, cerr, qerr)
	case <-ctx.Done():
		return errors.Join(herr, ctx.Err())
	}
}

// Stats returns the Server's counters.
func (s *Server) Stats() Stats {
	return Stats{
		Requests:      s.requests.Load(),
		Errors:        s.errors.Load(),
		Reports:       s.reports.Load(),
		Generated:     s.generated.Load(),
		Unchanged:     s.unchanged.Load(),
		SchedulerRuns: s.schedulerRuns.Load(),
	}
}

// fail counts an internal error and hands it to the error handler.
func (s *Server) fail(err error) {
	s.errors.Add(1)
	if h := s.cfg.errorHandler; h != nil {
		h(err)
	}
}

// internalError answers 500 without leaking details and reports err.
func (s *Server) internalError(w http.ResponseWriter, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	s.fail(err)
	writeError(w, http.StatusInternalServerError, "internal error")
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "error": "database unreachable"})
		return
	}
	v, _ := s.st.Version(ctx)
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "database": s.st.Dialect(), "schema_version": v})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

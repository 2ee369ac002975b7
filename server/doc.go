// Package server is the LipService control-plane server: an HTTP API that
// takes pattern statistics from service instances, turns them into
// per-service sampling policies with [generate.Policy], serves those
// policies to the fleet, and shows it all on a dashboard.
//
// [New] returns a [Server], an [http.Handler] backed by a [store.Store]
// (SQLite or PostgreSQL). It owns its goroutines: the scheduler that
// regenerates policies periodically ([Server.RunScheduled]; a new version is
// stored only when some rate moved beyond [WithRateChangeThreshold], so
// steady traffic does not make the fleet refetch), the stats writers, the
// read cache's background refreshes and the health listeners of
// [Server.ListenHealth]; [Server.Shutdown] stops them. The
// `lipservice-server serve` command wraps it in an [http.Server].
//
// # First policy
//
// A new service does not wait for the regeneration pass: the scheduler
// looks every [FirstPolicyCheck] (10 s) for services without a policy that
// have had statistics for [FirstPolicyAfter] (one minute: the service was
// created, by its first report or by POST /api/v1/services, and its first
// one-minute volume bucket started, at least a minute ago) and generates
// their first policy. A client that reports from its start so gets a
// policy within 70 s of its first report instead of up to 5 minutes; until
// then GET /api/v1/policies/{service} answers 404. POST
// /api/v1/policies/{service}/generate makes one at once.
//
// # API
//
// Every /api/v1 endpoint except health needs "Authorization: Bearer <key>";
// a key belongs to one team (`lipservice-server keys create --team N`) and can
// neither read nor write another team's data: a team_id parameter or body
// field naming another team is answered 403, and services are looked up
// within the key's team only. Errors are JSON objects {"error": "..."}.
//
//	GET  /healthz, /health, /api/v1/health             200 {"status":"ok",...} or 503 (also on [Server.ListenHealth])
//	POST /api/v1/services                              201 service; 409 if it exists or the team is at its cap
//	GET  /api/v1/services                              200 {"services":[...]}
//	GET  /api/v1/services/{service}                    200 service
//	PUT  /api/v1/services/{service}                    200 service (replaces description and targets)
//	GET  /api/v1/services/{service}/patterns           200 patterns with rates
//	GET  /api/v1/policies/{service}?team_id=N          200 policy JSON, ETag; 304 on If-None-Match; 404 if none yet
//	GET  /api/v1/policies/{service}/history            200 {"policies":[...],"next_before":N}, newest first, paged
//	POST /api/v1/policies/{service}/generate           201 new policy and its projection
//	POST /api/v1/patterns/stats                        202 {"accepted":n,"overflow":n} once committed; 409 for a new service beyond the cap; 503 + Retry-After when the write queue is full
//	GET  /dashboard                                    HTML (key by Bearer header or login session cookie)
//	POST /dashboard/login, /dashboard/logout           303 to /dashboard
//
// PUT /api/v1/services/{service} replaces the service's settings: a field
// left out (description, target_keep, target_per_second) takes its zero
// value, as on creation; unknown fields are answered 400.
//
// Request bodies are limited ([WithMaxBodyBytes]); larger ones get 413.
//
// A service name is 1 to 128 letters, digits, '.', '_' or '-', and is
// neither "." nor "..": the router cleans those path segments out of a URL,
// so a service with such a name could never fetch its policy.
//
// # Stats reports
//
// A stats report is decoded as a stream and answered 413 at its first
// pattern beyond [WithMaxPatternsPerReport], before any more are decoded,
// so a report costs about 256 bytes per decoded pattern (plus its template)
// whatever the body holds.
//
// A decoded report is queued for the Server's stats writers, which commit
// up to 64 queued reports in one transaction (one goroutine on SQLite, a
// few on PostgreSQL, each owning a share of the services). The report is
// answered 202 only once its transaction is committed, so an acknowledged
// report is never lost; a report whose client goes away while it waits is
// still written. The queue holds at most [WithMaxQueuedPatterns] patterns
// (100 000); a report beyond is answered 503 with "Retry-After: 1" and
// nothing of it is stored. [Server.Shutdown] writes the queued reports
// before it returns.
//
// Counts in a report are deltas added to running totals. A posted count
// above [MaxReportCount] (2^53) is taken as MaxReportCount, and the totals
// saturate at the largest int64 ([store.MaxCount]), so no report can make a
// total unreadable.
//
// Times follow one rule: the report's timestamp and each pattern's
// first_seen and last_seen are stored as sent when they are at most a day
// old and at most 5 minutes ahead of the server's clock; otherwise (or when
// missing) a pattern's time is the report's time, and the report's time is
// the server's clock.
//
// # Dashboard
//
// A login (POST /dashboard/login with an API key) creates a session: the
// cookie "lipservice_session" holds a random 256-bit token, the store keeps
// only its SHA-256 hash with an expiry of 12 hours, and the API key never
// leaves the login request. The cookie is HttpOnly, SameSite=Strict, limited
// to /dashboard, and Secure when the request came over TLS (or through a
// proxy sending X-Forwarded-Proto: https). A session ends at logout, at
// expiry, or when its key is revoked; a key holds at most
// [store.MaxSessionsPerKey] sessions. Every dashboard answer carries a CSP
// with frame-ancestors 'none' and X-Frame-Options: DENY, so that no other
// site can frame it.
//
// # Bounds
//
// The history endpoint pages: ?limit=N (default 50, at most 100; larger
// values are lowered) returns up to N versions and next_before, the cursor
// for ?before=N on the next page (0 on the last page). The answer is
// streamed, a few versions at a time, so its memory does not grow with the
// page. The store keeps only the newest store.Options.MaxPolicyVersions
// versions of each policy (default 100) and at most
// store.Options.MaxServicesPerTeam services per team (default 1 000);
// creating a service beyond the cap, by POST /api/v1/services or by a stats
// report naming a new service, is answered 409.
//
// # Reads under write load
//
// Fleet policy fetches must stay fast while stats pour in. The store reads
// on SQLite through a pool separate from its single writer connection (WAL
// lets them run during a write). The Server keeps the team of each API key
// and the latest policy of each service in memory ([WithCacheTTL], 1 s):
// a fetch within the TTL costs no database read, and a policy up to 30 s
// past it is answered at once from the stale entry while one background
// read refreshes it (stale-while-revalidate), so a fetch waits for the
// database only when nothing usable is cached. A key is never served past
// the TTL, so a revoked key is refused at most the TTL later. A version
// stored by another replica takes effect at most TTL+30 s later, and
// within the TTL plus one read for a policy fetched at least once per TTL;
// versions this Server generates are served at once. Stats reports are
// decoded [WithMaxConcurrentReports] at a time (4 on SQLite) and written in
// batches (see Stats reports), so 32 concurrent writers cost one
// transaction per batch, not 32. TestLoad (LIPSERVICE_LOAD=1 go test . -run
// TestLoad -v in the server module) measures this with 32 writers and 32
// readers.
//
// # Health
//
// The health endpoints ping the database through the read pool, for at
// most 2 s. [Server.ListenHealth] (the --health-addr flag of
// `lipservice-server serve`) serves them, and nothing else, on an address of their own, with
// their own connection bound and accept loop, so probes never queue behind
// API traffic or its connection bound.
//
// [NewListener] bounds the connections a server keeps open; at the bound it
// closes the longest-idle connection, so idle sockets cannot starve health
// checks (see [Listener]).
//
// # Fleet patterns
//
// Each instance's sampler groups its signatures into patterns (package
// pattern), learning from what that instance saw. When the server generates
// a policy ([Server.Generate]) it groups the signatures the whole fleet
// reported the same way, and the policy carries the result: pattern_rates
// keyed by pattern ID and a pattern_map from each grouped signature to its
// pattern's ID, so that every instance keys a family on the same ID from
// its first record, and the dashboard, the policy and the fleet agree. At
// most [MaxFleetSignatures] signatures (65 536, by window volume) are
// grouped per policy.
package server

// Package server is the LipService control-plane server: an HTTP API that
// takes pattern statistics from service instances, turns them into
// per-service sampling policies with [policy.Generate], serves those
// policies to the fleet, and shows it all on a dashboard.
//
// [New] returns a [Server], an [http.Handler] backed by a [store.Store]
// (SQLite or PostgreSQL). It owns one goroutine, the scheduler that
// regenerates policies periodically ([Server.RunScheduled]; a new version is
// stored only when some rate moved beyond [WithRateChangeThreshold], so
// steady traffic does not make the fleet refetch); [Server.Shutdown] stops
// it. The `lipservice serve` command wraps it in an [http.Server].
//
// # API
//
// Every /api/v1 endpoint except health needs "Authorization: Bearer <key>";
// a key belongs to one team (`lipservice keys create --team N`) and can
// neither read nor write another team's data: a team_id parameter or body
// field naming another team is answered 403, and services are looked up
// within the key's team only. Errors are JSON objects {"error": "..."}.
//
//	GET  /healthz, /api/v1/health                      200 {"status":"ok",...} or 503
//	POST /api/v1/services                              201 service; 409 if it exists or the team is at its cap
//	GET  /api/v1/services                              200 {"services":[...]}
//	GET  /api/v1/services/{service}                    200 service
//	PUT  /api/v1/services/{service}                    200 service (targets)
//	GET  /api/v1/services/{service}/patterns           200 patterns with rates
//	GET  /api/v1/policies/{service}?team_id=N          200 policy JSON, ETag; 304 on If-None-Match; 404 if none yet
//	GET  /api/v1/policies/{service}/history            200 {"policies":[...],"next_before":N}, newest first, paged
//	POST /api/v1/policies/{service}/generate           201 new policy and its projection
//	POST /api/v1/patterns/stats                        202 {"accepted":n,"overflow":n}; 409 for a new service beyond the cap
//	GET  /dashboard                                    HTML (key by Bearer header or login cookie)
//
// Request bodies are limited ([WithMaxBodyBytes]); larger ones get 413.
//
// A service name is 1 to 128 letters, digits, '.', '_' or '-', and is
// neither "." nor "..": the router cleans those path segments out of a URL,
// so a service with such a name could never fetch its policy.
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
// lets them run during a write); the Server keeps the team of each API key
// and the latest policy of each service in memory for [WithCacheTTL] (1 s),
// so a steady fetch costs no database read; and it processes at most
// [WithMaxConcurrentReports] (4 on SQLite) stats reports at once, the others waiting
// before their body is read. TestLoad (LIPSERVICE_LOAD=1 go test ./server
// -run TestLoad -v) measures this with 32 writers and 32 readers.
//
// [NewListener] bounds the connections a server keeps open; at the bound it
// closes the longest-idle connection, so idle sockets cannot starve health
// checks (see [Listener]).
package server

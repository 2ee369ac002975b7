// Package store is the persistence layer of the LipService server: API keys,
// services, pattern statistics, generated policies and anomalies, in an
// embedded SQLite file (modernc.org/sqlite, pure Go) or in PostgreSQL (pgx).
//
// [Open] selects the backend from the DSN: a "postgres://" or
// "postgresql://" URL selects PostgreSQL, anything else is a SQLite file
// path (or a "file:" URI). Open applies the versioned schema migrations
// before it returns, so a new file or an empty database is ready to use.
//
// Every query is parameterized; no value from a request is ever spliced into
// SQL text. Every method takes a team ID or a service ID that the caller has
// already authorized: the store scopes its queries by them, and the server
// package maps API keys to teams.
//
// # Bounds
//
// Tables keyed by log content are bounded per service: at most
// [Options.MaxPatternsPerService] distinct signatures are stored (patterns
// beyond the cap are dropped from the per-pattern tables, still counted in
// the service totals, and reported in [RecordResult.Overflow]), and the
// per-minute volume buckets are deleted by [Store.Prune] after the retention
// period. Other tables are bounded too: each service keeps its newest
// [Options.MaxPolicyVersions] policy versions ([Store.AddPolicy] deletes
// older ones as it adds one), and a team has at most
// [Options.MaxServicesPerTeam] services (creating one more returns
// [ErrLimit]).
//
// Counts saturate: every running total, and every sum over volume buckets
// that a query returns, stays at [MaxCount] (the largest int64) instead of
// overflowing. Sums above 2^53 are approximate in SQLite, which adds them
// in floating point to saturate.
//
// # Concurrency
//
// On SQLite the writes go through one connection and the read methods
// through a separate pool of read-only connections; in WAL mode readers do
// not wait for the writer, so policy fetches keep their latency while stats
// reports are written.
package store

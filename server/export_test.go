package server

// WaitRefreshes waits for the read cache's background refreshes running
// (for the tests of package server_test).
func WaitRefreshes(s *Server) { s.cache.wait() }

// MaxStale is the read cache's stale window (maxStale), for the tests of
// package server_test.
const MaxStale = maxStale

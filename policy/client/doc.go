// Package client is the control-plane client of a LipService server: a
// [Client] (built with [New]) keeps a service's sampling policy in sync
// with the server (GET /api/v1/policies/{service}) and reports the
// service's pattern statistics (POST /api/v1/patterns/stats).
//
// It sits beside the sampler, not on the logging path: all network and disk
// I/O happens on the Client's own goroutine, stopped by [Client.Shutdown].
// The sampler implements [PolicySetter] and [StatsSource]; the policy model
// and the report's wire types are in package policy. The client is a
// package of its own so that a program that only samples does not build
// net/http.
package client

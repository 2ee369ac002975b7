package cluster

import "github.com/srex-dev/lipservice-go/internal/eventtok"

// isEventWord reports whether a template token names the event rather than
// a value, so that the miner never turns it into a variable however many
// values it sees at that position (see [Miner]):
//
//   - an HTTP request method (RFC 9110 §9, RFC 5789), upper case: GET,
//     POST, PUT, DELETE, HEAD, OPTIONS, PATCH, CONNECT, TRACE;
//   - an English verb form of state or outcome: a word of at least five
//     letters, all lower case after an optional capital, that ends in
//     "ed" or "ing" (started, Stopped, paused, resumed, failed, running).
//
// Both are closed grammatical classes, not lists fitted to a corpus: a
// request method or a state change is what the message is about, and
// messages that differ in it are different events (a "paused" must not be
// counted, sampled or alarmed as a "started").
func isEventWord(t string) bool {
	switch t {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return true
	}
	return eventtok.Verb(t)
}

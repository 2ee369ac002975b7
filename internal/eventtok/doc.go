// Package eventtok decides which tokens of a normalized template the
// normalizer kept as part of the event (signature SPEC §5.2, the
// access-log tokens of signature v3): an HTTP status and a request line's
// method and route. Both miners, pattern.Miner (the sampler's online
// patterns) and cluster.Miner (lipservice analyze's), ask it, so that the
// same template never merges such a token with a different one in either:
// a 500 response is not a 200 one, and GET /login is not POST /login.
//
// The rule is a class of token shapes, not a word list:
//
//   - a run of ASCII digits ([Number]): the normalizer masks numbers, so a
//     number left in its output was kept on purpose (the status after a
//     request line, or in status=);
//   - an HTTP method (three to ten upper-case ASCII letters, [Method])
//     followed by a request target ([Route]): the ids, query strings and
//     trailing path ids are already <*>, what is left names the endpoint;
//     or followed by a target the normalizer masked whole, when the
//     protocol after it ("<*> HTTP/1.1") shows it is a request line.
//
// [Kept] applies the rule to one token that may hold a whole quoted
// request line (pattern's tokens group quoted text); [Mark] applies it to
// the tokens of a template split at every space (cluster's tokens), where
// a request line spans three tokens.
//
// It also holds the few token shapes both miners test the same way, so
// that their classes cannot drift apart: [Capitalized] (a display-form
// state), [BracketDepth] and [DumpWord] (an object dump's brackets and
// class name).
//
// Every function is pure, safe for concurrent use, never allocates and
// never panics.
package eventtok

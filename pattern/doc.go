// Package pattern groups signatures into patterns: families of templates
// that differ only in variable positions the normalizer did not mask
// (quoted free text, e-mail addresses, names, lists of variable length).
//
// It sits between signature and sampler in the LipService pipeline
// (message → signature → pattern → decision). [signature.Of] stays the
// stateless, specified exact key; a [Miner] learns, online and per process,
// which signatures belong together, and gives each family a pattern ID. The
// entry point is [New]; [Miner.ID] returns the pattern ID of a message whose
// signature is known, placing the signature into a pattern the first time
// it is seen.
//
// # The miner
//
// A template is split into tokens at single spaces. A new template is
// compared with the patterns indexed under its first token and under its
// last token, by the rule of [Miner.ID]: equal lengths are aligned
// position by position, unequal lengths by their longest common prefix and
// suffix (the differing middle becomes one <*>, a variable span). It joins
// the most similar pattern when at least half of the tokens match (Drain's
// similarity threshold, He et al., ICWS 2017) and the tokens that differ
// are values (they contain a digit, punctuation such as quotes, '@', '=',
// brackets or commas, or non-ASCII). When the differing tokens are plain
// words (letters, '-', '_', '.', '/', ':'), the position is an open set
// (names) only if it took [MinWordValues] distinct words in one context;
// below that it is kept as a closed set of events (states such as
// started/paused/resumed, HTTP methods), which are different events.
// Tokens the normalizer kept as part of the event never merge: a number
// (the HTTP status), a request line and a method followed by its route.
//
// # Pattern IDs
//
// A pattern's ID is signature.OfTemplate of its template: a template that
// never merged keeps its signature as its pattern ID. When a pattern
// generalizes (a token becomes <*>), its ID becomes the signature of the
// new template, and every signature of the family maps to it; the old ID is
// retired ([Miner.Epoch] changes, so caches of IDs know to refresh). A
// template only ever gains <*>, so a pattern changes ID at most once per
// token, and in practice once or twice, in its first records. Two
// processes that see the same family therefore converge on the same
// template and the same ID once each has seen the family's variable
// positions vary; until then, and for families whose final template depends
// on the order of arrival, a server may publish an explicit signature →
// pattern map ([Miner.SetMap]), which takes precedence over the miner.
//
// [Miner.Origin] maps a pattern's ID to the ID it was created with, which
// does not change while the pattern generalizes: the key under which a
// pattern's history is kept (the sampler's anomaly valve), so that a known
// event whose pattern learned a variable is not a new pattern.
//
// # Memory
//
// The miner holds at most [WithMaxPatterns] patterns (default
// [DefaultMaxPatterns]) and remembers the placement of a bounded number of
// signatures (a two-way set-associative table with twice as many entries
// as patterns). A new pattern beyond the cap evicts one by the CLOCK rule
// (second chance): a pattern that had a signature looked up or placed since
// the clock hand last passed survives one more pass. A signature whose
// placement was forgotten is placed again, normally into the same pattern.
//
// # Performance
//
// [Miner.ID] on a signature already placed takes no lock: one probe of the
// placement table, two atomic loads. Placing a new signature takes the
// miner's mutex, normalizes the message again to get its template,
// tokenizes it and compares it with at most 2·[maxCandidates] patterns:
// about 1 µs for a 100-byte message (BenchmarkMiner_ID/first-sight).
// Callers that see the same message often (the sampler) cache the pattern
// ID per message and check [Miner.Epoch] to know when a cached ID is stale.
package pattern

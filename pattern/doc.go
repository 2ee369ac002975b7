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
// started/paused/resumed, HTTP methods), which are different events. The
// plain value of a key= is not such a word: a key names a field the
// program fills in (user=alice, queue=emails, task=redis), so past the
// first token (the subject: event=login) two of its values are one event,
// and merge at once, as cluster.Miner merges them at two values; except
// an event word (an HTTP-method-shaped word or a verb form: status=failed)
// and a capitalized word (one upper-case letter, then lower-case ones:
// state=Active), the display form of an enumerated state, which keep the
// rule of plain words. A closed set of event words holds no values: when
// a value takes the place
// of the words (the pattern generalizes, by a value, to the template its
// siblings would merge into: "account alice deleted", "account bob
// deleted", then "account 40172 deleted"), the position is an open set
// and the siblings merge into the pattern at once, whatever their number.
// A token that holds a variable and no letter ("<*>:", "::<*>", "<*>/<*>":
// a variable and its delimiters) is such a value: "nginx.service:" and
// "<*>:" differ in a value, not in words. So do two qualified names past
// the first token (a '.' or '/' between two parts, a lower-case letter in
// the last: shop.carts, orders/show.html.erb), names of things a program
// inserts, as cluster.Miner takes them; not the first token (the
// message's subject: "rpc.statd startup succeeded" and "rpc.idmapd startup
// succeeded" are two events) nor a constant (android.intent.action.SCREEN_ON).
// So do, past the first token, two names that prefix the same masked value
// with ':' or ',' (tcp:<*> and unix:<*>, session:<*> and cart:<*>): a
// scheme, a key space or a table names the kind of the value, so it is
// part of it (as cluster.Miner's name pairs; not when the rest holds a
// letter or a digit: name:<memory:<*> names a field).
// Such a name is recognizable from one record, so past the first token it
// is masked when the pattern is created, as quoted text is (below): the
// family's first record already has the family's pattern, and first-N and
// the new-pattern detector do not see a pattern that is about to change.
// So is a first token that is such a name and a ':' and nothing else: a
// label of the thing the event is about, not the subject of a sentence
// (systemd's "nginx.service: Main process exited", macOS's
// "com.apple.CacheDelete.daily: scheduler_evaluate_activity ..."); the
// event is what follows the label.
// Tokens the normalizer kept as part of the event never merge: a number
// (the HTTP status), a request line and a method followed by its route
// (the rule of internal/eventtok, which cluster.Miner applies too).
// Two shapes of variable span are treated as plain words too (a sibling,
// see [MinWordValues]), whatever they hold: a span that holds a key=value
// token, because a key names a field and a message with one more or one
// fewer field is another event (PAM's "... rhost=<*>" and "... rhost=<*>
// user=<*>"), even next to a variable; and a span at the head of the
// message (no common prefix) that does not continue a variable, because a
// message's first words name its event ("DHCPDISCOVER from <*>" and
// "DHCPREQUEST for <*> (<*>) from <*>" share a tail, not an event). A span
// inside the message or at its end that holds a value stays a variable:
// lists of variable length and free text; but not when both spans are
// clauses (two words or more that are not a list's items, "red, blue,",
// and words for half their tokens or more): "client <*> which had
// sessionid <*>" and "client <*> (no session established for client)"
// are two sentences after a variable, two events, not two values. A value may be empty: a token
// that is another with its enclosed variables removed ("()" and "(<*>)",
// "[]," and "[<*>],"; not ")" and "<*>)", the end of a group of several
// tokens) matches it as the same token, and the merge keeps the variable,
// so a pattern that learned "(<*>)" does not change ID at an empty value.
// Nor at another value in that place: a pattern token with a variable
// and delimiters covers the same token with a non-empty run in the
// variable's place ("(<*>):" covers "(eth0):", a name the normalizer kept
// next to ids it masked; "<*>," covers "LOCAL(<*>),"), as a bare <*>
// covers any token, without counting towards the similarity; a
// template's enclosed "(<*>):" against a pattern's "(eth0):" merges into
// "(<*>):", not <*>, so both orders give one template (a variable at the
// edge, "<*>,", against a value merges into <*>, as before).
//
// A variable and the unit word right after it ("<*> ms", "<*> bytes",
// "(<*> KB),": the data-size and time units of signature SPEC §3.1,
// internal/unitword) are one token, a value of their own kind: a quantity
// is written with a unit at one time, without one or in another unit at
// another ("took 12 ms", "took 1.2 s"; "lifetime <1 sec", "lifetime
// 00:02"), and these are one event, as cluster.Miner groups them. Two
// such tokens, or one and a bare <*>, differ in a value and merge into
// <*>; a pattern whose members all wrote one unit keeps it. Such a token
// is neither a plain word nor a value that makes a differing span one
// value: "corrected over <*> seconds" is a clause, not a value of
// "corrected".
//
// A comma list ("1,2,3", "a,b,c", "usertable,,<*>": items of letters,
// digits, variables and _ - . separated by commas, no space) is a value
// whose length varies from record to record (replicas, ranks, members,
// the fields of a composite key), so it is masked when the pattern is
// created, whatever its length, as one variable.
//
// An object dump written as a key= value is one value, masked when the
// pattern is created (the class of cluster.Miner, with its guards): a
// value printed by an object's string method, with spaces inside its
// brackets (ws=WorkSource{10113 com.google.android.gms} next to ws=null,
// planSummary=IXSCAN { email: 1 } next to planSummary=COLLSCAN). A key=
// whose value opens a bracket in its token, or is one word followed by a
// token that is only "{", "(" or "[", starts one; it ends at the token
// that closes the bracket, within 32 tokens, and becomes key=<*> and the
// punctuation after it. Split at its spaces, each length of the dump
// was a pattern of its own, and the sampler split the event by dump
// length. Not a dump: a key inside an open bracket (a field of a dump
// that encloses it: LeaderAndIsr(leader=2, isr=List(2, 3), ...)); a
// bracket glued to a word without a key (Set(yarn, curi)): nothing marks
// it as one value; and a dump that ends the message, which may hold the
// text that names the event (macOS's UserInfo={...
// NSLocalizedDescription=The request timed out.}), and is left as before.
// A value that opens with a quote, '{' or '[' is a group already (below:
// quoted text; key={...} and key=[...] are masked as bracketed groups).
//
// Quoted text is one token and a value (free text, SQL), masked when the
// pattern is created, except the quoted text that opens the message, alone
// or as the value of its first key (logfmt's msg="worker started", a JSON
// record's message written first): that is the record's message, which
// names its event, so it is kept and never merges with another text
// (a token kept as part of the event), and patterns are indexed by it.
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
// event whose pattern learned a variable is not a new pattern. A sibling
// that differs from its pattern only in names (plain words, none of them
// an event word: an HTTP-method-shaped word or a verb form of state or
// outcome such as started, paused, failed, running) gets that pattern's
// origin too: "deleted by bob" after "deleted by alice" is the known
// event, not a new one, though it keeps a pattern ID of its own until
// [MinWordValues] names merge. A sibling in an event word ("paused" after
// "started") keeps an origin of its own and is announced as new.
//
// # Memory
//
// Every table is bounded by the number of patterns, n = [WithMaxPatterns]
// (default [DefaultMaxPatterns], at least 16), and allocated by [New]
// unless said otherwise:
//
//   - the patterns: n nodes of 96 bytes, each with its template (at
//     most 2048 bytes; a longer template is not mined) and its tokens (at
//     most 64, 24 bytes each), allocated when the pattern is created;
//   - the placements of signatures: a two-way set-associative table of 2·n
//     entries (n rounded up to a power of two), 32 bytes each; two
//     signatures of one set evict each other, and a signature whose
//     placement was forgotten is placed again, normally into the same
//     pattern;
//   - the origins of generalized patterns ([Miner.Origin]): a table of
//     about n entries of 32 bytes, lossy in the same way;
//   - the candidate index: at most two keys per pattern (its first and last
//     token), each with a list of at most 16 patterns (the oldest is
//     dropped), and an ID → pattern map of at most n entries;
//   - the sibling counts (see [MinWordValues]): a map of at most n entries
//     of at most four patterns each, cleared when full (the counts start
//     again);
//   - the buffers of the placement being made, which grow with the message;
//     a buffer above 64 KiB is dropped after the placement, so a long
//     message is not held.
//
// A new pattern beyond n evicts one by the CLOCK rule (second chance): a
// pattern that had a signature looked up or placed since the clock hand
// last passed survives one more pass. With the default n, the worst case
// (every template 2048 bytes) is about 15 MB, a typical one (templates of
// 100 bytes) about 2.5 MB.
//
// # Performance
//
// [Miner.ID] on a signature already placed takes no lock: one probe of the
// placement table, two atomic loads. Placing a new signature takes the
// miner's mutex, normalizes the message again to get its template, masks
// and tokenizes it and compares it with at most 48 candidate patterns (16
// per index list); a 64-bit mask of each pattern's token hashes skips,
// without reading its tokens, a candidate that cannot reach the
// similarity threshold. A first sight that joins a pattern costs about
// 1 µs of CPU for a 60-byte message, one that starts a pattern about 2 µs
// with 4096 patterns held, an eviction included
// (BenchmarkMiner_ID/first-sight). Callers that see the same message often
// (the sampler) cache the pattern ID per message and check [Miner.Epoch]
// to know when a cached ID is stale.
package pattern

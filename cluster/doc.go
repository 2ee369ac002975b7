// Package cluster finds the patterns in a stream of log messages.
//
// It has two parts:
//
//   - the online miner, [Miner] (entry point [NewMiner]): add messages one by
//     one with [Miner.Add] and get the [Pattern] each belongs to, a template
//     with <*> for every variable part. Masking is done by package signature;
//     the miner then merges the variables that masking cannot recognize, such
//     as user and host names, in the Drain family of parsers (He et al., ICWS
//     2017). Patterns can be snapshotted to JSON and restored.
//   - the offline analysis, [Analyze]: TF-IDF over the mined templates
//     (github.com/james-bowman/nlp) and DBSCAN (Ester et al., KDD 1996) with
//     cosine distance group related patterns into clusters with counts,
//     severity distribution, first/last seen, a representative message and
//     error types.
//
// In the LipService pipeline (message → signature → pattern → decision) the
// miner runs off the hot path: in the CLI (lipservice analyze, lipservice
// parse) and in analysis jobs. The sampler keys on the stateless
// signature instead, because a miner's patterns depend on arrival order.
//
// # Accuracy
//
// On the eight Loghub-2k systems shipped in ../shared/loghub2k, scored
// against the corrected ground truth with one configuration for all systems,
// the miner reaches a mean grouping accuracy (GA) of 0.987 and parsing
// accuracy (PA) of 0.944 (TestLoghubAccuracy prints the per-system table).
// On the hand-written unseen-log corpus of testdata/unseen (93 software
// families not in ../shared, in five tuning and three held-out parts),
// TestUnseenCorpus prints the same kind of table and ratchets every part.
//
// # Event words
//
// A position becomes a variable once three distinct values were seen there,
// except for event words (an HTTP method, or a state or outcome verb form
// such as started, paused, resumed, failed or running): messages that
// differ in one are different events and keep their own patterns, so that a
// "paused" is never counted, sampled or alarmed as a "started".
//
// Likewise a token the normalizer kept as part of the event never merges
// with a different token, and a pattern that differs from a message in one
// is not a candidate for it: a number left in the template (the
// normalizer masks numbers, so one it left is the HTTP status of an
// access-log line, signature SPEC §5.2), and an HTTP method token (an
// optional opening quote, then three to ten upper-case letters) followed
// by a request target (a token starting with '/' or '*'), both tokens, or
// by a target masked whole and a protocol ("POST <*> HTTP/1.0"), the
// method. These are classes of token shapes, not word lists, and the rule
// is the one pattern.Miner applies (both ask internal/eventtok), so that
// lipservice analyze never puts a 500 response in the pattern of a 200
// one, nor POST /login with GET /healthz, as lipservice sample does not. A
// pattern whose token is <*> there still covers such a token, as it covers
// any.
//
// # Values and free text
//
// Two kinds of position become variables sooner (issue 9), each a class
// of token shapes, not a word list:
//
//   - a value position: the same key= on both sides (one value may be
//     empty: name= and name=worker), or one quoted word
//     ('shop', "login",), becomes <*> at two values (user=app and
//     user=alice) instead of three, and does not count against the
//     similarity; a value that is an event word, a capitalized word
//     ('Active', 'Inactive': the display form of an enumerated state), a
//     value the normalizer masked in part, or the first word of a quoted
//     text keeps the three-value rule, and a bare word has no such mark;
//     a quoted lower-case -ing word pairs with a plain quoted value as a
//     name (vhost '/' and 'billing': quotes mark an inserted name, and a
//     state in quotes meets another state, two verb forms stay apart);
//     two names tagged with a masked id in the same brackets
//     (tasks.send_email[<*>], tasks.resize_image[<*>]) are a value pair
//     too, and so are two names that prefix the same masked value with
//     ':' or ',' (tcp:<*> and unix:<*>, "cart:<*>" and "product:<*>",
//     HBase's regions events,<*>,<*>. and usertable,<*>,<*>.: a scheme, a key
//     space or a table names the kind of the value, so it is part of it
//     and the pair merges into one <*>; the rest must be only <*> and
//     punctuation, so Hadoop's mapResourceRequest:<memory:<*>, stays
//     apart from reduceResourceRequest:<memory:<*>,); and a pattern that a key=<*> learned later covers folds into
//     it (user=<*> covers user=reporting, which waited as a verb form);
//   - a free-text tail: messages that share a prefix of whole tokens (or
//     of value pairs, which become variables: "Task <*>[<*>] raised
//     unexpected: <*>") and end in three or more tails of two or more
//     lengths become one tail pattern (when its first token is a
//     variable, it also takes the messages whose first token is another
//     value of it, before and after it was made: "(<*>) CMD (<*>)" takes
//     "(postgres) CMD (pg_dump ...)"), the prefix then one <*> for the
//     rest ("Started <*>.", "Resolved [<*>]", "CMD (<*>)"), when every
//     tail is one delimited group, or when the prefix holds an event word
//     and every tail is a sentence's object (it starts with a letter or digit and all end in
//     the same closing punctuation; no variant of such an object without
//     a <*> was seen twice: an object that recurs with identical text
//     names an event, "Starting TrustedInstaller finalization.", while
//     "Session <*> of user root" recurs as a template of values). Tails that start with an event word
//     or hold a kept event token, that all end in the same token (the
//     difference is in the middle), or whose variants repeat more often
//     than there are variants, stay apart: Loghub's labels keep "data TLB
//     error interrupt" and "data storage interrupt", or "Wake reason: RTC
//     (Alarm)" and "Wake reason: Host (0x01)", apart. Two more tails are
//     free text: the value of a key that ends a clause ("statement: <*>",
//     "pull after error: <*>": a plain word before the key, two tails or
//     more of three tokens or more, no two of one template, not all
//     ending in a masked value; such a tail may start with a verb form),
//     and an object dump that ends the message ("is <*>" for "is
//     LeaderAndIsr(leader=2, ...)");
//   - a qualified name, a token of letters, digits and _ - $ : with a '.'
//     or '/' between two of its parts (com.android.settings/.Settings,
//     system.time.showampm, orders/show.html.erb, backend_api/api1), is a
//     value as a key= value is: two of them in the same frame of quotes,
//     brackets and closing punctuation merge at two values into one <*>
//     (issue 9: an Android or Rails event with few lines carries two
//     names, and each made a pattern of its own). Not the first token of
//     a message, its subject (Loghub keeps "rpc.statd startup succeeded"
//     apart from "rpc.idmapd startup succeeded"), not a name whose last
//     part has no lower-case letter, a constant that names the event
//     (android.intent.action.SCREEN_ON), and not a name masked in part;
//   - a comma list whose length varies is one <*> ("ISR from <*> to
//     <*>"; issue 9: Spark's "acls to: yarn,curi" and "acls to: hadoop",
//     Ceph's "mons a,b,c" and "mons ceph-node2,ceph-node3"): items are
//     variables or names (letters, digits, _ - .), written without spaces
//     and followed only by closing punctuation, and two such lists of
//     different lengths, one of them two items or more, are a value pair
//     past the first token; they do not count among the positions that
//     need three values, and a pattern with a list of another length
//     still counts as a variant of the same family. A list of fixed
//     length ([1440,900], yarn,curi and yarn,root) keeps its commas and
//     the three-value rule.
//   - an object dump as a key= value, an object written by its string
//     method with spaces inside its brackets (Android's
//     ws=WorkSource{10024 com.google.android.gms} and intent=Intent {
//     act=... }, MongoDB's planSummary=IXSCAN { email: 1 }), is one
//     token and one value: it pairs with any other value of its key at
//     two values, however much of it the normalizer masked, and merges
//     into key=<*> (issue 9: split at its spaces, each length of the dump
//     was a pattern of its own, and ws=null another). The key must be at
//     the message's top level (not a field inside an enclosing dump), the
//     bracket must close within 32 tokens, and a dump that ends the
//     message is left to the free-text rules above, which keep a trailing
//     dump whose text names the event apart (macOS's UserInfo={...
//     NSLocalizedDescription=The request timed out.}, as Loghub labels
//     it). A bracket glued to a word without a key (Set(yarn, curi)) is
//     not joined: nothing marks it as one value.
//
// A short message (three tokens or fewer) may also differ in one position
// when both tokens there hold a <*> (nginx:<*> and postgres:<*>), or when
// the pattern holds a constant event word elsewhere ("Proxy <*>
// started."; the first token only as a subject label, "<*>: Succeeded.",
// since Loghub keeps "cupsd startup succeeded" apart from "syslogd startup
// succeeded"), or in its last token when every token before it is a
// constant (a verb phrase and its object: "PING DATABASE <*>",
// msg="Starting provider <*>"); the three-value rule still decides.
//
// # Recurring constants
//
// A word that comes back with identical text is a constant of the event,
// a variable keeps bringing values not seen before (issue 9). So the
// first token of a message, its subject or verb, does not become a
// variable at three values while every value seen there recurred
// (HPC's "boot (command <*>) Error: Timeout", "halt ..." and "wait ..."
// stay three events; it waits for a value seen once), and a sentence's
// object does not become a free-text tail once a variant recurred (see
// above). Past the first token a recurring value still merges at three
// values: a user or host name recurs too (Loghub's Linux keeps "session
// opened for user <*>" one event over cyrus, news and test).
//
// The values often recur only after the variable formed: in a real log
// each event of a first session appears once, and the later repeats take
// the fast path of known templates. So a variable formed by one of these
// two rules is provisional: the pattern keeps the templates it merged (at
// most 8; a ninth makes it final, a variable) and a counter per template,
// which the fast path adds to without a lock and without allocating.
// When the evidence comes in (any object without a <*> recurred; every
// first token, three or more, recurred) the pattern is split back into one pattern per
// template: the oldest keeps the pattern's ID, the others get new IDs and
// take their counts, and the same rule does not merge them again. A
// pattern that changes in any other way, or a restored snapshot, is
// final. The split takes the Miner's lock once, on the message that
// brings the evidence.
//
// # Units after a variable
//
// A unit word right after a variable belongs to the variable's value
// (issue 9): a quantity is written with a unit at one time and without one
// at another, or in two units ("lifetime <1 sec" and "lifetime 00:02",
// "took 12 ms" and "took 1.2 s", "451 bytes sent" and "1190 bytes (1.16
// KB) sent", which the normalizer masks whole, signature SPEC §3.1), and
// each form would otherwise be a pattern of its own, with every line of
// the event split among them. The units are those of signature SPEC §3.1,
// data sizes and time (internal/unitword), a class of units, not a word
// list; a unit word that follows no variable is a word of the event. The
// normalizer's template, a specified key, is unchanged: the miner mines
// the core tokens of a message, each unit folded into the variable token
// before it (with the unit's closing punctuation: "took <*> ms," has the
// core tokens "took <*>,"), and keeps per position of a pattern the unit
// its members had there. The template writes the unit while every member
// had the same one ("took <*> ms", as the corrected Loghub templates do)
// and the bare <*> once they differ ("took <*>"). So a unit is not a
// position: the token count that groups patterns, the similarity and the
// short-message rules count core tokens; a tail's free text is core
// tokens (its <*> covers any unit), while its prefix keeps its units, and
// a unit counts as a plain word of the sentence before a key that ends a
// clause ("duration: <*> ms statement: <*>"). A restored snapshot reads
// the units back from the templates. pattern.Miner applies the same class
// (a variable and its unit are one value token), so the sampler's
// patterns group such messages as lipservice analyze does.
//
// # Variable spans
//
// Patterns are grouped by token count, so one value written with a
// varying number of tokens split its event by length (issue 9): a
// Proxifier connection of a 64-bit process, "chrome.exe *64 - host:443
// open through proxy ...", one token longer than "chrome.exe - host:443
// open through proxy ...", an argument list (HDFS's "BLOCK* ask <*> to
// delete <*> <*> ..."), a list or object dump of varying length
// ("[<*>, <*>]", "LocalAssignment(...)"). A message that joins no pattern
// of its own count (nor a tail) may join a pattern of another count
// whose words are the same, in the same order (a word: a token with no
// <*> that is letters only once the punctuation at its ends is
// trimmed), when they differ only in the segments between two words and
// each such segment holds a <*> on both sides: the tokens that differ,
// widened over the variables and punctuation around them ("<app> -
// <host>" is one value, as the corrected Loghub labels write it), become
// one <*>; a segment that is one delimited group on both sides keeps its
// delimiters ("[<*>]"), an object dump becomes one <*> with its name. The
// pattern takes the merged template, moves to the group of its new count
// and folds the patterns of its words that it now covers; a segment the
// pattern already holds as one <*> covers any value. Guards, each a
// class: every word of one side is a word of the other, so a message that
// adds a plain word is another event ("closed by invalid user <*>",
// "[preauth]"); at least three words, two of them adjacent on both sides
// or one an event word, so a short message's subject never merges alone
// (Loghub keeps "rpc.statd startup succeeded" and "rpc.idmapd startup
// succeeded" apart); the differing tokens are values (a masked value with
// plain punctuation, punctuation, or a qualified name): a bracketed group
// added on one side is another format ("from <*>:" and "from <*> (<*>):"
// in Loghub's Linux), a key added is another field ("rhost=<*>" and
// "rhost=<*> user=<*>"), a constant word with a digit is the event's
// ("ssh2"); a segment of constants only is never a span; a token the
// normalizer kept as part of the event never is in one; and messages of
// equal lengths are left to the rules above. Patterns are found by the
// hash of their words in an index bounded like the tail index (pruned on
// use, rebuilt past twice the pattern count and on eviction), which
// Match also reads for a message never added; the known path is
// unchanged.
//
// # JSON objects
//
// A message that is one JSON object written without spaces between its
// members (Zeek, audit records, access logs and logger output in JSON
// mined whole; the CLI's logline.Parser takes the message field of a
// JSON line that has one) is tokenized by its members instead of at
// spaces: the object is split after each member's ':' and after each ','
// between members, outside strings, so a key is one token and its value
// the next ({"level": "info", ...). Positions then align member by member
// and the rules above apply per member: a value becomes <*> inside its
// quotes ("host":"<*>") at enough distinct values, event words stay. Keys
// are kept as event tokens: objects with other members are other events;
// and they do not count in the similarity, so an object may differ in as
// many of its values as a plain message of those values.
// A nested object is flattened the same way (audit and access records keep
// their varying fields, user, object, status, in nested objects whose keys
// are as constant as the top-level ones); an array is one value (its items
// have no keys to align by); inside a string, words are split at spaces
// as in a plain message, so a field that carries a message ("msg", Docker's
// "log") is mined word by word and two messages stay apart. The template
// is the tokens joined with the object's own separators: no space is
// inserted. Patterns are grouped by this shape (where the member
// boundaries fall), so a JSON pattern never takes a plain message. A
// message that is not such an object pays one check of its first and last
// byte; JSON written with ", " and ": " is split at its spaces as before.
//
// Labels follow the corrected Loghub conventions (Khan et al., ICSE 2022),
// with a variable in angle brackets that delimit it kept as <<*>> (an
// Erlang pid), as [<*>] and (<*>) are.
//
// # Performance
//
// A message whose template was seen before costs one [signature.Of] (the
// template is hashed while it is built and not stored) and one probe of a
// lock-free table keyed by the signature: no lock, no allocation. Only a
// message with a new signature is normalized into a buffer and mined under
// the Miner's lock. BenchmarkMiner_Add reports lines/s and CPU ns per line
// against strings.Fields over the same lines. The miner holds at most
// [WithMaxPatterns] patterns; see [Miner] for the eviction rule.
package cluster

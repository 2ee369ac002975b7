// Package policy is the sampling policy model: the JSON document a LipService
// server serves for a service, plus the extensions this SDK understands.
//
// A [Policy] is plain data. Build one with [Default], [KeepAll] or [Uniform],
// decode one with [Parse] or [Load], check it with [Policy.Validate], and hand
// it to a sampler (sampler.WithPolicy, Sampler.SetPolicy), which compiles it
// into an immutable snapshot. A policy that fails validation is never put in
// force: the sampler keeps the one it has.
//
// The package also holds the wire types of the stats a service reports
// ([StatsReport], [PatternStat], [LevelCounts]). The generator, which
// computes a policy from pattern statistics, is package policy/generate;
// the control-plane client, which keeps a service's policy in sync with a
// LipService server over HTTP and reports its pattern statistics, is
// package policy/client. They live apart so that a program that only
// samples (policy, sampler, slogx) does not build net/http.
//
// # Wire format
//
// The fields the server sends are global_rate, severity_rates (keys DEBUG,
// INFO, WARNING, ERROR, CRITICAL), pattern_rates (16-hex-digit signatures, see
// signature.Sig), anomaly_boost, reasoning, generated_by, llm_model and
// version. The extensions, which a server may omit, are first_n,
// window_seconds, exempt, target_per_second, anomaly_max_per_second,
// dry_run and pattern_map; each has a safe
// default when absent (see the field docs on [Policy]).
//
// Unknown top-level fields are ignored, so that a newer server can add
// metadata (service name, timestamps, ids) without breaking older SDKs,
// except a key that looks like a misspelled policy field: the same name
// apart from case, '_' and '-', or within 1 edit of a known name of up to 6
// bytes (2 edits for longer names). Such a key ("global_rat": 0.5) is
// rejected with the field named, because a misspelled rule would silently
// keep or drop what its author did not mean.
// Unknown fields inside the extension object exempt are rejected, because a
// misspelled exemption would silently drop records the author meant to keep.
// Unknown severity names and malformed signatures are rejected for the same
// reason.
//
// # Evaluation order
//
// The sampler applies a policy to a record in this order; the first rule that
// applies decides:
//
//  1. exemptions (levels, attribute matches): kept, rate 1;
//  2. the first N records of each pattern in each window: kept, rate 1;
//  3. the anomaly valve: kept at min(1, rate*anomaly_boost) (rate 1 when
//     anomaly_boost is 0), capped at anomaly_max_per_second records per
//     second of the pattern, never below the rate of rules 4-7;
//  4. the pattern's rate from pattern_rates;
//  5. the severity rate from severity_rates (ERROR and CRITICAL are 1.0
//     unless the policy names them);
//  6. the adaptive per-pattern rate, when target_per_second is set;
//  7. global_rate (1.0 when absent).
package policy

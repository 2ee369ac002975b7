// Package sampler makes the hot-path keep/drop decision for one log record,
// per pattern, and reports the effective rate so that kept records can be
// re-weighted.
//
// The entry point is [New], which builds a [Sampler] from options (the
// policy, a clock, the anomaly [Valve], a per-decision [Hook], a custom
// sampling key ([WithKey])); [Sampler.Decide] takes a
// [Record] (level, message, attribute keys, time, trace ID) and returns a
// [Decision]: keep or drop, the rate (a kept record stands for 1/Rate
// records), the pattern ID and the [Reason]. The adapters (slogx, otelx, the
// CLI) fill a Record from their own record type and act on the Decision; they
// hold no sampling logic.
//
// In the LipService pipeline the sampler sits after signature (which turns a
// message into its exact signature) and pattern (which places the signature
// into a learned pattern, see [WithPatternMining]), and is fed by policy
// (the rules, hot-swapped with [Sampler.SetPolicy]) and anomaly (the valve).
//
// # Rules
//
// The rules and their order are documented on [Sampler.Decide]: kill switch,
// exemptions, first N of a pattern per window, anomaly valve (bounded by
// the policy's anomaly_max_per_second), pattern rate, severity rate,
// adaptive rate (which holds the target from the first record, see
// [Sampler]), global rate. Decisions under a trace ID are
// trace-consistent. Counters are kept per pattern ([Sampler.Stats]) and can
// be summarized per window ([WithSummary]); the sampler/samplermetrics
// package exports them as OpenTelemetry metrics.
//
// # Performance
//
// Decide does one atomic load of the policy snapshot, computes the pattern
// ID (a cache in front of signature.Of remembers the signatures of constant
// messages), finds the pattern's slot in a fixed table without locking and
// makes two atomic additions: one to the pattern's counters, which also
// carries the systematic-sampling accumulator (a third when a drawn record
// is kept), and one to the per-reason counters. Past a pattern's first N
// records in a window, its counters are striped by goroutine (by stack
// address), and so are the per-reason counters, so that a pattern logged
// from every core does not make the cores fight over one cache line. It does not allocate, takes no lock and calls no user code
// except the Valve, and the hook ([WithHook]) and key function ([WithKey])
// when they are set; with none set, each costs one predictable branch
// (BenchmarkSampler_DecideHook). The per-pattern state is a table of
// fixed size ([WithMaxPatterns]); memory does not grow with the number of
// distinct messages. A window roll, once per window (10 s by default), costs
// the record that triggers it time proportional to the table size, and so
// does a tick of the budget (every 250 ms of record time, see [Sampler]). A
// record kept by the first-N, anomaly or adaptive rule also adds to a
// per-second counter, and one kept by the last two re-measures its
// pattern's rate (a read of its 8 stripes).
//
// The package's benchmarks are BenchmarkSampler_Decide (constant and
// printf-style messages) and BenchmarkSampler_DecideParallel.
package sampler

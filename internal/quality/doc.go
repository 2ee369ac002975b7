// Package quality replays one generated log stream (internal/loggen) through
// several sampling methods and scores what each one kept against the
// stream's ground truth.
//
// It is the proof behind LipService's claim that per-pattern sampling with an
// anomaly valve keeps what matters at an order-of-magnitude cut: the test in
// this package prints one table with every method as a row and fails when
// LipService misses its targets.
//
// The entry point is [Compare]: it replays the stream once, feeding every
// line to a reference [Method] (LipService) and to its peers, then derives
// the two volume-matched baselines ([Uniform] and [LevelOnly] sampling at the
// reference's kept volume) from one pre-drawn uniform variate per line, and
// scores every method with the same [Result] fields. [Table] renders the
// results.
//
// # Metrics
//
// For each method: volume reduction (1 - kept/lines); template coverage
// (templates of the stream with at least one kept line; rare templates
// separately); ERROR and WARN retention; for each incident, the retention of
// its lines, the detection latency (first matching anomaly event minus the
// incident start, in simulated time; only for methods that report events)
// and the retention of its lines at or after detection; the fraction of the
// first 10 lines of each brand-new template that was kept; and the
// re-weighted count error: for every template with at least
// [MinCountLines] lines,
//
//	estimate = Σ 1/rate over the template's kept lines
//	error    = |estimate - true count| / true count
//
// summarized as mean and maximum over those templates. A method that reports
// no rate (zap's sampler) is scored with rate 1, which is what a reader of
// its output can do.
package quality

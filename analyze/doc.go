// Package analyze is LipService's offline analysis: it streams a log
// through the pattern miner and the anomaly detectors and reports the
// patterns, their clusters, the anomalies over time, a recommended sampling
// policy and its projected volume and cost, as text, JSON or a
// self-contained HTML page. It is the engine of `lipservice analyze`.
//
// [Analyze] reads an [io.Reader] (gzip is detected), [AnalyzeFiles] named
// files; both take [Options] (format, keys of structured lines, interval,
// target, price) and return a [Report]. [Report.WriteJSON] prints exactly
// the command's --json output, the stable interface; [Report.WriteText] and
// [Report.WriteHTML] the text tables and the HTML page:
//
//	rep, err := analyze.AnalyzeFiles(ctx, analyze.Options{Target: 0.1}, "app.log.gz")
//	if err != nil { ... }
//	for _, p := range rep.Patterns { fmt.Println(p.Count, p.Template) }
//	json.NewEncoder(os.Stdout).Encode(rep.Policy) // the recommended policy
//
// [Run] is the command itself (flags, exit codes), for the CLI.
//
// # Pipeline
//
// One goroutine reads the inputs (gunzipping them when they start with the
// gzip magic) in blocks of whole lines; GOMAXPROCS workers parse the blocks
// (header detection or the Loghub format, signature.Of); the calling
// goroutine consumes the blocks in input order and updates the bounded
// per-signature table, the miner and the error type (signature.ErrorType,
// once per new signature) and the anomaly detectors. After the input, the signatures are grouped into the
// miner's final patterns, clustered with cluster.Analyze and turned into a
// policy with generate.Policy.
//
// The detectors count lines per --interval (1 s by default). With
// --interval 0 the interval is chosen from the input's rate (interval.go):
// the first 65536 observations are held back, the interval is chosen from
// their count and time span, and they are replayed into the detectors, so
// the input is still read once with bounded memory.
//
// # Performance
//
// The reader, the parse workers and the consumer overlap, so on n cores the
// throughput approaches n times that of one core, minus the consumer's
// serial share (about 15% of the CPU time: the table update and the anomaly
// detectors). Lines are parsed in place in the read buffer. The consumer
// does not allocate for a line of a known signature (TestSteadyStateAllocs);
// only a new signature allocates (its template, example and series). With
// --format, the Loghub format is matched with byte loops (fastFormat) instead
// of its regular expression when its literals allow, and the time fields are
// parsed once per distinct value. BenchmarkAnalyze measures the whole command
// on real Loghub lines.
//
// The worst case is input in which every line has a new template (random
// words without digits): each new signature costs a search of the miner's
// candidate patterns, and the signature table and the miner churn through
// their eviction sweeps; memory stays bounded, throughput drops.
package analyze

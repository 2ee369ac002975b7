package analyze

import (
	"bufio"
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/policy"
)

// Defaults of the flags.
const (
	// DefaultPricePerGB is the default --price-per-gb, in currency units per
	// 10^9 bytes ingested: 0.50, the list price of standard log ingestion in
	// Amazon CloudWatch Logs (us-east-1), a common reference point.
	DefaultPricePerGB = 0.50
	// DefaultTarget is the default --target: keep 10% of the lines, the 90%
	// volume reduction LipService aims for.
	DefaultTarget = 0.1
	// DefaultTop is the default --top.
	DefaultTop = 20
	// DefaultInterval is the default --interval: the anomaly package's
	// default, one second. --interval 0 chooses the interval from the input
	// (see chooseInterval); it is not the default because on the sparse
	// Loghub samples it reports more events, not fewer: real but recurring
	// bursts (HDFS block-deletion waves, SSH brute-force runs) that 1 s
	// intervals spread too thin to see, as well as failure bursts (BGL) that
	// 1 s misses.
	DefaultInterval = time.Second
)

const usage = `usage: lipservice analyze [flags] [FILE...|-]

Analyze reads log lines from the FILEs, or from stdin when there is none or
a FILE is "-", and reports what LipService would do to them:

  - patterns: the mined templates (<*> marks variable parts) with their line
    count, share of lines and bytes, level mix, error types, first and last
    time seen;
  - clusters: groups of related patterns (TF-IDF + DBSCAN over the templates);
  - anomalies: the events of the anomaly detectors (rate spike, error surge,
    new pattern, disappearance) run over the lines in input order, with their
    times;
  - a recommended sampling policy (JSON) for --target, and its projected
    volume reduction and cost at --price-per-gb.

Input files may be gzip-compressed (detected by the gzip magic number) and
are streamed: memory stays bounded whatever their size (at most 32768
signatures, 10000 mined patterns, 120 time buckets per series, 1000 listed
anomalies). Lines may be up to 64 MiB long.

Each line's time, level and message come from its header. Without --format,
a leading timestamp (RFC 3339 / ISO 8601, "2006-01-02 15:04:05,000", syslog
"Jan _2 15:04:05", compact "060102 150405") and a level word are detected;
with --format, the Loghub log_format's <Content> and <Level> fields are
used, and the time is assembled from whichever of <Timestamp>, <Year>,
<Month>, <Date>, <Day> and <Time> the format has (a Unix <Timestamp> wins;
layouts such as "081109 203615", "20171223-22:15:29:606",
"2005-06-03-15.42.50.675872", "Dec 10 06:55:46"); a line that does not
match is all message. A line without a time takes the previous line's.
Times without a zone are UTC. Syslog times have no year: the first is
reported in year 0, and each later one in the year that puts it closest to
the previous one, so the years roll over (0, 1, ...) at a new year.

Without --format, a line that is a JSON object or logfmt (key=value pairs)
is read from its fields: the message from msg, message, log, ... (or
--message-key), the time from time, ts, timestamp, @timestamp, ... as RFC
3339 or Unix seconds/milliseconds/microseconds/nanoseconds (or --time-key),
the level from level, lvl, severity, ... as a name or a Bunyan/pino,
OpenTelemetry or syslog number (or --level-key). Its pattern is the
message's plus the set of its other keys, in any order; values enter it
only for the keys named by --value-keys. This is the pattern slogx gives
the same record in-process with sampler.WithAttrKeys(true). A line that
starts like JSON or logfmt but is not valid is read as text and counted as
malformed_lines.

A line without a header that has the shape of a continuation (indented, a
Java "at ..." or "Caused by:", a Python traceback, a Go "goroutine N [" dump
and its frames, an exception class line; see logline.Continues) belongs to
the record above it: it shares that record's pattern, time and level and is
counted as continuation_lines, not as a record. A record is cut after 500
lines or 256 KiB. --join=false reads every line as a record.

Output goes to stdout: text tables, or with --json one object with these keys
(snake_case, the stable interface; times are RFC 3339):

  input       files, lines, bytes, blank_lines, unmatched_lines,
              structured_lines, malformed_lines, continuation_lines,
              timed_lines,
              first_seen, last_seen, duration_seconds, patterns, signatures,
              evicted_signatures, evicted_lines, anomaly_events,
              anomaly_interval_seconds, anomaly_interval_auto (true when
              chosen from the input), interrupted
  patterns    [{id, template, count, share, bytes, byte_share, levels,
              error_types, first_seen, last_seen, example, signatures,
              signature_count, cluster_id, anomalies, recommended_rate,
              projected_kept, series}], the --top most frequent
  clusters    [{id, label, template, patterns, count, levels, error_types,
              first_seen, last_seen}], clusters of two or more patterns
  anomalies   [{id, type, severity, signature, pattern_id, template, level,
              value, baseline, score, confidence, start, detected, end}]
  timeline    {start, bucket_seconds, total, errors}: the axis of every
              "series" (line counts per bucket), absent without timestamps
  policy      the recommended policy (see package policy)
  projection  {target_keep_fraction, method, kept_by_reason, reachable,
              lines, projected_kept_lines,
              line_reduction, bytes, projected_kept_bytes, byte_reduction,
              price_per_gb, cost, projected_cost, projected_savings,
              per_30_days: {bytes, projected_kept_bytes, cost, projected_cost,
              projected_savings}, unreachable_reason, alternative: {change,
              policy, projected_kept_lines, line_reduction, kept_by_reason}}
              (per_30_days when the input spans a minute or more;
              unreachable_reason and alternative: see below)

A pattern's id is the signature of its template; its signatures are those of
its lines' normalized templates, the keys of the policy's pattern_rates (the
sampler's key). --html FILE also writes a self-contained HTML report (inline
CSS and SVG, no script and no external resource) with the tables, a
volume-over-time chart of all lines and of each of the 10 most frequent
patterns (within --top), and the anomalies marked on the charts.

The recommended policy is a steady-state policy (generate.Policy with the
--target keep fraction): it lists a rate for every chatty signature and keeps
ERROR and CRITICAL lines. Its first_n is 0 (the rates already keep rare
patterns in full; a first-N of 10 per window would keep nearly every line of
a log whose patterns are each under 10 lines per window), and its
pattern_map pins every rated signature to itself, so that the sampler's
online pattern layer applies the rates to the signatures they were computed
for. Anomalies found in the input do not exempt their patterns: at run time
the sampler's anomaly valve keeps incidents in full.

When every input is a regular file, the projection (method "replay") reads
the input a second time and decides every record with a real sampler
configured as "lipservice sample --policy P --seed 1" configures it, so it
simulates every rule the sampler applies: first-N and windows, exemptions,
rates and the anomaly valve; kept_by_reason splits the kept lines by the
sampler's reason. "lipservice sample --seed 1 --policy P" on the same file
keeps the same lines, give or take the differences of the two commands'
line readers. Stdin cannot be read twice: there the projection (method
"rates") assumes the policy's rates only, and signatures evicted from the
table are not in the policy and count as kept.

The replay also measures the records the anomaly valve keeps in full
(new-pattern windows, rate spikes and their decay): no rate cuts them, so
the policy is generated again with them charged to the budget first and
replayed again; the projection is that second replay. When the valve and
the exempt ERROR and CRITICAL lines alone keep more than --target (on a
short sample of a sparse log most patterns are new to the detector),
reachable is false, unreachable_reason says which, and when the valve is
the cause, alternative is a replayed policy that meets the target by
bounding the valve (anomaly_boost 1: records for which the valve is open are
kept at their pattern's rate). It is shown, not recommended: it gives up
keeping anomalies in full.

By default the anomaly detectors count lines per second and, at the same
time, per 10 s, 1 min, 5 min and 1 h, each time scale with its own baseline,
and report an anomaly at the scale where it is significant (rises as
rate_spike, drops as rate_drop; a rate that repeats every hour or day is
compared with the same phase of earlier periods); an anomaly's value and
baseline are lines per bucket of its scale (scale_seconds). --interval D
overrides this: one scale of D, as before. --interval 0 chooses the
interval from the input's rate: the smallest of 1s 2s 5s 10s 15s 30s 1m 2m 5m 10m 15m 30m 1h 2h 3h 6h 12h 1d at
which the lines average at least 2 per interval, measured on the first 65536
lines (held back until then) without the earliest and latest 1% of their
times; 1 s without timestamps.

Progress goes to stderr when it is a terminal, unless --quiet.

Exit status: 0 on success, whatever the report lists. With --exit-code
(like "git diff --exit-code"), 1 when the detectors reported an anomaly
other than a new pattern: a rate spike, an error surge or a disappearance
(new-pattern events alone do not count, since nearly every real log has
some). 2 for a usage error, an unreadable input, a write error or an
interrupt (the report of the lines read so far is still written), with or
without --exit-code.

Flags:
`

// config is the parsed command line.
type config struct {
	format     string
	keys       logline.Keys // structured-line fields (--message-key, ...)
	noJoin     bool         // --join=false
	json       bool
	html       string
	pricePerGB float64
	target     float64
	top        int
	quiet      bool
	exitCode   bool
	interval   time.Duration // 0: chosen from the input
	scales     bool          // --interval not given: the coarse scales run besides the 1 s interval
	holdMax    int           // 0: autoIntervalRecords
	files      []string

	workers    int // parse goroutines; 0: GOMAXPROCS
	chunkBytes int // 0: defaultChunkBytes
	maxLine    int // 0: maxLineBytes
	maxSigs    int // 0: maxSignatures
}

// Run is the CLI's entry point: it runs `lipservice analyze` with the
// arguments after the command name (a program uses [Analyze] instead) and
// returns the exit code: 0 on success; with --exit-code, 1 when the
// detectors reported an anomaly other than a new pattern (a rate spike, an
// error surge or a disappearance); 2 on a usage error or failure. It reads stdin only for "-" or when no file is
// named, writes the report to stdout and errors and progress to stderr.
// Cancelling ctx stops the analysis: the report of the lines read so far is
// written and Run returns 2.
//
// Run starts a reader goroutine and GOMAXPROCS parse goroutines and waits for
// them before it returns, with one exception: after ctx is cancelled it does
// not wait for a Read of the input that is still blocked (an idle stdin
// pipe); that goroutine exits as soon as the Read returns and touches nothing
// of Run's afterwards.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, code, ok := parseFlags(args, stderr)
	if !ok {
		return code
	}
	return run(ctx, cfg, stdin, stdout, stderr)
}

// parseFlags parses the command line; ok is false when Run must return
// code.
func parseFlags(args []string, stderr io.Writer) (cfg *config, code int, ok bool) {
	cfg = &config{}
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.format, "format", "", "Loghub log_format of the lines, e.g. '<Date> <Time> <Level> <Content>' (default: detect the header)")
	fs.StringVar(&cfg.keys.Message, "message-key", "", "`field` of JSON/logfmt lines holding the message (default: msg, message, ...)")
	fs.StringVar(&cfg.keys.Time, "time-key", "", "`field` of JSON/logfmt lines holding the time (default: time, ts, timestamp, @timestamp, ...)")
	fs.StringVar(&cfg.keys.Level, "level-key", "", "`field` of JSON/logfmt lines holding the level (default: level, lvl, severity, ...)")
	join := fs.Bool("join", true, "join continuation lines (stack traces, dumps) to the record above them")
	valueKeys := fs.String("value-keys", "", "comma-separated `fields` of JSON/logfmt lines whose values enter the pattern, e.g. status,method")
	fs.BoolVar(&cfg.json, "json", false, "write one JSON object instead of text tables")
	fs.StringVar(&cfg.html, "html", "", "also write a self-contained HTML report to `file`")
	fs.Float64Var(&cfg.pricePerGB, "price-per-gb", DefaultPricePerGB, "ingestion price per 10^9 bytes, for the projected cost")
	fs.Float64Var(&cfg.target, "target", DefaultTarget, "fraction of the lines the recommended policy keeps, in (0, 1]")
	fs.IntVar(&cfg.top, "top", DefaultTop, "number of patterns and clusters listed (0: all)")
	fs.BoolVar(&cfg.quiet, "quiet", false, "do not show progress")
	fs.BoolVar(&cfg.exitCode, "exit-code", false, "exit with status 1 when an anomaly other than a new pattern was found")
	fs.DurationVar(&cfg.interval, "interval", DefaultInterval, "`duration` of the interval the anomaly detectors count lines per, e.g. 10m; 0 chooses it from the input's rate")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if code, ok := cliflag.Parse(fs, args, stderr); !ok {
		return nil, code, false
	}
	cfg.scales = true
	fs.Visit(func(f *flag.Flag) { cfg.scales = cfg.scales && f.Name != "interval" })
	var bad error
	switch {
	case !(cfg.target > 0 && cfg.target <= 1):
		bad = fmt.Errorf("--target %v: must be in (0, 1]", cfg.target)
	case !(cfg.pricePerGB >= 0) || math.IsInf(cfg.pricePerGB, 0):
		bad = fmt.Errorf("--price-per-gb %v: must be a non-negative number", cfg.pricePerGB)
	case cfg.top < 0:
		bad = fmt.Errorf("--top %d: must not be negative", cfg.top)
	case cfg.interval < 0:
		bad = fmt.Errorf("--interval %v: must not be negative", cfg.interval)
	}
	if bad != nil {
		fmt.Fprintf(stderr, "lipservice: analyze: %v\n", bad)
		return nil, 2, false
	}
	cfg.noJoin = !*join
	for _, k := range strings.Split(*valueKeys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			cfg.keys.Values = append(cfg.keys.Values, k)
		}
	}
	cfg.files = fs.Args()
	if len(cfg.files) == 0 {
		cfg.files = []string{"-"}
	}
	return cfg, 0, true
}

// run analyzes the input of cfg and writes the report as the command does.
func run(ctx context.Context, cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "lipservice: analyze: %v\n", err)
		return 2
	}
	rep, err := analyzeInput(ctx, cfg, stdin, stderr)
	if rep == nil {
		return fail(err)
	}
	interruptErr := err // the report of the lines read so far is still written
	if cfg.html != "" {
		if err := writeHTMLFile(cfg.html, rep); err != nil {
			return fail(err)
		}
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	if cfg.json {
		err = rep.WriteJSON(w)
	} else {
		err = writeText(w, rep)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fail(fmt.Errorf("write: %w", err))
	}
	if interruptErr != nil {
		return fail(interruptErr)
	}
	if cfg.exitCode && rep.incidents > 0 {
		return 1
	}
	return 0
}

// analyzeInput reads the input of cfg (stdin for "-") and builds the report.
// Progress goes to stderr when it is a terminal, unless cfg.quiet. On an
// error it returns a nil report, except when ctx was cancelled: then it
// returns the report of the lines read so far (Input.Interrupted set) and
// an error naming the cause.
func analyzeInput(ctx context.Context, cfg *config, stdin io.Reader, stderr io.Writer) (*Report, error) {
	lp := &lineParser{sp: logline.NewParser(cfg.keys)}
	if cfg.format != "" {
		if err := logline.Validate(cfg.format); err != nil {
			return nil, err
		}
		lf, err := logline.Compile(cfg.format)
		if err != nil {
			return nil, err
		}
		lp.format, lp.fast, lp.tf = lf, compileFast(cfg.format), logline.NewTimeFields(lf.Names())
	}
	maxSigs := cfg.maxSigs
	if maxSigs <= 0 {
		maxSigs = maxSignatures
	}
	var detOpts []anomaly.Option
	if cfg.scales && cfg.interval == DefaultInterval {
		// The default: the 1 s interval and the coarse scales.
		detOpts = append(detOpts, anomaly.WithScales(anomaly.DefaultScales...))
	}
	a, err := newAggregator(maxSigs, cfg.interval, detOpts...)
	if err != nil {
		return nil, err
	}
	a.holdMax = cmp.Or(cfg.holdMax, autoIntervalRecords)
	a.join = !cfg.noJoin
	defer a.shutdown()

	workers := cfg.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunkBytes := cfg.chunkBytes
	if chunkBytes <= 0 {
		chunkBytes = defaultChunkBytes
	}
	maxLine := cfg.maxLine
	if maxLine <= 0 {
		maxLine = maxLineBytes
	}
	prog := newProgress(stderr, !cfg.quiet && isTerminal(stderr))
	p := newPipeline(cfg.files, stdin, workers, chunkBytes, maxLine, lp.parseChunk)
	var inErr error
	interrupted := false
	for {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		c := p.next(ctx)
		if c == nil {
			interrupted = ctx.Err() != nil
			break
		}
		if c.err != nil {
			inErr = c.err
			p.release(c)
			break
		}
		a.addChunk(c)
		p.release(c)
		prog.update(a.lines, a.bytes)
	}
	p.stop(!interrupted)
	prog.done()
	for _, w := range p.warnings() {
		fmt.Fprintf(stderr, "lipservice: analyze: warning: %s; non-printing bytes are escaped in the text report\n", w)
	}
	if inErr != nil {
		return nil, inErr
	}
	if err := a.finish(); err != nil {
		return nil, err
	}
	if recs := a.lines - a.joined; cfg.format != "" && 2*a.unmatched > recs {
		// Most lines do not match: the format is likely wrong for the input.
		fmt.Fprintf(stderr, "lipservice: analyze: warning: %d of %d lines do not match --format '%s'; check the format against a line of the input\n", a.unmatched, recs, cfg.format)
	}

	rep, err := buildReport(a, cfg)
	if err != nil {
		return nil, err
	}
	rep.Input.Interrupted = interrupted
	rep.incidents = a.incidentsTotal
	if !interrupted && replayable(cfg.files) {
		err := rep.replayProjection(cfg, func(pol *policy.Policy) (replayResult, error) {
			return replay(ctx, cfg, lp, pol, workers, chunkBytes, maxLine)
		})
		if err != nil {
			return nil, fmt.Errorf("projection: %w", err)
		}
	}
	rep.plan = nil
	if interrupted {
		return rep, fmt.Errorf("interrupted after %d lines: %w", a.lines, context.Cause(ctx))
	}
	return rep, nil
}

// writeHTMLFile writes the HTML report to path.
func writeHTMLFile(path string, rep *Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = rep.WriteHTML(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

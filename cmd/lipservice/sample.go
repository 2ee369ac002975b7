package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/internal/input"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

const sampleUsage = `usage: lipservice sample [flags] [FILE|-]

Sample filters a log stream through the LipService sampler, with the anomaly
detectors as its valve, and writes the kept lines unchanged (but for a
trailing carriage return, which is removed) to stdout. It reads FILE, or stdin
when FILE is absent or "-".

A JSON or logfmt line is read from its fields (see "lipservice analyze -h"
and --message-key, --time-key, --level-key, --value-keys); its pattern is
its message's plus the set of its other keys, as slogx gives it with
sampler.WithAttrKeys(true). A line that starts like JSON or logfmt but is
not valid is read as text and counted as malformed.

A line without a header that has the shape of a continuation (indented,
"at ...", "Caused by:", a Python traceback, a Go "goroutine N [" dump and its
frames, an exception class line; see logline.Continues), and a blank line
after a record, belong to the record above: they are kept or dropped with it,
and --json marks them "continues": true. A record is cut after 500 lines or
256 KiB. --join=false makes every line a record.

Each other line's message, time and level come from its header: without --format,
a leading timestamp (RFC 3339 / ISO 8601, "2006-01-02 15:04:05,000", syslog
"Jan _2 15:04:05", compact "060102 150405") and level word are detected; with
--format, the Loghub log_format's <Content>, <Level> and date/time fields are
used. A line without a timestamp takes the previous line's time. With
--lines-per-second N, line k is placed at (k-1)/N seconds instead, for logs
without timestamps.

Without --policy, the policy is adaptive sampling towards 8 records per
second of log time (target_per_second 8), with the first 5 records of every
pattern per 60-second window kept (first_n 5, window_seconds 60) and ERROR
and above kept: the configuration measured by the sampling-quality test
(internal/quality). An error surge opens the valve for error records only.

With --json, stdout carries one JSON object per kept line: line (1-based
input line number), text (the line), time (when the line has one), level,
pattern_id, template, rate and reason. The summary (lines, kept, dropped,
decisions by reason, what was kept per second against the policy's target,
the top patterns and the anomalies) goes to stderr as text, or as one JSON
object with --json; --quiet omits it.

Exit status: 0 when the stream was filtered (anomalies do not change it); 2
for a usage error, an unreadable input or policy, a line longer than 64 MiB,
a write error or an interrupt.

Flags:
`

// sampleMaxLine is the longest input line sample accepts.
var sampleMaxLine = 64 << 20

// samplePatternCap bounds the per-pattern counts of the summary: patterns
// beyond the first samplePatternCap distinct ones are counted together as
// "other patterns".
const samplePatternCap = 10000

// sampleEventCap bounds the anomaly events kept for the summary; later events
// are counted but not listed.
const sampleEventCap = 1000

// samplePerSecond is the adaptive target of the default policy, in records
// per second: about 3 % of a 250 lines/s stream, the >= 90 % reduction
// operating point the sampling-quality test measures.
const samplePerSecond = 8

// sampleDefaultPolicy is the policy used without --policy:
// policy.Adaptive(samplePerSecond), the policy the sampling-quality test
// measures.
func sampleDefaultPolicy() *policy.Policy {
	p := policy.Adaptive(samplePerSecond)
	p.GeneratedBy = "lipservice sample (default)"
	return p
}

// sampleDetectorOptions are the anomaly-detector options of sample: every
// threshold is the anomaly package's default; the error-surge scope is
// anomaly.ScopeErrors, because ERROR records are kept at rate 1 by the
// policy anyway and the default anomaly.ScopeService would keep every
// record of the whole service for as long as a surge lasts, which no
// volume budget survives.
func sampleDetectorOptions() []anomaly.Option {
	return []anomaly.Option{anomaly.WithSurgeScope(anomaly.ScopeErrors)}
}

type sampleFlags struct {
	policyPath     string
	format         string
	keys           logline.Keys
	linesPerSecond float64
	noJoin         bool
	json           bool
	quiet          bool
	top            int
	seed           uint64
}

func runSample(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f sampleFlags
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.policyPath, "policy", "", "policy JSON `file` (default: adaptive, 8 records/s)")
	fs.StringVar(&f.format, "format", "", "Loghub log_format of the lines, e.g. '<Date> <Time> <Level> <Content>' (default: detect)")
	addKeyFlags(fs, &f.keys)
	fs.BoolFunc("join", "join continuation lines (stack traces, dumps) to the record above them (default true; --join=false: every line is a record)", func(v string) error {
		on, err := strconv.ParseBool(v)
		f.noJoin = !on
		return err
	})
	fs.Float64Var(&f.linesPerSecond, "lines-per-second", 0, "place line k at (k-1)/`N` seconds instead of reading timestamps (0: read timestamps)")
	fs.BoolVar(&f.json, "json", false, "write kept lines as NDJSON objects and the summary as JSON")
	fs.BoolVar(&f.quiet, "quiet", false, "do not write the summary")
	fs.IntVar(&f.top, "top", 10, "number of patterns listed in the summary")
	fs.Uint64Var(&f.seed, "seed", 0, "seed for reproducible sampling draws (0: random)")
	fs.Usage = func() {
		fmt.Fprint(stderr, sampleUsage)
		fs.PrintDefaults()
	}
	if code, ok := cliflag.Parse(fs, args, stderr); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "lipservice: sample: %v\n", err)
		return 2
	}
	if fs.NArg() > 1 {
		cliflag.Fail(stderr, "sample", errors.New("at most one input file"))
		return 2
	}
	if f.linesPerSecond < 0 || math.IsNaN(f.linesPerSecond) || math.IsInf(f.linesPerSecond, 0) {
		return fail(fmt.Errorf("--lines-per-second %v: must be a positive number or 0", f.linesPerSecond))
	}
	if f.top < 0 {
		return fail(fmt.Errorf("--top %d: must not be negative", f.top))
	}

	pol := sampleDefaultPolicy()
	if f.policyPath != "" {
		p, err := policy.Load(f.policyPath)
		if err != nil {
			return fail(err)
		}
		pol = p
	}
	sh := &structHeader{p: logline.NewParser(f.keys)}
	parse := sh.parse
	if f.format != "" {
		if err := logline.Validate(f.format); err != nil {
			return fail(err)
		}
		lf, err := logline.Compile(f.format)
		if err != nil {
			return fail(err)
		}
		parse = formatHeader(lf)
	}

	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	in, closeIn, err := input.Open(name, stdin) // gunzips, as analyze and parse do
	if err != nil {
		return fail(err)
	}
	defer closeIn()

	run, err := newSampleRun(pol, parse, f)
	if err != nil {
		return fail(err)
	}
	defer run.shutdown()
	out := bufio.NewWriterSize(stdout, 64<<10)
	err = run.filter(ctx, in, out)
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write: %w", ferr)
	}
	if run.binary != "" {
		binaryWarning(stderr, "sample", name, run.binary)
	}
	warnUnmatched(stderr, "sample", f.format, run.unmatched, run.lines)
	if !f.quiet {
		run.summary(stderr)
	}
	if err != nil {
		if name != "-" && !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return fail(err)
	}
	return 0
}

// header is what sample reads from one line.
type header struct {
	content string
	t       time.Time // zero when the line has no timestamp
	level   slog.Level
	word    string         // the level word as written, "" when there is none
	attrs   []sampler.Attr // keys of a JSON/logfmt line (see logline.Parser); they alias the parser's scratch
	kind    logline.Kind
	header  bool // the line has a header (a detected timestamp, a --format match) or is JSON/logfmt
}

// structHeader reads JSON and logfmt lines from their fields and other
// lines with detectHeader. It is used by one goroutine.
type structHeader struct {
	p     *logline.Parser
	sc    logline.Scratch
	attrs []sampler.Attr
}

func (sh *structHeader) parse(line string) header {
	sh.sc.Reset()
	r, kind := sh.p.Parse(line, &sh.sc)
	if kind != logline.JSON && kind != logline.Logfmt {
		h := detectHeader(line)
		h.kind = kind
		return h
	}
	sh.attrs = sh.attrs[:0]
	for _, k := range r.Keys {
		sh.attrs = append(sh.attrs, sampler.Attr{Key: k})
	}
	h := header{content: r.Message, t: r.Time, word: r.Level, attrs: sh.attrs, kind: kind, header: true}
	h.level = levelOf(r.Level)
	if r.Level == "" {
		h.level = slog.LevelInfo
	}
	return h
}

// detectHeader reads a common timestamp/level header (logline.Detect); a
// line without one is all content, at level INFO.
func detectHeader(line string) header {
	content, t, word, ok := logline.Detect(line)
	if !ok {
		return header{content: line, level: slog.LevelInfo}
	}
	return header{content: content, t: t, level: levelOf(word), word: word, header: true}
}

// formatHeader reads lines with a compiled Loghub format: <Content>,
// <Level>, and the time from the date/time fields the format has. A line
// that does not match is all content, at level INFO.
func formatHeader(lf *logline.Format) func(string) header {
	return func(line string) header {
		fields, ok := lf.Parse(line)
		if !ok {
			return header{content: line, level: slog.LevelInfo}
		}
		word := fields.Get("Level")
		return header{content: fields.Content, t: logline.FieldsTime(fields), level: levelOf(word), word: word, header: true}
	}
}

// levelOf maps a level word to an slog level with the CLI's one table,
// logline.ParseLevel; an unknown word, or none, is INFO.
func levelOf(word string) slog.Level {
	l, _ := logline.ParseLevel(word)
	return l
}

// patternCount is one pattern's line of the summary.
type patternCount struct {
	sig         signature.Sig
	template    string
	lines, kept int
}

// curRecord is what a continuation line shares with the first line of its
// record.
type curRecord struct {
	ok   bool // a record has been read
	keep bool
	h    header
	dec  sampler.Decision
	pc   *patternCount
}

// sampleRun filters one stream and gathers its summary. It is used by one
// goroutine; the detector's callback runs on it, inside Decide.
type sampleRun struct {
	flags  sampleFlags
	parse  func(string) header
	s      *sampler.Sampler
	d      *anomaly.Detector
	rec    sampler.Record
	enc    *json.Encoder
	origin time.Time          // time of line 1 with --lines-per-second
	years  logline.YearRoller // places year-less (syslog) times in their year
	shift  logline.YearShift  // year-less times as the sampler and detectors see them

	lines, kept  int
	timed        int // lines with a timestamp
	structured   int // JSON/logfmt lines
	joined       int // continuation lines joined to the record above
	joiner       logline.Joiner
	cur          curRecord // the record the next continuation line joins
	malformed    int       // lines that started like JSON/logfmt but broke its syntax
	unmatched    int       // non-blank lines that do not match --format
	binary       string    // why the input looks binary, "" for text
	reasons      [16]int
	patterns     map[signature.Sig]*patternCount
	otherLines   int
	otherKept    int
	events       []anomaly.Event
	eventIndex   map[uint64]int
	eventsTotal  int
	eventsByType map[anomaly.Type]int
	perSec       *perSecond // kept per second against the target
}

func newSampleRun(pol *policy.Policy, parse func(string) header, f sampleFlags) (*sampleRun, error) {
	r := &sampleRun{
		flags:        f,
		parse:        parse,
		patterns:     map[signature.Sig]*patternCount{},
		eventIndex:   map[uint64]int{},
		eventsByType: map[anomaly.Type]int{},
		origin:       time.Unix(0, 0).UTC(),
		perSec:       newPerSecond(pol.TargetPerSecond, f.top),
	}
	d, err := anomaly.New(append(sampleDetectorOptions(), anomaly.WithCallback(r.onEvent))...)
	if err != nil {
		return nil, err
	}
	// Attribute keys enter the pattern of JSON/logfmt lines, as slogx
	// gives them with this option; plain lines have none, so their
	// patterns are the message's alone.
	opts := []sampler.Option{sampler.WithPolicy(pol), sampler.WithValve(d), sampler.WithAttrKeys(true)}
	if f.seed != 0 {
		opts = append(opts, sampler.WithSeed(f.seed))
	}
	s, err := sampler.New(opts...)
	if err != nil {
		d.Shutdown(context.Background())
		return nil, err
	}
	r.s, r.d = s, d
	return r, nil
}

func (r *sampleRun) shutdown() {
	r.s.Shutdown(context.Background())
	r.d.Shutdown(context.Background())
}

func (r *sampleRun) onEvent(e anomaly.Event) {
	e.Start, e.Detected, e.End = r.shift.Unshift(e.Start), r.shift.Unshift(e.Detected), r.shift.Unshift(e.End)
	if i, ok := r.eventIndex[e.ID]; ok {
		r.events[i] = e // the close delivery
		return
	}
	r.eventsTotal++
	r.eventsByType[e.Type]++
	if len(r.events) < sampleEventCap {
		r.eventIndex[e.ID] = len(r.events)
		r.events = append(r.events, e)
	}
}

// filter reads lines from in and writes the kept ones to out.
func (r *sampleRun) filter(ctx context.Context, in io.Reader, out *bufio.Writer) error {
	if r.flags.json {
		r.enc = json.NewEncoder(out)
		r.enc.SetEscapeHTML(false)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	r.binary = sniff(br)
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), sampleMaxLine)
	var last time.Time
	for sc.Scan() {
		if r.lines&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r.lines++
		line := strings.TrimSuffix(sc.Text(), "\r")
		h := r.parse(line)
		if !h.header && r.flags.format != "" && strings.TrimSpace(line) != "" {
			r.unmatched++
		}
		if !r.flags.noJoin && r.cur.ok {
			// A continuation line, or a blank line inside a multi-line
			// record, is kept or dropped with its record.
			blank := strings.TrimSpace(line) == ""
			if blank || r.joiner.Next(len(line)+1, h.header, !h.header && logline.Continues(line)) {
				r.joined++
				if r.cur.pc != nil {
					r.cur.pc.lines++
				} else {
					r.otherLines++
				}
				if !r.cur.keep {
					continue
				}
				r.kept++
				if r.cur.pc != nil {
					r.cur.pc.kept++
				} else {
					r.otherKept++
				}
				if err := r.write(out, line, &r.cur.h, r.cur.dec, r.cur.pc, true); err != nil {
					return fmt.Errorf("write: %w", err)
				}
				continue
			}
		} else if !r.flags.noJoin {
			r.joiner.Next(len(line)+1, true, false)
		}
		switch h.kind {
		case logline.JSON, logline.Logfmt:
			r.structured++
		case logline.Malformed:
			r.malformed++
		}
		h.t = r.years.Roll(h.t)
		if !h.t.IsZero() {
			r.timed++
			last = h.t
		}
		t := last
		if r.flags.linesPerSecond > 0 {
			t = r.origin.Add(time.Duration(float64(r.lines-1) / r.flags.linesPerSecond * float64(time.Second)))
		}
		r.rec = sampler.Record{Time: r.shift.Shift(t), Level: h.level, Message: h.content, Attrs: h.attrs}
		dec := r.s.Decide(&r.rec)
		if !h.t.IsZero() || r.flags.linesPerSecond > 0 {
			r.perSec.add(t, dec)
		}
		if int(dec.Reason) < len(r.reasons) {
			r.reasons[dec.Reason]++
		}
		pc := r.count(dec.Pattern, &h)
		h.attrs = nil // they alias the parser's scratch
		r.cur = curRecord{ok: true, keep: dec.Keep, h: h, dec: dec, pc: pc}
		if !dec.Keep {
			continue
		}
		r.kept++
		if pc != nil {
			pc.kept++
		} else {
			r.otherKept++
		}
		if err := r.write(out, line, &h, dec, pc, false); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes", r.lines+1, sampleMaxLine)
		}
		return err
	}
	return nil
}

// count counts a line of pattern sig (read as h) and returns its entry,
// or nil when the pattern table is full.
func (r *sampleRun) count(sig signature.Sig, h *header) *patternCount {
	pc := r.patterns[sig]
	if pc == nil {
		if len(r.patterns) >= samplePatternCap {
			r.otherLines++
			return nil
		}
		tmpl, ok := r.s.Template(sig)
		if !ok || tmpl == "" {
			tmpl = displayTemplate(h)
		}
		pc = &patternCount{sig: sig, template: tmpl}
		r.patterns[sig] = pc
	}
	pc.lines++
	return pc
}

// displayTemplate is the template shown for a line of h's pattern when the
// sampler has none: its normalized content, or for a JSON/logfmt line
// without a message, whose pattern is its keys, logline.KeysTemplate.
func displayTemplate(h *header) string {
	if h.content == "" && len(h.attrs) > 0 {
		keys := make([]string, len(h.attrs))
		for i := range h.attrs {
			keys[i] = h.attrs[i].Key
		}
		return logline.KeysTemplate(keys)
	}
	return signature.Normalize(h.content)
}

// keptLine is the --json form of a kept line.
type keptLine struct {
	Line      int           `json:"line"`
	Text      string        `json:"text"`
	Time      string        `json:"time,omitempty"`
	Level     string        `json:"level"`
	PatternID signature.Sig `json:"pattern_id"`
	Template  string        `json:"template"`
	Rate      float64       `json:"rate"`
	Reason    string        `json:"reason"`
	// Continues marks a continuation line (or a blank line) of a
	// multi-line record: its time, level, pattern and decision are the
	// record's.
	Continues bool `json:"continues,omitempty"`
}

func (r *sampleRun) write(out *bufio.Writer, line string, h *header, dec sampler.Decision, pc *patternCount, cont bool) error {
	if r.enc == nil {
		out.WriteString(line)
		return out.WriteByte('\n')
	}
	kl := keptLine{
		Line:      r.lines,
		Text:      line,
		Level:     policy.SeverityOf(h.level),
		PatternID: dec.Pattern,
		Rate:      dec.Rate,
		Reason:    dec.Reason.String(),
		Continues: cont,
	}
	if !h.t.IsZero() {
		kl.Time = h.t.Format(time.RFC3339Nano)
	}
	if pc != nil {
		kl.Template = pc.template
	} else {
		kl.Template = displayTemplate(h)
	}
	return r.enc.Encode(kl)
}

// topPatterns returns the n patterns with the most lines (ties by kept,
// then by pattern ID).
func (r *sampleRun) topPatterns(n int) []*patternCount {
	all := make([]*patternCount, 0, len(r.patterns))
	for _, pc := range r.patterns {
		all = append(all, pc)
	}
	slices.SortFunc(all, func(a, b *patternCount) int {
		if c := cmp.Compare(b.lines, a.lines); c != 0 {
			return c
		}
		if c := cmp.Compare(b.kept, a.kept); c != 0 {
			return c
		}
		return cmp.Compare(a.sig, b.sig)
	})
	top := all[:min(n, len(all))]
	// The pattern layer may have learned variables of a pattern since its
	// first line (a name that differs between lines).
	for _, pc := range top {
		if tmpl, ok := r.s.Template(pc.sig); ok && tmpl != "" {
			pc.template = tmpl
		}
	}
	return top
}

// sampleSummary is the --json form of the summary.
type sampleSummary struct {
	Lines         int              `json:"lines"`
	Kept          int              `json:"kept"`
	Dropped       int              `json:"dropped"`
	TimedLines    int              `json:"timed_lines"`
	Structured    int              `json:"structured_lines,omitempty"`
	Malformed     int              `json:"malformed_lines,omitempty"`
	Continuation  int              `json:"continuation_lines,omitempty"`
	Reasons       map[string]int   `json:"reasons"`
	Patterns      int              `json:"patterns"`
	OtherLines    int              `json:"other_pattern_lines,omitempty"`
	Top           []summaryPattern `json:"top_patterns"`
	Anomalies     int              `json:"anomalies"`
	AnomalyEvents []anomaly.Event  `json:"anomaly_events"`
	PerSecond     perSecondSummary `json:"per_second"`
}

type summaryPattern struct {
	PatternID signature.Sig `json:"pattern_id"`
	Template  string        `json:"template"`
	Lines     int           `json:"lines"`
	Kept      int           `json:"kept"`
}

func (r *sampleRun) reasonCounts() map[string]int {
	m := map[string]int{}
	for reason, n := range r.reasons {
		if n > 0 {
			m[sampler.Reason(reason).String()] = n
		}
	}
	return m
}

// summary writes the summary to w.
func (r *sampleRun) summary(w io.Writer) {
	top := r.topPatterns(r.flags.top)
	if r.flags.json {
		s := sampleSummary{
			Lines:         r.lines,
			Kept:          r.kept,
			Dropped:       r.lines - r.kept,
			TimedLines:    r.timed,
			Structured:    r.structured,
			Malformed:     r.malformed,
			Continuation:  r.joined,
			Reasons:       r.reasonCounts(),
			Patterns:      len(r.patterns),
			OtherLines:    r.otherLines,
			Top:           make([]summaryPattern, len(top)),
			Anomalies:     r.eventsTotal,
			AnomalyEvents: r.events,
			PerSecond:     r.perSec.summary(),
		}
		if s.AnomalyEvents == nil {
			s.AnomalyEvents = []anomaly.Event{}
		}
		for i, pc := range top {
			s.Top[i] = summaryPattern{PatternID: pc.sig, Template: pc.template, Lines: pc.lines, Kept: pc.kept}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		return
	}

	fmt.Fprintf(w, "lipservice sample: %d lines, %d kept (%s), %d dropped\n", r.lines, r.kept, percent(r.kept, r.lines), r.lines-r.kept)
	if r.joined > 0 {
		fmt.Fprintf(w, "%d continuation lines joined to the record above (kept or dropped with it)\n", r.joined)
	}
	if r.structured > 0 || r.malformed > 0 {
		fmt.Fprintf(w, "%d JSON/logfmt lines, %d malformed (read as text)\n", r.structured, r.malformed)
	}
	if r.lines > 0 && r.timed == 0 && r.flags.linesPerSecond == 0 {
		fmt.Fprintln(w, "warning: no timestamps detected; windows followed the wall clock (use --lines-per-second or --format)")
	}
	reasons := r.reasonCounts()
	names := make([]string, 0, len(reasons))
	for n := range reasons {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n + " " + strconv.Itoa(reasons[n]))
	}
	fmt.Fprintf(w, "decided by: %s\n", b.String())
	r.perSec.write(w)

	other := ""
	if r.otherLines > 0 {
		other = fmt.Sprintf(" (+%d lines of untracked patterns)", r.otherLines)
	}
	fmt.Fprintf(w, "\npatterns: %d%s, top %d by lines:\n", len(r.patterns), other, len(top))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  lines\tkept\tkept %\tpattern_id\ttemplate")
	for _, pc := range top {
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\n", pc.lines, pc.kept, percent(pc.kept, pc.lines), pc.sig, clip(pc.template, 100))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nanomalies: %d", r.eventsTotal)
	if r.eventsTotal > 0 {
		types := make([]anomaly.Type, 0, len(r.eventsByType))
		for t := range r.eventsByType {
			types = append(types, t)
		}
		slices.Sort(types)
		b.Reset()
		for i, t := range types {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.String() + " " + strconv.Itoa(r.eventsByType[t]))
		}
		fmt.Fprintf(w, " (%s)", b.String())
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, e := range r.events {
		if i == r.flags.top*2 {
			fmt.Fprintf(tw, "  … %d more\n", r.eventsTotal-i)
			break
		}
		subject := e.Template
		if e.Type == anomaly.ErrorSurge {
			subject = "(service-wide errors)"
		} else if subject == "" {
			subject = e.Pattern.String()
		}
		end := "active"
		if !e.End.IsZero() {
			end = "ended " + e.End.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\tscale %s\tvalue %s\tbaseline %s\t%s\t%s\n",
			e.Detected.UTC().Format(time.RFC3339), e.Type, e.Severity, e.Scale,
			strconv.FormatFloat(e.Value, 'f', -1, 64), strconv.FormatFloat(e.Baseline, 'f', 2, 64),
			end, clip(subject, 80))
	}
	tw.Flush()
}

func percent(a, b int) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(a)/float64(b), 'f', 1, 64) + "%"
}

// clip shortens s to at most n runes, marking the cut with "…", after
// escaping its non-printing bytes (logline.Printable), so that a control
// byte or invalid UTF-8 cannot break the table or the terminal.
func clip(s string, n int) string {
	s = logline.Printable(s)
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

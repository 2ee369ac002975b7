package analyze

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/srex-dev/lipservice-go/logline"
)

// Options configures an analysis; they are the flags of `lipservice analyze`
// as data (a config struct, not functional options, because they are what a
// user writes down once per log source). The zero value analyzes with the
// command's defaults.
type Options struct {
	// Format is a Loghub log_format of the lines, e.g.
	// "<Date> <Time> <Level> <Content>" (see logline.Compile); empty
	// detects the header of each line (--format).
	Format string
	// Keys names the fields of JSON and logfmt lines: message, time,
	// level, and the keys whose values enter the pattern (--message-key,
	// --time-key, --level-key, --value-keys). The zero value uses the
	// usual field names.
	Keys logline.Keys
	// NoJoin reads every line as a record; by default a continuation line
	// (stack trace, dump; see logline.Continues) joins the record above it
	// (--join=false).
	NoJoin bool
	// Interval is the interval the anomaly detectors count lines per
	// (--interval). Zero means DefaultInterval together with the coarse
	// time scales (10 s to 1 h), the command's default; a positive value
	// runs that one scale only.
	Interval time.Duration
	// AutoInterval chooses the interval from the input's rate instead
	// (--interval 0); Interval is then ignored.
	AutoInterval bool
	// Target is the fraction of the lines the recommended policy keeps,
	// in (0, 1]; zero means DefaultTarget (--target).
	Target float64
	// PricePerGB is the ingestion price per 10^9 bytes for the projected
	// cost; zero means DefaultPricePerGB (--price-per-gb).
	PricePerGB float64
	// Top is the number of patterns and clusters listed in the report;
	// zero means DefaultTop, a negative value lists all (--top).
	Top int
}

// config turns the options into the command's configuration, checking
// them as the command checks its flags.
func (o Options) config(files []string) (*config, error) {
	cfg := &config{
		format:     o.Format,
		keys:       o.Keys,
		noJoin:     o.NoJoin,
		interval:   o.Interval,
		scales:     o.Interval == 0 && !o.AutoInterval,
		target:     o.Target,
		pricePerGB: o.PricePerGB,
		top:        o.Top,
		quiet:      true,
		files:      files,
	}
	switch {
	case o.AutoInterval:
		cfg.interval = 0
	case o.Interval == 0:
		cfg.interval = DefaultInterval
	}
	if cfg.target == 0 {
		cfg.target = DefaultTarget
	}
	if cfg.pricePerGB == 0 {
		cfg.pricePerGB = DefaultPricePerGB
	}
	switch {
	case cfg.top == 0:
		cfg.top = DefaultTop
	case cfg.top < 0:
		cfg.top = 0 // the command's "all"
	}
	switch {
	case !(cfg.target > 0 && cfg.target <= 1):
		return nil, fmt.Errorf("analyze: Target %v: must be in (0, 1]", cfg.target)
	case !(cfg.pricePerGB >= 0) || math.IsInf(cfg.pricePerGB, 0):
		return nil, fmt.Errorf("analyze: PricePerGB %v: must be a non-negative number", cfg.pricePerGB)
	case cfg.interval < 0:
		return nil, fmt.Errorf("analyze: Interval %v: must not be negative", cfg.interval)
	}
	return cfg, nil
}

// Analyze reads log lines from r until EOF and returns the report: the
// mined patterns, their clusters, the anomalies, a recommended policy and
// its projected volume and cost. Input that starts with the gzip magic is
// gunzipped. Memory stays bounded whatever the input's size (see the
// package doc). The report's Input.Files is ["-"].
//
// Cancelling ctx stops the analysis: Analyze then returns the report of
// the lines read so far, with Input.Interrupted set, and an error wrapping
// the cause. On any other error the report is nil. Analyze starts
// GOMAXPROCS+1 goroutines and waits for them before it returns, except for
// a Read of r still blocked after ctx was cancelled (see [Run]).
func Analyze(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	cfg, err := opts.config([]string{"-"})
	if err != nil {
		return nil, err
	}
	return analyzeInput(ctx, cfg, r, io.Discard)
}

// AnalyzeFiles is [Analyze] over the named files, read one after another
// as one stream (each gunzipped when it starts with the gzip magic). The
// name "-" is not special here: it names a file. The report's Input.Files
// lists the names.
func AnalyzeFiles(ctx context.Context, opts Options, names ...string) (*Report, error) {
	if len(names) == 0 {
		return nil, errors.New("analyze: AnalyzeFiles: no file named")
	}
	for _, n := range names {
		if n == "-" {
			return nil, errors.New(`analyze: AnalyzeFiles: "-" is stdin; use Analyze(ctx, os.Stdin, opts)`)
		}
	}
	cfg, err := opts.config(names)
	if err != nil {
		return nil, err
	}
	return analyzeInput(ctx, cfg, nil, io.Discard)
}

// WriteJSON writes the report as one indented JSON object followed by a
// newline, byte for byte what `lipservice analyze --json` prints. The keys
// are the stable interface.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteText writes the report as the text tables `lipservice analyze`
// prints. The layout is for people and may change; WriteJSON is the stable
// form.
func (rep *Report) WriteText(w io.Writer) error {
	return writeText(w, rep)
}

// WriteHTML writes the report as the self-contained HTML page of
// `lipservice analyze --html`: inline CSS and SVG charts, no script and no
// external resource.
func (rep *Report) WriteHTML(w io.Writer) error {
	return writeHTML(w, rep)
}

// Incidents returns the number of anomaly events other than new patterns
// (rate spikes and drops, error surges, disappearances): what makes
// `lipservice analyze --exit-code` exit with status 1. It counts every
// event, also those beyond the listed Anomalies.
func (rep *Report) Incidents() int {
	return rep.incidents
}

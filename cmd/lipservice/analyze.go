package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/logline"
)

const analyzeUsage = `usage: lipservice analyze [--format FORMAT] [--top N] [--json] [FILE|-]...

Mines the log patterns of the input and prints them by count: count, share of
all lines, and template (<*> marks variable parts). --json prints one object:

	{"lines":N,"patterns":[{"id":..,"template":..,"signature":..,"count":..,"share":..,"example":..},...]}

FORMAT is a Loghub log_format (see "lipservice parse -h"); without it a
leading timestamp/level header is detected and skipped.

Exit status: 0 on success, 2 on a usage error or failure.
`

// analysis is the result of mining an input: the structured part that the
// text and JSON renderers (and later stages) consume.
type analysis struct {
	Lines    int              `json:"lines"`
	Patterns []patternSummary `json:"patterns"`
}

// patternSummary is one mined pattern with its share of the lines.
type patternSummary struct {
	cluster.Pattern
	Share float64 `json:"share"`
}

// analyzeInput mines the lines of the named inputs and returns the patterns
// by count (highest first).
func analyzeInput(ctx context.Context, names []string, stdin io.Reader, lf *logline.Format) (analysis, error) {
	m := cluster.NewMiner()
	lines := 0
	err := forEachLine(ctx, names, stdin, func(line string) error {
		c, _ := contentOf(lf, line)
		m.Add(c)
		lines++
		return nil
	})
	if err != nil {
		return analysis{}, err
	}
	ps := m.Patterns()
	a := analysis{Lines: lines, Patterns: make([]patternSummary, len(ps))}
	for i, p := range ps {
		a.Patterns[i] = patternSummary{Pattern: p}
		if lines > 0 {
			a.Patterns[i].Share = float64(p.Count) / float64(lines)
		}
	}
	return a, nil
}

// renderPatternsText writes the analysis as an aligned table (at most top
// patterns when top > 0).
func renderPatternsText(w io.Writer, a analysis, top int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines, %d patterns\n\n", a.Lines, len(a.Patterns))
	fmt.Fprintf(&b, "%8s  %6s  %s\n", "COUNT", "SHARE", "TEMPLATE")
	for i, p := range a.Patterns {
		if top > 0 && i == top {
			fmt.Fprintf(&b, "... %d more patterns\n", len(a.Patterns)-top)
			break
		}
		fmt.Fprintf(&b, "%8d  %5.1f%%  %s\n", p.Count, 100*p.Share, p.Template)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// renderPatternsJSON writes the analysis as one JSON object.
func renderPatternsJSON(w io.Writer, a analysis, top int) error {
	if top > 0 && len(a.Patterns) > top {
		a.Patterns = a.Patterns[:top]
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(a)
}

// runAnalyze implements "lipservice analyze".
func runAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, analyzeUsage) }
	format := fs.String("format", "", "Loghub log_format of the input lines (default: detect a timestamp/level header)")
	top := fs.Int("top", 0, "print only the N most frequent patterns (0: all)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	var lf *logline.Format
	if *format != "" {
		var err error
		if lf, err = logline.Compile(*format); err != nil {
			fmt.Fprintf(stderr, "lipservice: analyze: %v\n", err)
			return 2
		}
	}
	a, err := analyzeInput(ctx, fs.Args(), stdin, lf)
	if err != nil {
		fmt.Fprintf(stderr, "lipservice: analyze: %v\n", err)
		return 2
	}
	render := renderPatternsText
	if *asJSON {
		render = renderPatternsJSON
	}
	if err := render(stdout, a, *top); err != nil {
		fmt.Fprintf(stderr, "lipservice: analyze: %v\n", err)
		return 2
	}
	return 0
}

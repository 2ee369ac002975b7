package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/internal/logline"
)

const parseUsage = `usage: lipservice parse [--format FORMAT] [FILE|-]...

Mines the log templates of the input and writes CSV to stdout, one row per
input line, in order:

	LineId,EventId,EventTemplate

LineId counts lines from 1 across all inputs; EventId is the 16-hex-digit
signature of the template (signature.OfTemplate); EventTemplate has <*> for
every variable part. Lines are mined first and labelled afterwards, so every
line gets its pattern's final template.

FORMAT is a Loghub log_format such as
'<Date> <Time> <Level> \[<Process>\] <Component>: <Content>'; only <Content> is
mined, and lines that do not match it are mined whole (with a warning).
Without --format a leading timestamp/level header is detected and skipped.

Exit status: 0 on success, 2 on a usage error or failure.
`

// runParse implements "lipservice parse".
func runParse(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, parseUsage) }
	format := fs.String("format", "", "Loghub log_format of the input lines (default: detect a timestamp/level header)")
	if code, ok := cliflag.Parse(fs, args, stderr); !ok {
		return code
	}
	var lf *logline.Format
	if *format != "" {
		var err error
		if lf, err = logline.Compile(*format); err != nil {
			fmt.Fprintf(stderr, "lipservice: parse: %v\n", err)
			return 2
		}
	}
	m := cluster.NewMiner(cluster.WithMaxPatterns(1 << 20))
	var contents []string
	unmatched := 0
	err := forEachLine(ctx, fs.Args(), stdin, func(line string) error {
		c, ok := contentOf(lf, line)
		if !ok {
			unmatched++
		}
		m.Add(c)
		contents = append(contents, c)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "lipservice: parse: %v\n", err)
		return 2
	}
	if unmatched > 0 {
		fmt.Fprintf(stderr, "lipservice: parse: %d lines did not match --format and were mined whole\n", unmatched)
	}
	w := csv.NewWriter(stdout)
	_ = w.Write([]string{"LineId", "EventId", "EventTemplate"})
	for i, c := range contents {
		p, _ := m.Match(c)
		_ = w.Write([]string{strconv.Itoa(i + 1), p.Signature.String(), p.Template})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintf(stderr, "lipservice: parse: %v\n", err)
		return 2
	}
	return 0
}

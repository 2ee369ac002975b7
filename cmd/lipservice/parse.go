package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/logline"
)

const parseUsage = `usage: lipservice parse [--format FORMAT] [FILE|-]...

Mines the log templates of the input and writes CSV to stdout, one row per
input line, in order:

	LineId,EventId,EventTemplate

LineId counts lines from 1 across all inputs; EventId is the 16-hex-digit
signature of the template (signature.OfTemplate); EventTemplate has <*> for
every variable part. Lines are mined first and labelled afterwards, so every
line gets its pattern's final template. The input is read twice, so memory
stays bounded by the patterns, not by the input; stdin and pipes are copied
to a temporary file (os.TempDir) for the second reading. Lines longer than
64 MiB are an error, as in analyze and sample.

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
		if err = logline.Validate(*format); err == nil {
			lf, err = logline.Compile(*format)
		}
		if err != nil {
			fmt.Fprintf(stderr, "lipservice: parse: %v\n", err)
			return 2
		}
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "lipservice: parse: %v\n", err)
		return 2
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"-"}
	}
	// Pass 1 mines. An input that cannot be read twice (stdin, a pipe) is
	// copied to a temporary file on the way, so that memory stays bounded
	// by the miner, not by the input.
	spool, err := newSpool(names)
	if err != nil {
		return fail(err)
	}
	defer spool.remove()
	m := cluster.NewMiner(cluster.WithMaxPatterns(1 << 20))
	lines, unmatched := 0, 0
	warn := func(name, reason string) { binaryWarning(stderr, "parse", name, reason) }
	err = forEachLineTee(ctx, names, stdin, spool, warn, func(line string) error {
		c, ok := contentOf(lf, line)
		lines++
		if !ok {
			unmatched++
		}
		m.Add(c)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	if unmatched > 0 {
		fmt.Fprintf(stderr, "lipservice: parse: %d lines did not match --format and were mined whole\n", unmatched)
		warnUnmatched(stderr, "parse", *format, unmatched, lines)
	}
	// Pass 2 labels every line with its pattern's final template.
	bw := bufio.NewWriterSize(stdout, 64<<10)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"LineId", "EventId", "EventTemplate"})
	id := 0
	err = forEachLine(ctx, spool.names(names), nil, nil, func(line string) error {
		c, _ := contentOf(lf, line)
		p, _ := m.Match(c)
		id++
		return w.Write([]string{strconv.Itoa(id), p.Signature.String(), p.Template})
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

// spool holds copies of the inputs that cannot be read twice, one
// temporary file per such name ("-", a pipe, a device).
type spool struct {
	files map[int]*os.File // by index into names
}

// newSpool creates a temporary file for each name of names that is not a
// regular file.
func newSpool(names []string) (*spool, error) {
	s := &spool{files: map[int]*os.File{}}
	for i, n := range names {
		if n != "-" {
			if fi, err := os.Stat(n); err != nil || fi.Mode().IsRegular() {
				continue // a missing file fails when it is opened
			}
		}
		f, err := os.CreateTemp("", "lipservice-parse-*")
		if err != nil {
			s.remove()
			return nil, fmt.Errorf("spool input: %w", err)
		}
		s.files[i] = f
	}
	return s, nil
}

// names returns names with every spooled input replaced by its copy.
func (s *spool) names(names []string) []string {
	out := slices.Clone(names)
	for i, f := range s.files {
		out[i] = f.Name()
	}
	return out
}

// remove deletes the copies.
func (s *spool) remove() {
	for _, f := range s.files {
		f.Close()
		os.Remove(f.Name())
	}
}

// forEachLineTee is forEachLine that also copies the lines of each spooled
// input to its temporary file.
func forEachLineTee(ctx context.Context, names []string, stdin io.Reader, s *spool, warn func(name, reason string), fn func(line string) error) error {
	for i, name := range names {
		f, ok := s.files[i]
		if !ok {
			if err := forEachLine(ctx, []string{name}, stdin, warn, fn); err != nil {
				return err
			}
			continue
		}
		bw := bufio.NewWriterSize(f, 64<<10)
		err := forEachLine(ctx, []string{name}, stdin, warn, func(line string) error {
			bw.WriteString(line)
			bw.WriteByte('\n')
			return fn(line)
		})
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

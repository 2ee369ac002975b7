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
	"strings"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/logline"
)

const parseUsage = `usage: lipservice parse [--format FORMAT] [--join=false] [FILE|-]...

Mines the log templates of the input and writes CSV to stdout, one row per
record, in order:

	LineId,EventId,EventTemplate

LineId counts lines from 1 across all inputs; EventId is the 16-hex-digit
signature of the template (signature.OfTemplate); EventTemplate has <*> for
every variable part. Records are mined first and labelled afterwards, so
every record gets its pattern's final template.

A record is a line, and the continuation lines that follow it, as analyze
and sample join them: a line without a header that has the shape of a
continuation (indented, "at ...", "Caused by:", a Python traceback, a Go
"goroutine N [" dump and its frames, an exception class line; see
logline.Continues), and a blank line after a record, belong to the record
above; a record is cut after 500 lines or 256 KiB. A multi-line record is
one row: its LineId is its first line's, its template is its first line's
(continuation lines are not mined), and the line numbers skipped up to the
next row's LineId are its continuation lines. --join=false makes every line
a record, so that there is one row per input line. The input is read twice, so memory
stays bounded by the patterns, not by the input; stdin and pipes are copied
to a temporary file (os.TempDir) for the second reading. Lines longer than
64 MiB are an error, as in analyze and sample.

FORMAT is a Loghub log_format such as
'<Date> <Time> <Level> \[<Process>\] <Component>: <Content>'; only <Content> is
mined, and lines that do not match it are mined whole (with a warning).
Without --format a leading timestamp/level header is detected and skipped,
and of a JSON or logfmt line the message field is mined (msg, message, @m
and the other names of logline.Parser); a JSON or logfmt line without one
is mined whole.

Exit status: 0 on success, 2 on a usage error or failure.
`

// runParse implements "lipservice parse".
func runParse(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, parseUsage) }
	format := fs.String("format", "", "Loghub log_format of the input lines (default: detect a timestamp/level header)")
	join := fs.Bool("join", true, "join continuation lines (stack traces, dumps) to the record above them; --join=false: a row per line")
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
	records, unmatched := 0, 0
	warn := func(name, reason string) { binaryWarning(stderr, "parse", name, reason) }
	rs := recordSplitter{join: *join}
	err = forEachLineTee(ctx, names, stdin, spool, warn, func(line string) error {
		c, matched, header := lineHead(lf, line)
		if !rs.starts(line, header) {
			return nil
		}
		records++
		if !matched {
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
		warnUnmatched(stderr, "parse", *format, unmatched, records)
	}
	// Pass 2 labels every record with its pattern's final template. The
	// records are split again, line by line, exactly as in pass 1.
	bw := bufio.NewWriterSize(stdout, 64<<10)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"LineId", "EventId", "EventTemplate"})
	id := 0
	rs = recordSplitter{join: *join}
	err = forEachLine(ctx, spool.names(names), nil, nil, func(line string) error {
		id++
		c, _, header := lineHead(lf, line)
		if !rs.starts(line, header) {
			return nil
		}
		p, _ := m.Match(c)
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

// lineHead reads what parse needs of one line: the content it mines (see
// contentOf), whether it matched --format, and whether it has a header of
// its own (a --format match, a JSON or logfmt line, a detected timestamp),
// which a continuation line has not.
func lineHead(format *logline.Format, line string) (content string, matched, header bool) {
	if format != nil {
		content, matched = contentOf(format, line)
		return content, matched, matched
	}
	var sc logline.Scratch
	if r, kind := structParser.Parse(line, &sc); kind == logline.JSON || kind == logline.Logfmt {
		if r.Message == "" {
			// No message field (Zeek, JSON access logs): the record's
			// event is its members, so the line is mined whole, and the
			// miner reads a JSON object by its members.
			return strings.TrimSpace(line), true, true
		}
		return strings.Clone(r.Message), true, true
	}
	content, _, _, header = logline.Detect(line)
	return content, true, header
}

// recordSplitter finds the lines that start a record, as sample does: with
// join on, a line continues the record above when it is blank or when
// logline.Joiner joins it (no header, a continuation shape, the record
// under its caps). Its memory is constant. The zero recordSplitter makes
// every line a record.
type recordSplitter struct {
	join    bool
	started bool // a record has begun
	j       logline.Joiner
}

// starts reports whether line (header: it has a header of its own) starts
// a record.
func (rs *recordSplitter) starts(line string, header bool) bool {
	if !rs.join {
		return true
	}
	line = strings.TrimSuffix(line, "\r")
	if !rs.started {
		rs.started = true
		rs.j.Next(len(line)+1, true, false)
		return true
	}
	if strings.TrimSpace(line) == "" {
		return false
	}
	return !rs.j.Next(len(line)+1, header, !header && logline.Continues(line))
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

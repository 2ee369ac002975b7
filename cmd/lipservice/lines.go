package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/srex-dev/lipservice-go/internal/input"
	"github.com/srex-dev/lipservice-go/logline"
)

// maxLineBytes is the longest input line the CLI reads (bufio.Scanner's
// default of 64 KiB is too small for real logs): 64 MiB, as analyze and
// sample.
var maxLineBytes = 64 << 20

// forEachLine calls fn for every line of the named files, or of stdin when
// names is empty or a name is "-", in order. It stops at the first error,
// including ctx's. onBinary, when not nil, is called for an input whose
// start looks binary (see sniff); the input is read anyway.
func forEachLine(ctx context.Context, names []string, stdin io.Reader, onBinary func(name, reason string), fn func(line string) error) error {
	if len(names) == 0 {
		names = []string{"-"}
	}
	for _, name := range names {
		r, closeFn, err := input.Open(name, stdin)
		if err != nil {
			return err
		}
		defer closeFn()
		br := bufio.NewReaderSize(r, 64<<10)
		if reason := sniff(br); reason != "" && onBinary != nil {
			onBinary(name, reason)
		}
		sc := bufio.NewScanner(br)
		sc.Buffer(make([]byte, min(64<<10, maxLineBytes)), maxLineBytes)
		n := 0
		for sc.Scan() {
			n++
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(sc.Text()); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				err = fmt.Errorf("line %d: longer than %d bytes", n+1, maxLineBytes)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// contentOf returns the message part of a raw line: the <Content> of format
// when one is given (ok false when the line does not match it), else what
// follows a detected timestamp/level header, else the whole line.
func contentOf(format *logline.Format, line string) (content string, ok bool) {
	if format != nil {
		f, ok := format.Parse(line)
		if !ok {
			return line, false
		}
		return f.Content, true
	}
	var sc logline.Scratch
	if r, kind := structParser.Parse(line, &sc); kind == logline.JSON || kind == logline.Logfmt {
		return strings.Clone(r.Message), true
	}
	content, _, _, _ = logline.Detect(line)
	return content, true
}

// structParser reads JSON and logfmt lines with the default field names.
var structParser = logline.NewParser(logline.Keys{})

// addKeyFlags defines the flags that choose the fields of JSON and logfmt
// lines.
func addKeyFlags(fs *flag.FlagSet, k *logline.Keys) {
	fs.StringVar(&k.Message, "message-key", "", "`field` of JSON/logfmt lines holding the message (default: msg, message, ...)")
	fs.StringVar(&k.Time, "time-key", "", "`field` of JSON/logfmt lines holding the time (default: time, ts, timestamp, @timestamp, ...)")
	fs.StringVar(&k.Level, "level-key", "", "`field` of JSON/logfmt lines holding the level (default: level, lvl, severity, ...)")
	fs.Func("value-keys", "comma-separated `fields` of JSON/logfmt lines whose values enter the pattern, e.g. status,method", func(v string) error {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				k.Values = append(k.Values, f)
			}
		}
		return nil
	})
}

// warnUnmatched writes a warning to stderr when most of the lines (more
// than half) do not match --format: the format is then likely wrong for
// the input, and every such line is mined whole.
func warnUnmatched(stderr io.Writer, cmd, format string, unmatched, lines int) {
	if format == "" || lines == 0 || 2*unmatched <= lines {
		return
	}
	fmt.Fprintf(stderr, "lipservice: %s: warning: %d of %d lines do not match --format '%s'; check the format against a line of the input\n", cmd, unmatched, lines, format)
}

// sniff returns why the start of the input looks binary (see
// logline.Binary: a NUL byte, mostly invalid UTF-8), or "" for text. The
// commands warn and go on: a log with a few stray bytes is still a log,
// and the text tables escape non-printing bytes.
func sniff(br *bufio.Reader) string {
	head, _ := br.Peek(logline.SniffBytes)
	reason, _ := logline.Binary(head)
	return reason
}

// binaryWarning writes the warning about an input that looks binary.
func binaryWarning(stderr io.Writer, cmd, name, reason string) {
	if name == "-" {
		name = "stdin"
	}
	fmt.Fprintf(stderr, "lipservice: %s: warning: %s: does not look like a text log (%s)\n", cmd, name, reason)
}

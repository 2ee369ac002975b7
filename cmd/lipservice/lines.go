package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/srex-dev/lipservice-go/internal/input"
	"github.com/srex-dev/lipservice-go/logline"
)

// maxLineBytes is the longest input line the CLI reads (bufio.Scanner's
// default of 64 KiB is too small for real logs).
const maxLineBytes = 4 << 20

// forEachLine calls fn for every line of the named files, or of stdin when
// names is empty or a name is "-", in order. It stops at the first error,
// including ctx's.
func forEachLine(ctx context.Context, names []string, stdin io.Reader, fn func(line string) error) error {
	if len(names) == 0 {
		names = []string{"-"}
	}
	for _, name := range names {
		r, closeFn, err := input.Open(name, stdin)
		if err != nil {
			return err
		}
		defer closeFn()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), maxLineBytes)
		for sc.Scan() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(sc.Text()); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
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

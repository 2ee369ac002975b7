// Package input opens the CLI's inputs: a named file, or stdin for "-",
// read through a buffer and unwrapped when it is gzip-compressed. It is the
// one input reader of every command (analyze, parse, sample), so that they
// all accept the same inputs.
package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// gzipMagic starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// Open opens a named file, or stdin for "-" (a nil stdin reads as empty),
// and unwraps gzip when the data starts with the gzip magic (a
// concatenation of gzip members is read as one stream; a truncated stream
// ends with io.ErrUnexpectedEOF). The caller must call closeFn when done.
// An error names the file ("stdin" for "-").
func Open(name string, stdin io.Reader) (r io.Reader, closeFn func(), err error) {
	closeFn = func() {}
	if name == "-" {
		if stdin == nil {
			stdin = bytes.NewReader(nil)
		}
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, nil, err // *PathError names the file
		}
		r, closeFn = f, func() { f.Close() }
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, nil, Error(name, err)
		}
		// Buffered again, so that callers can peek at the text (a
		// binary-input check) whether or not it was compressed.
		return bufio.NewReaderSize(zr, 64<<10), closeFn, nil
	}
	return br, closeFn, nil
}

// Error wraps err with the input's name ("stdin" for "-").
func Error(name string, err error) error {
	if name == "-" {
		name = "stdin"
	}
	return fmt.Errorf("%s: %w", name, err)
}

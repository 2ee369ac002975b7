package analyze

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progressEvery is the minimum time between two progress updates.
const progressEvery = 250 * time.Millisecond

// isTerminal reports whether w is a terminal (a character device). It is a
// variable so that tests can pretend.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progress writes a throttled one-line status ("\r"-rewritten) to a
// terminal. A disabled progress does nothing. It is not safe for concurrent
// use.
type progress struct {
	w           io.Writer
	on, written bool
	now         func() time.Time
	start, last time.Time
}

// timeNow is the clock of progress, a seam for tests.
var timeNow = time.Now

func newProgress(w io.Writer, on bool) *progress {
	p := &progress{w: w, on: on, now: timeNow}
	if on {
		p.start = p.now()
		p.last = p.start
	}
	return p
}

// update shows the counts when progressEvery has passed since the last
// update.
func (p *progress) update(lines, bytes uint64) {
	if !p.on {
		return
	}
	now := p.now()
	if now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	p.written = true
	mbps := 0.0
	if s := now.Sub(p.start).Seconds(); s > 0 {
		mbps = float64(bytes) / 1e6 / s
	}
	fmt.Fprintf(p.w, "\rlipservice: analyze: %d lines, %s, %.0f MB/s ", lines, formatBytes(float64(bytes)), mbps)
}

// done ends the status line.
func (p *progress) done() {
	if p.written {
		fmt.Fprint(p.w, "\n")
	}
}

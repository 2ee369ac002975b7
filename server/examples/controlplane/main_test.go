package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// TestRun runs the example end to end, with a fifth of its traffic to stay
// quick under the race detector: it must succeed (run fails when an
// ERROR record is dropped), stay silent on stderr, and leave no goroutine
// behind. Its wall-clock bounds are far above what the run takes on a busy
// machine (issue 19): a minute per client request and shutdown, where the
// program itself allows 2 s (one of them, a stats report, took longer with
// -race -count=3 and CPU hogs on both cores), and two minutes in all.
func TestRun(t *testing.T) {
	// leaktest waits longer than goleak for the connections' goroutines, which
	// exit after the transport and the server close them.
	defer leaktest.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	if err := run(ctx, &out, &errOut, 200, time.Minute); err != nil {
		t.Fatalf("run: %v\nstdout:\n%s\nstderr:\n%s", err, &out, &errOut)
	}
	if errOut.Len() > 0 {
		t.Errorf("stderr is not empty:\n%s", &errOut)
	}
	for _, want := range []string{"instance 0 runs policy version 1", "instance 2 runs policy version 1", "Every ERROR record was kept"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("stdout lacks %q:\n%s", want, &out)
		}
	}
}

// Package leaktest checks that tests leave no goroutine behind, with
// go.uber.org/goleak, but gives goroutines on their way out more time to
// finish than goleak alone does.
//
// goleak.Find retries for about 0.43 s (20 tries, sleeps doubling from 1 µs
// up to 100 ms) before it reports a goroutine as leaked. A goroutine that has
// been told to exit (a connection closed, a channel closed) but that the
// scheduler has not run yet is then reported too; on a busy machine that
// window is too short, and the test fails at random (issue 19). The helpers
// here call goleak.Find up to [Attempts] times in a row, about 10 s in all,
// and report only what is still there at the end: a real leak still fails,
// later.
//
// The package is for tests only.
package leaktest

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// Attempts is how many times [Find] calls goleak.Find before it gives up.
const Attempts = 25

// Find returns nil when no unexpected goroutine is left, waiting up to
// [Attempts] rounds of goleak.Find for them to exit; otherwise goleak's error
// of the last round. The options are goleak's.
func Find(opts ...goleak.Option) error { return find(Attempts, opts...) }

func find(attempts int, opts ...goleak.Option) error {
	var err error
	for range attempts {
		if err = goleak.Find(opts...); err == nil {
			return nil
		}
	}
	return err
}

// VerifyNone marks t as failed when [Find] reports a goroutine left behind.
func VerifyNone(t testing.TB, opts ...goleak.Option) {
	t.Helper()
	if err := Find(opts...); err != nil {
		t.Error(err)
	}
}

// VerifyTestMain runs the tests of m and, when they pass, fails the run if
// [Find] reports a goroutine left behind, as goleak.VerifyTestMain does. It
// does not return: it exits with the tests' status. Call it from TestMain.
func VerifyTestMain(m *testing.M, opts ...goleak.Option) {
	code := m.Run()
	if code == 0 {
		if err := Find(opts...); err != nil {
			fmt.Fprintf(os.Stderr, "leaktest: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

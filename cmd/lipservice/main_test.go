package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// TestMain fails the package's tests when a command leaves a goroutine
// behind (analyze's readers).
func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

// runCLI runs the CLI with args and returns the exit code and both streams.
func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestShutdownSignals checks that both SIGINT and SIGTERM end the context
// main gives to run. The signal goes to the test process itself, which
// signal.NotifyContext has taken over for these signals, so it is not
// killed.
func TestShutdownSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
			defer stop()
			require.NoError(t, syscall.Kill(os.Getpid(), sig))
			<-ctx.Done() // blocks (and the test times out) if sig is not handled
			assert.ErrorIs(t, context.Cause(ctx), context.Canceled)
		})
	}
}

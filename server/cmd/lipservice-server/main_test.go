package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// TestMain fails the package's tests when a command leaves a goroutine
// behind (serve's listener and scheduler).
func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

// runCLI runs lipservice-server with args and returns the exit code and
// both streams.
func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestUsageErrors checks issue 20 item 6 for both commands under their new
// program name: a usage error prints one error line and a hint to -h and
// exits 2; -h prints the full help to stderr and exits 0.
func TestUsageErrors(t *testing.T) {
	for _, cmd := range []string{"serve", "keys create"} {
		args := strings.Fields(cmd)
		name := args[0]
		if len(args) > 1 {
			name = cmd
		}
		t.Run(cmd+"/unknown flag", func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), append(args, "--no-such-flag")...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, "lipservice-server: "+name+": flag provided but not defined: -no-such-flag\n"+
				"run 'lipservice-server "+name+" -h' for usage\n", errOut, "one line and the hint, no help")
		})
		t.Run(cmd+"/help", func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), append(args, "-h")...)
			assert.Equal(t, 0, code)
			assert.Empty(t, out)
			assert.True(t, strings.HasPrefix(errOut, "usage: lipservice-server "+args[0]), "full help on stderr: %q", errOut)
			assert.Greater(t, strings.Count(errOut, "\n"), 3, "the whole help, not one line")
		})
	}
	tests := []struct {
		name    string
		args    []string
		want    int
		wantErr string
	}{
		{"no command", nil, 2, "usage: lipservice-server <command> [flags]\n\ncommands:\n" +
			"  keys       manage API keys of the control-plane server\n" +
			"  serve      run the control-plane server (policies, stats, dashboard)\n"},
		{"help", []string{"-h"}, 0, "usage: lipservice-server <command> [flags]\n\ncommands:\n" +
			"  keys       manage API keys of the control-plane server\n" +
			"  serve      run the control-plane server (policies, stats, dashboard)\n"},
		{"unknown command", []string{"analyze"}, 2, "lipservice-server: unknown command \"analyze\"\nrun 'lipservice-server -h' for usage\n"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), test.args...)
			assert.Equal(t, test.want, code)
			assert.Empty(t, out)
			assert.Equal(t, test.wantErr, errOut)
		})
	}
}

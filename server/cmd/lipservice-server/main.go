// Command lipservice-server runs the LipService control-plane server and
// manages its API keys.
//
// Usage:
//
//	lipservice-server serve [flags]
//	lipservice-server keys create|list|revoke [flags]
//
// It is the command of the server module
// (github.com/srex-dev/lipservice-go/server), separate from the lipservice
// CLI so that the CLI and the library never build a database driver
// (DESIGN.md, "Modules"). From a clone: go -C server run ./cmd/lipservice-server serve.
//
// Exit codes: 0 success; 2 usage error or failure.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
)

// program is lipservice-server: its table of subcommands, each in its own
// file.
var program = &cliflag.Program{
	Name:     "lipservice-server",
	Synopsis: "<command> [flags]",
	Commands: map[string]cliflag.Command{
		"keys":  {Summary: "manage API keys of the control-plane server", Run: runKeys},
		"serve": {Summary: "run the control-plane server (policies, stats, dashboard)", Run: runServe},
	},
}

// shutdownSignals stop a command gracefully: SIGINT (Ctrl-C) and SIGTERM,
// which service managers and Kubernetes send before they kill.
var shutdownSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return program.Run(ctx, args, stdin, stdout, stderr)
}

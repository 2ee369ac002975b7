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
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand. run receives the arguments after the command
// name and returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is the table of subcommands; each lives in its own file.
var commands = map[string]command{
	"keys":  {summary: "manage API keys of the control-plane server", run: runKeys},
	"serve": {summary: "run the control-plane server (policies, stats, dashboard)", run: runServe},
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
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lipservice-server: unknown command %q\nrun 'lipservice-server -h' for usage\n", args[0])
		return 2
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lipservice-server <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

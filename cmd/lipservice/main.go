// Command lipservice mines log patterns, proposes sampling policies and
// filters log streams through the sampler. The control-plane server that
// serves policies to a fleet is the separate module
// github.com/srex-dev/lipservice-go/server (command lipservice-server), so
// this command never builds a database driver.
//
// Usage:
//
//	lipservice <command> [flags] [file ...]
//
// Exit codes: 0 success; 1 the command ran and found what it checks for (each
// command documents this); 2 usage error or failure.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/srex-dev/lipservice-go/analyze"
)

// command is one subcommand. run receives the arguments after the command
// name and returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is the table of subcommands; each lives in its own file.
var commands = map[string]command{
	"analyze": {summary: "report patterns, anomalies and a recommended policy for a log", run: analyze.Run},
	"parse":   {summary: "label every line with its template, as Loghub CSV", run: runParse},
	"sample":  {summary: "filter a log stream through the sampler", run: runSample},
	"version": {summary: "print the module, Go and signature spec versions", run: runVersion},
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
	if _, ok := movedCommands[args[0]]; ok {
		return runMoved(args[0], stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lipservice: unknown command %q\nrun 'lipservice -h' for usage\n", args[0])
		return 2
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lipservice <command> [flags] [file ...]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nThe control-plane server (serve, keys) is the command lipservice-server in")
	fmt.Fprintln(w, "the separate module github.com/srex-dev/lipservice-go/server; in a clone:")
	fmt.Fprintln(w, "  go -C server run ./cmd/lipservice-server -h")
}

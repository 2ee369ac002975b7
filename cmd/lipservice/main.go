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
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/srex-dev/lipservice-go/analyze"
	"github.com/srex-dev/lipservice-go/internal/cliflag"
)

// program is lipservice: its table of subcommands, each in its own file.
var program = &cliflag.Program{
	Name:     "lipservice",
	Synopsis: "<command> [flags] [file ...]",
	Commands: map[string]cliflag.Command{
		"analyze": {Summary: "report patterns, anomalies and a recommended policy for a log", Run: analyze.Run},
		"parse":   {Summary: "label every line with its template, as Loghub CSV", Run: runParse},
		"sample":  {Summary: "filter a log stream through the sampler", Run: runSample},
		"version": {Summary: "print the module, Go and signature spec versions", Run: runVersion},
	},
	Footer: "The control-plane server (serve, keys) is the command lipservice-server in\n" +
		"the separate module github.com/srex-dev/lipservice-go/server; in a clone:\n" +
		"  go -C server run ./cmd/lipservice-server -h\n",
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
	if len(args) > 0 {
		if _, ok := movedCommands[args[0]]; ok {
			return runMoved(args[0], stderr)
		}
	}
	return program.Run(ctx, args, stdin, stdout, stderr)
}

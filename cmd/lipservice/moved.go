package main

import (
	"fmt"
	"io"
)

// movedCommands are the subcommands that moved to lipservice-server, the
// command of the server module (github.com/srex-dev/lipservice-go/server).
// They moved so that this module requires no database driver: the first
// `go run ./cmd/lipservice analyze` of a newcomer downloaded and compiled
// the SQLite driver it never used (issue 20 item 7; DESIGN.md, "Modules").
var movedCommands = map[string]struct{}{"serve": {}, "keys": {}}

// runMoved tells the user where the moved command name is now, in one line
// on stderr, and returns 2: the command does not exist here any more, and a
// script that still calls it must fail rather than silently do nothing.
func runMoved(name string, stderr io.Writer) int {
	fmt.Fprintf(stderr, "lipservice: %s: the server is a separate module now: "+
		"go run github.com/srex-dev/lipservice-go/server/cmd/lipservice-server@latest %s ... "+
		"(in a clone: go -C server run ./cmd/lipservice-server %s ...)\n", name, name, name)
	return 2
}

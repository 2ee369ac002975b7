// Package cliflag parses a command's flags the way every lipservice command
// does: -h prints the full help to stderr and exits 0; a usage error prints
// one line and a hint to -h, never the whole help, and exits 2.
//
// The entry point is [Parse]; it is used by cmd/lipservice and by the
// analyze command. [ParseProgram] does the same for another program's
// subcommands (lipservice-server in the server module). [Program] is the
// subcommand dispatcher both programs share: -h, no command and an unknown
// command are answered the same way by each.
package cliflag

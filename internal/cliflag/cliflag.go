package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Parse parses args with fs, whose Usage prints the command's full help.
// When ok is true the caller goes on; otherwise it returns code at once:
// 0 after -h (the help was written to stderr by fs.Usage), 2 after a usage
// error, for which exactly two lines are written to stderr:
//
//	lipservice: <command>: <error>
//	run 'lipservice <command> -h' for usage
//
// The command name is fs.Name(). Parse sets fs's output to stderr.
func Parse(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	return ParseProgram("lipservice", fs, args, stderr)
}

// ParseProgram is [Parse] for a subcommand of the program prog instead of
// lipservice (lipservice-server's serve and keys): the usage error lines
// name prog.
func ParseProgram(prog string, fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	help := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	fs.Usage = help
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		if help != nil {
			help()
		} else {
			fs.PrintDefaults()
		}
		return 0, false
	}
	FailProgram(stderr, prog, fs.Name(), err)
	return 2, false
}

// Fail writes a usage error of command in the format of [Parse]: the error
// line and the hint to -h.
func Fail(stderr io.Writer, command string, err error) {
	FailProgram(stderr, "lipservice", command, err)
}

// FailProgram is [Fail] for a subcommand of the program prog.
func FailProgram(stderr io.Writer, prog, command string, err error) {
	fmt.Fprintf(stderr, "%s: %s: %v\nrun '%s %s -h' for usage\n", prog, command, err, prog, command)
}

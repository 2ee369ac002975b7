package cliflag

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// Command is one subcommand of a program. Run receives the arguments after
// the command name and returns the process exit code.
type Command struct {
	Summary string
	Run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Program is a command-line program made of subcommands: lipservice and
// lipservice-server share it so that both answer -h, an unknown command and
// no command at all the same way.
type Program struct {
	// Name is the program's name in messages ("lipservice").
	Name string
	// Synopsis follows "usage: <Name> " in the help ("<command> [flags]").
	Synopsis string
	// Commands is the table of subcommands.
	Commands map[string]Command
	// Footer, if set, is written after the list of commands.
	Footer string
}

// Run dispatches args to the named subcommand and returns the exit code:
// with no arguments it prints the usage and returns 2; with -h, -help,
// --help or help it prints the usage and returns 0; an unknown command
// gets one line and a hint to -h, and 2.
func (p *Program) Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		p.Usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := p.Commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\nrun '%s -h' for usage\n", p.Name, args[0], p.Name)
		return 2
	}
	return c.Run(ctx, args[1:], stdin, stdout, stderr)
}

// Usage writes the program's help: the synopsis and the commands in name
// order, then the footer.
func (p *Program) Usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s %s\n", p.Name, p.Synopsis)
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(p.Commands))
	for n := range p.Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, p.Commands[n].Summary)
	}
	if p.Footer != "" {
		fmt.Fprint(w, "\n"+p.Footer)
	}
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

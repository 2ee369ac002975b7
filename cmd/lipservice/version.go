package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
	"github.com/srex-dev/lipservice-go/signature"
)

const versionUsage = `usage: lipservice version

Prints the module version of the binary (from its build information:
"(devel)" for a build from a checkout), the Go version it was built with,
and the version of the signature specification (signature/SPEC.md), which a
policy's pattern signatures depend on.

Exit status: 0; 2 for a usage error.
`

// runVersion implements "lipservice version".
func runVersion(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stderr, versionUsage) }
	if code, ok := cliflag.Parse(fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		cliflag.Fail(stderr, "version", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
		return 2
	}
	module, goVersion := "unknown", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		module, goVersion = bi.Main.Version, bi.GoVersion
		if module == "" {
			module = "(devel)"
		}
	}
	fmt.Fprintf(stdout, "lipservice %s\nbuilt with %s\nsignature spec v%d\n", module, goVersion, signature.Version)
	return 0
}

package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUsageErrors checks issue 20 item 6 for every command: a usage error
// prints one error line and a hint to -h (not the whole help) and exits 2;
// -h prints the full help to stderr and exits 0.
func TestUsageErrors(t *testing.T) {
	for _, cmd := range []string{"analyze", "parse", "sample", "version"} {
		args := strings.Fields(cmd)
		name := args[0]
		if len(args) > 1 {
			name = cmd
		}
		t.Run(cmd+"/unknown flag", func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), append(args, "--no-such-flag")...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Equal(t, "lipservice: "+name+": flag provided but not defined: -no-such-flag\n"+
				"run 'lipservice "+name+" -h' for usage\n", errOut, "one line and the hint, no help")
		})
		t.Run(cmd+"/help", func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), append(args, "-h")...)
			assert.Equal(t, 0, code)
			assert.Empty(t, out)
			assert.True(t, strings.HasPrefix(errOut, "usage: lipservice "+args[0]), "full help on stderr: %q", errOut)
			assert.Greater(t, strings.Count(errOut, "\n"), 3, "the whole help, not one line")
		})
	}
	t.Run("unknown command", func(t *testing.T) {
		code, _, errOut := runCLI(t, context.Background(), "anlyze")
		assert.Equal(t, 2, code)
		assert.Equal(t, "lipservice: unknown command \"anlyze\"\nrun 'lipservice -h' for usage\n", errOut)
	})
	t.Run("sample two files", func(t *testing.T) {
		code, _, errOut := runCLI(t, context.Background(), "sample", "a", "b")
		assert.Equal(t, 2, code)
		assert.Equal(t, "lipservice: sample: at most one input file\nrun 'lipservice sample -h' for usage\n", errOut)
	})
}

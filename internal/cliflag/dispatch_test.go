package cliflag_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
)

func TestProgram_Run(t *testing.T) {
	var got []string
	p := &cliflag.Program{
		Name:     "demo",
		Synopsis: "<command> [flags]",
		Commands: map[string]cliflag.Command{
			"zeta": {Summary: "last in order", Run: func(_ context.Context, args []string, _ io.Reader, _, _ io.Writer) int {
				got = args
				return 7
			}},
			"alpha": {Summary: "first in order"},
		},
		Footer: "see also: other\n",
	}
	const help = "usage: demo <command> [flags]\n\ncommands:\n" +
		"  alpha      first in order\n" +
		"  zeta       last in order\n" +
		"\nsee also: other\n"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
		passed []string
	}{
		{"no command", nil, 2, help, nil},
		{"-h", []string{"-h"}, 0, help, nil},
		{"--help", []string{"--help"}, 0, help, nil},
		{"help", []string{"help"}, 0, help, nil},
		{"unknown", []string{"nope"}, 2, "demo: unknown command \"nope\"\nrun 'demo -h' for usage\n", nil},
		{"dispatch", []string{"zeta", "--n", "3"}, 7, "", []string{"--n", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			var stdout, stderr bytes.Buffer
			code := p.Run(context.Background(), tt.args, nil, &stdout, &stderr)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stderr, stderr.String())
			assert.Empty(t, stdout.String(), "usage and errors go to stderr")
			assert.Equal(t, tt.passed, got, "the command gets the arguments after its name")
		})
	}
}

func ExampleProgram() {
	p := &cliflag.Program{
		Name:     "tool",
		Synopsis: "<command> [flags]",
		Commands: map[string]cliflag.Command{
			"hello": {Summary: "greet", Run: func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) int {
				io.WriteString(stdout, "hello "+args[0]+"\n")
				return 0
			}},
		},
	}
	code := p.Run(context.Background(), []string{"hello", "world"}, nil, os.Stdout, os.Stderr)
	io.WriteString(os.Stdout, "exit "+strconv.Itoa(code)+"\n")
	// Output:
	// hello world
	// exit 0
}

package cliflag_test

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/cliflag"
)

func TestParse(t *testing.T) {
	const help = "usage: lipservice demo [--n N]\n"
	tests := []struct {
		name    string
		args    []string
		code    int
		ok      bool
		stderr  string
		wantHlp bool
	}{
		{name: "fine", args: []string{"--n", "3"}, code: 0, ok: true, stderr: ""},
		{name: "help", args: []string{"-h"}, code: 0, ok: false, wantHlp: true},
		{name: "unknown flag", args: []string{"--nope"}, code: 2,
			stderr: "lipservice: demo: flag provided but not defined: -nope\nrun 'lipservice demo -h' for usage\n"},
		{name: "bad value", args: []string{"--n", "x"}, code: 2,
			stderr: "lipservice: demo: invalid value \"x\" for flag -n: parse error\nrun 'lipservice demo -h' for usage\n"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var stderr bytes.Buffer
			fs := flag.NewFlagSet("demo", flag.ContinueOnError)
			fs.Int("n", 1, "a number")
			fs.Usage = func() { stderr.WriteString(help); fs.PrintDefaults() }
			code, ok := cliflag.Parse(fs, test.args, &stderr)
			assert.Equal(t, test.code, code)
			assert.Equal(t, test.ok, ok)
			if test.wantHlp {
				assert.True(t, strings.HasPrefix(stderr.String(), help), "full help on -h: %q", stderr.String())
				assert.Contains(t, stderr.String(), "a number", "flag defaults listed on -h")
				return
			}
			assert.Equal(t, test.stderr, stderr.String())
		})
	}
}

// TestParseProgram checks that another program's subcommands (the server
// module's lipservice-server) name that program in the error and the hint.
func TestParseProgram(t *testing.T) {
	var stderr bytes.Buffer
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Int("n", 1, "a number")
	code, ok := cliflag.ParseProgram("lipservice-server", fs, []string{"--nope"}, &stderr)
	assert.Equal(t, 2, code)
	assert.False(t, ok)
	assert.Equal(t, "lipservice-server: serve: flag provided but not defined: -nope\n"+
		"run 'lipservice-server serve -h' for usage\n", stderr.String())

	stderr.Reset()
	cliflag.FailProgram(&stderr, "lipservice-server", "keys", errors.New("missing subcommand"))
	assert.Equal(t, "lipservice-server: keys: missing subcommand\nrun 'lipservice-server keys -h' for usage\n", stderr.String())
}

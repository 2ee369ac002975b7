package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMoved checks that serve and keys, which moved to lipservice-server,
// fail with exit code 2 and one stderr line naming the new command, whatever
// their arguments (-h included: the command does not exist here).
func TestMoved(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "lipservice: serve: the server is a separate module now: " +
			"go run github.com/srex-dev/lipservice-go/server/cmd/lipservice-server@latest serve ... " +
			"(in a clone: go -C server run ./cmd/lipservice-server serve ...)\n"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--db", "x.db"}, "lipservice: serve: the server is a separate module now: " +
			"go run github.com/srex-dev/lipservice-go/server/cmd/lipservice-server@latest serve ... " +
			"(in a clone: go -C server run ./cmd/lipservice-server serve ...)\n"},
		{[]string{"keys", "create", "--team", "1"}, "lipservice: keys: the server is a separate module now: " +
			"go run github.com/srex-dev/lipservice-go/server/cmd/lipservice-server@latest keys ... " +
			"(in a clone: go -C server run ./cmd/lipservice-server keys ...)\n"},
		{[]string{"keys", "-h"}, "lipservice: keys: the server is a separate module now: " +
			"go run github.com/srex-dev/lipservice-go/server/cmd/lipservice-server@latest keys ... " +
			"(in a clone: go -C server run ./cmd/lipservice-server keys ...)\n"},
	}
	for _, test := range tests {
		t.Run(strings.Join(test.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, context.Background(), test.args...)
			assert.Equal(t, 2, code, "a moved command is a failure, so scripts notice")
			assert.Empty(t, out, "nothing on stdout")
			assert.Equal(t, test.want, errOut)
		})
	}
}

// TestUsage checks lipservice -h: the commands this binary has, without
// the moved ones, and where the server went.
func TestUsage(t *testing.T) {
	code, out, errOut := runCLI(t, context.Background(), "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	for _, want := range []string{"usage: lipservice <command>", "\n  analyze ", "\n  parse ", "\n  sample ", "\n  version ",
		"lipservice-server", "github.com/srex-dev/lipservice-go/server", "go -C server run ./cmd/lipservice-server -h"} {
		assert.Contains(t, errOut, want)
	}
	for _, gone := range []string{"\n  serve ", "\n  keys "} {
		assert.NotContains(t, errOut, gone, "moved commands are not listed as commands")
	}
}

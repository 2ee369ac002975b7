package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serverOnly are the import path prefixes only the server module
// (github.com/srex-dev/lipservice-go/server) may build: the server itself
// and its database drivers with their own dependencies.
var serverOnly = []string{
	"github.com/srex-dev/lipservice-go/server",
	"github.com/jackc/",
	"modernc.org/",
}

// TestDeps pins the module split (issue 18 item 1, issue 20 item 7): no
// package of the root module, tests included, imports the server or a
// database driver, and the root go.mod and go.sum do not mention them, so
// `go run ./cmd/lipservice analyze` and a library user of slogx never
// download or compile them. The import graph comes from `go list -deps`,
// so the test skips when the go tool is not on PATH.
func TestDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH: cannot list the import graph")
	}
	gomod, err := exec.Command(gobin, "env", "GOMOD").Output()
	require.NoError(t, err, "go env GOMOD")
	modFile := strings.TrimSpace(string(gomod))
	require.Equal(t, "go.mod", filepath.Base(modFile), "the test runs inside the root module")
	root := filepath.Dir(modFile)

	cmd := exec.Command(gobin, "list", "-deps", "-test", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	require.NoError(t, err, "go list -deps -test ./...")
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/srex-dev/lipservice-go/cmd/lipservice", "the list covers the CLI")
	require.Contains(t, deps, "github.com/srex-dev/lipservice-go/slogx", "the list covers the library")
	for _, p := range deps {
		for _, prefix := range serverOnly {
			assert.False(t, p == prefix || strings.HasPrefix(p, strings.TrimSuffix(prefix, "/")+"/"),
				"root module builds %s, which only the server module may use", p)
		}
	}

	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) == 0 || f[0] == "module" {
				continue
			}
			if f[0] == "require" && len(f) > 1 && f[1] != "(" {
				f = f[1:] // one-line require
			}
			for _, prefix := range serverOnly {
				assert.False(t, strings.HasPrefix(f[0], prefix), "%s mentions %s: %q", name, prefix, line)
			}
		}
	}
}

package main

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersion checks issue 20 item 8's version command: three lines, the
// module version, the Go version of the running binary and the signature
// spec version.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, context.Background(), "version")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	assert.True(t, strings.HasPrefix(lines[0], "lipservice "), lines[0])
	assert.NotEqual(t, "lipservice ", lines[0], "a module version")
	assert.Equal(t, "built with "+runtime.Version(), lines[1])
	assert.Equal(t, "signature spec v3", lines[2], "SPEC.md is version 3")

	code, _, errOut = runCLI(t, context.Background(), "version", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "run 'lipservice version -h' for usage")
}

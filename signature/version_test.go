package signature_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/signature"
)

// TestSpecVersion checks that Version is the version SPEC.md states in
// its title.
func TestSpecVersion(t *testing.T) {
	f, err := os.Open("SPEC.md")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan())
	title := sc.Text()
	i := strings.LastIndex(title, "version ")
	require.GreaterOrEqual(t, i, 0, "title %q names a version", title)
	v, err := strconv.Atoi(strings.TrimSpace(title[i+len("version "):]))
	require.NoError(t, err, title)
	require.Equal(t, v, signature.Version, "SPEC.md: %q", title)
}

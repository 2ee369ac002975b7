package slogx_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeps pins the weight of adopting slogx (issue 18): the packages a
// slog-only program builds when it adds slogx, the sampler, the policy
// model and the anomaly detector must not include the HTTP stack, gonum or
// a database driver. Module packages must be in an allowed set; standard
// packages are allowed except the listed heavy ones. The list comes from
// `go list -deps`, so the test skips when the go tool is not on PATH.
func TestDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH: cannot list the import graph")
	}
	const mod = "github.com/srex-dev/lipservice-go/"
	roots := []string{mod + "slogx", mod + "sampler", mod + "policy", mod + "anomaly"}
	out, err := exec.Command(gobin, append([]string{"list", "-deps"}, roots...)...).Output()
	require.NoError(t, err, "go list -deps")
	allowedModule := map[string]bool{
		"slogx": true, "sampler": true, "policy": true, "anomaly": true, "anomaly/events": true,
		"signature": true, "pattern": true, "internal/fnv": true, "internal/keybuf": true, "internal/calendar": true,
		"internal/eventtok": true, // pattern's kept-event-token rule (issue 17): standard library only
		"internal/unitword": true, // the unit words both miners fold into a variable (issue 9): no imports
	}
	// Heavy standard packages a sampling library has no use for.
	forbiddenStd := []string{"net", "net/http", "crypto/tls", "database/sql", "os/exec"}
	deps := strings.Fields(string(out))
	require.NotEmpty(t, deps, "go list printed no packages")
	for _, p := range deps {
		first, _, _ := strings.Cut(p, "/")
		switch {
		case strings.HasPrefix(p, mod):
			assert.True(t, allowedModule[strings.TrimPrefix(p, mod)], "module package %s is not in the allowed set", p)
		case strings.Contains(first, "."):
			assert.Fail(t, "third-party dependency", "%s (no gonum, database driver or other module may be built by slogx users)", p)
		default:
			for _, f := range forbiddenStd {
				assert.NotEqual(t, f, p, "standard package %s is built by slogx users", p)
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loghubDir is the Loghub corpus shared outside the repository.
var loghubDir = filepath.Join("..", "..", "..", "shared", "loghub2k")

// TestAnalyzeProjection_sample checks issue 20 item 1: the projection of
// analyze is what `lipservice sample --policy` does with the policy analyze
// recommends; the policy meets its target when it is reachable (the records
// the anomaly valve keeps are charged to the budget first), and when it is
// not the report says why and its alternative (the valve bounded) meets
// the target, as sample confirms. For each log, analyze --json gives the policy and the
// projected kept lines; sample --seed 1 --policy on the same file must keep
// the same share of the lines within 3 points. The shipped Loghub-shaped
// files always run; the 2000-line Loghub samples of ../shared/loghub2k run
// when present.
func TestAnalyzeProjection_sample(t *testing.T) {
	files := []string{
		filepath.Join("testdata", "hdfs_2k.log"),
		filepath.Join("testdata", "linux_150.log"),
		filepath.Join("testdata", "mac_150.log"),
		filepath.Join("testdata", "openssh_100.log"),
	}
	if m, _ := filepath.Glob(filepath.Join(loghubDir, "*", "*_2k.log")); len(m) > 0 {
		files = append(files, m...)
	} else {
		t.Logf("Loghub corpus not found at %s: only the shipped files run", loghubDir)
	}
	const tolerance = 0.03
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"analyze", "--quiet", "--json", path}, strings.NewReader(""), &out, &errOut)
			require.Equal(t, 0, code, errOut.String())
			var rep struct {
				Policy     json.RawMessage `json:"policy"`
				Projection struct {
					Method   string             `json:"method"`
					Target   float64            `json:"target_keep_fraction"`
					ByReason map[string]float64 `json:"kept_by_reason"`
					Lines    float64            `json:"lines"`
					Kept     float64            `json:"projected_kept_lines"`
					// Issue 20 (valve): why the target is missed, and
					// the replayed alternative that bounds the valve.
					Reachable   bool   `json:"reachable"`
					Unreachable string `json:"unreachable_reason"`
					Alternative *struct {
						Policy json.RawMessage `json:"policy"`
						Kept   float64         `json:"projected_kept_lines"`
					} `json:"alternative"`
				} `json:"projection"`
			}
			require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
			require.Equal(t, "replay", rep.Projection.Method, "a file is replayed")
			require.Positive(t, rep.Projection.Lines)
			// The policy reaches its target once first-N is accounted for:
			// what the valve (anomalies) and the exemptions (errors) do not
			// keep, the rules of the policy keep at about --target.
			byRules := 0.0
			for reason, n := range rep.Projection.ByReason {
				if reason != "anomaly" && reason != "exempt" {
					byRules += n
				}
			}
			assert.LessOrEqual(t, byRules/rep.Projection.Lines, rep.Projection.Target+tolerance,
				"lines kept by first-N and rates (%v) against the target %v", rep.Projection.ByReason, rep.Projection.Target)
			projected := rep.Projection.Kept / rep.Projection.Lines
			actual := samplePolicy(t, rep.Policy, path)
			t.Logf("projected %.1f%%, sample kept %.1f%%", 100*projected, 100*actual)
			assert.LessOrEqual(t, math.Abs(projected-actual), tolerance,
				"analyze projects %.1f%% kept, sample keeps %.1f%%", 100*projected, 100*actual)
			// The policy meets its target whenever it says it can: the
			// records the valve keeps are charged to the budget first.
			if rep.Projection.Reachable {
				assert.LessOrEqual(t, projected, rep.Projection.Target+tolerance, "a reachable target is met")
				assert.Nil(t, rep.Projection.Alternative, "no alternative when the target is met")
				return
			}
			assert.NotEmpty(t, rep.Projection.Unreachable, "an unreachable target comes with the reason")
			alt := rep.Projection.Alternative
			if alt == nil {
				return
			}
			// The alternative (valve bounded) meets the target, and its
			// projection is what sample does with it.
			altProjected := alt.Kept / rep.Projection.Lines
			altActual := samplePolicy(t, alt.Policy, path)
			t.Logf("%s; alternative: projected %.1f%%, sample kept %.1f%%", rep.Projection.Unreachable, 100*altProjected, 100*altActual)
			assert.LessOrEqual(t, math.Abs(altProjected-altActual), tolerance,
				"alternative: analyze projects %.1f%% kept, sample keeps %.1f%%", 100*altProjected, 100*altActual)
			assert.Less(t, altProjected, projected, "the alternative keeps less than the recommended policy")
			if rep.Projection.Lines >= 1000 {
				// On the 100- and 150-line files one line is 0.7 to 1
				// point, and the sampler's systematic draws round each
				// pattern's kept count: the target holds within 3 points
				// only on the 2000-line files.
				assert.LessOrEqual(t, altProjected, rep.Projection.Target+tolerance, "the alternative meets the target")
			}
		})
	}
}

// samplePolicy runs `lipservice sample --json --seed 1 --policy` with the
// policy pol on path and returns the kept share of the lines.
func samplePolicy(t *testing.T, pol json.RawMessage, path string) float64 {
	t.Helper()
	f := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(f, pol, 0o644))
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"sample", "--json", "--seed", "1", "--policy", f, path}, strings.NewReader(""), &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	var sum struct {
		Lines int `json:"lines"`
		Kept  int `json:"kept"`
	}
	require.NoError(t, json.Unmarshal(errOut.Bytes(), &sum), errOut.String())
	require.Positive(t, sum.Lines)
	return float64(sum.Kept) / float64(sum.Lines)
}

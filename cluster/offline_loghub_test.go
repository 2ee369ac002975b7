package cluster_test

import (
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

// loghubTemplate is one row of testdata/offline/loghub2k_templates.csv: a
// ground-truth template of a Loghub-2k system with the majority component of
// its lines, its line count, its level counts and its first message.
type loghubTemplate struct {
	system, component string
	summary           cluster.PatternSummary
}

// loadLoghubTemplates reads the fixture derived from the ground-truth
// EventTemplate column of ../shared/loghub2k/*/*_structured_corrected.csv
// (see TestLoghubFixtureMatchesShared).
func loadLoghubTemplates(tb testing.TB) []loghubTemplate {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "offline", "loghub2k_templates.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []loghubTemplate
	for _, r := range rows[1:] {
		count, err := strconv.ParseUint(r[2], 10, 64)
		if err != nil {
			tb.Fatal(err)
		}
		var sev map[string]uint64
		for _, kv := range strings.FieldsFunc(r[3], func(r rune) bool { return r == ';' }) {
			k, v, _ := strings.Cut(kv, ":")
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			if sev == nil {
				sev = map[string]uint64{}
			}
			sev[k] = n
		}
		out = append(out, loghubTemplate{
			system:    r[0],
			component: r[1],
			summary: cluster.PatternSummary{
				// The system is part of the hashed text so that equal
				// templates of two systems stay distinct patterns.
				ID:       signature.OfTemplate(r[0] + "\x00" + r[4]),
				Template: r[4],
				Count:    count,
				Severity: sev,
				Example:  r[5],
			},
		})
	}
	return out
}

// TestAnalyze_loghub2k clusters the 955 ground-truth templates of the eight
// shipped Loghub-2k systems with the default options and checks properties
// that any sensible clustering of them has. The bounds are justified below
// and were checked against the measurements recorded in [cluster.DefaultEps]
// (mean component purity 0.86, 56% of the templates grouped, largest cluster
// 15 templates, system purity 0.90, 581 clusters).
func TestAnalyze_loghub2k(t *testing.T) {
	all := loadLoghubTemplates(t)
	ps := make([]cluster.PatternSummary, len(all))
	info := map[signature.Sig]loghubTemplate{}
	var total uint64
	for i, l := range all {
		ps[i] = l.summary
		info[l.summary.ID] = l
		total += l.summary.Count
	}
	cs, err := cluster.Analyze(ps)
	require.NoError(t, err)

	// A partition of the input that keeps every message.
	clusterOf := map[signature.Sig]signature.Sig{}
	var sum uint64
	largest, grouped := 0, 0
	for _, c := range cs {
		sum += c.Count
		for _, m := range c.Members {
			_, dup := clusterOf[m]
			require.False(t, dup, "pattern %v in two clusters", m)
			clusterOf[m] = c.ID
		}
		if !c.Noise {
			grouped += len(c.Members)
			largest = max(largest, len(c.Members))
		}
	}
	require.Len(t, clusterOf, len(ps))
	assert.Equal(t, total, sum, "the counts of the clusters add up to the input's")

	n := len(ps)
	// Many ground-truth templates are variants of one another (state
	// transitions, opened/closed pairs): if fewer than 40% were grouped, the
	// vectors would not be capturing shared vocabulary.
	assert.GreaterOrEqual(t, float64(grouped)/float64(n), 0.40, "fraction of templates in non-noise clusters")
	// No single event family in these logs has more than a few dozen
	// templates; a cluster of more than 5% of all templates (48) means
	// DBSCAN is chaining unrelated templates together through common words.
	assert.LessOrEqual(t, largest, n/20, "largest cluster")
	// Between n/4 and 3n/4 clusters: well away from both "everything is
	// noise" (n) and collapse.
	assert.GreaterOrEqual(t, len(cs), n/4, "cluster count")
	assert.LessOrEqual(t, len(cs), 3*n/4, "cluster count")
	// Clusters should mostly stay within one system: systems share
	// vocabulary only for genuinely shared events (PAM sessions, CPU and
	// PCI boot messages between Linux and Thunderbird).
	assert.GreaterOrEqual(t, offlinePurity(cs, func(id signature.Sig) string { return info[id].system }), 0.85, "system purity")

	// Obvious families: the same phrase with a different state or verb.
	families := []struct {
		name  string
		match func(l loghubTemplate) bool
	}{
		{"Hadoop state transitions", func(l loghubTemplate) bool {
			return l.system == "Hadoop" && strings.Contains(l.summary.Template, "Transitioned from")
		}},
		{"PAM sessions of every system", func(l loghubTemplate) bool {
			return strings.Contains(l.summary.Template, "session opened for user") ||
				strings.Contains(l.summary.Template, "session closed for user")
		}},
		{"HDFS block reception", func(l loghubTemplate) bool {
			return l.system == "HDFS" && (strings.HasPrefix(l.summary.Template, "Receiving block") ||
				strings.HasPrefix(l.summary.Template, "Received block"))
		}},
	}
	for _, f := range families {
		ids := map[signature.Sig]bool{}
		members := 0
		for _, l := range all {
			if f.match(l) {
				ids[clusterOf[l.summary.ID]] = true
				members++
			}
		}
		require.GreaterOrEqual(t, members, 3, "family %s: fixture changed?", f.name)
		assert.Len(t, ids, 1, "family %s (%d templates) should be one cluster", f.name, members)
	}

	// Within each system, templates grouped together mostly come from the
	// same component. OpenSSH has a single component and is left out. The
	// bound is loose because components are a proxy for relatedness
	// (Hadoop's v2.app.job.impl.TaskImpl and TaskAttemptImpl log the same
	// state machine).
	bySystem := map[string][]cluster.PatternSummary{}
	for _, l := range all {
		bySystem[l.system] = append(bySystem[l.system], l.summary)
	}
	var mean float64
	var systems int
	for _, sys := range slices.Sorted(maps.Keys(bySystem)) {
		sps := bySystem[sys]
		if sys == "OpenSSH" {
			continue
		}
		scs, err := cluster.Analyze(sps)
		require.NoError(t, err)
		p := offlinePurity(scs, func(id signature.Sig) string { return info[id].component })
		t.Logf("%-12s %3d templates, %3d clusters, component purity %.3f", sys, len(sps), len(scs), p)
		mean += p
		systems++
	}
	mean /= float64(systems)
	assert.GreaterOrEqual(t, mean, 0.75, "mean component purity")
}

// offlinePurity returns the member-weighted purity of the non-noise clusters: the
// fraction of their members whose key is the most common key of their
// cluster. It is 1 when there is no such cluster.
func offlinePurity(cs []cluster.Cluster, key func(signature.Sig) string) float64 {
	var members, agree int
	for _, c := range cs {
		if c.Noise {
			continue
		}
		counts := map[string]int{}
		best := 0
		for _, m := range c.Members {
			counts[key(m)]++
			best = max(best, counts[key(m)])
		}
		members += len(c.Members)
		agree += best
	}
	if members == 0 {
		return 1
	}
	return float64(agree) / float64(members)
}

// TestLoghubFixtureMatchesShared checks testdata/offline/loghub2k_templates.csv
// against the ground truth it was derived from: the same (system, template,
// line count) triples as the EventTemplate column of every
// ../shared/loghub2k/<System>/<System>_2k.log_structured_corrected.csv.
func TestLoghubFixtureMatchesShared(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "loghub2k")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("Loghub-2k data not available at %s (%v): skipping the fixture check", root, err)
	}
	want := map[string]uint64{}
	for _, l := range loadLoghubTemplates(t) {
		want[l.system+"\x00"+l.summary.Template] = l.summary.Count
	}
	got := map[string]uint64{}
	for _, sys := range []string{"BGL", "HDFS", "Hadoop", "HealthApp", "Linux", "Mac", "OpenSSH", "Thunderbird"} {
		f, err := os.Open(filepath.Join(root, sys, sys+"_2k.log_structured_corrected.csv"))
		require.NoError(t, err)
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		require.NoError(t, err)
		col := slices.Index(rows[0], "EventTemplate")
		require.GreaterOrEqual(t, col, 0, "%s: no EventTemplate column", sys)
		for _, r := range rows[1:] {
			got[sys+"\x00"+r[col]]++
		}
	}
	assert.Equal(t, want, got)
}

package cluster_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/loghub"
	"github.com/srex-dev/lipservice-go/logline"
)

// loghubDir is the shared Loghub-2k corpus (see its RESULTS.md).
const loghubDir = "../../shared/loghub2k"

var loghubSystems = []string{"HDFS", "Hadoop", "BGL", "Thunderbird", "Linux", "HealthApp", "OpenSSH", "Mac"}

// Ratchets: the mean accuracy reached on the 8 shipped systems. Raise them
// when the engine improves; a drop below fails the test.
// Measured: GA 0.986, PA 0.943, FGA 0.954, FTA 0.857 (signature v3, the
// miner's event-word rule, value positions, tail patterns and short
// messages with an event word; before the last GA 0.985, PA 0.942, FGA
// 0.949, FTA 0.853; before value positions and tail patterns GA 0.984,
// FGA 0.948, FTA 0.851).
// Signature v3 lowered PA from 0.943 and FTA from 0.854 on purpose: a quoted
// run of free text is one variable (SPEC.md §5), which Mac's and
// Thunderbird's labels keep as constant text ("The request timed out.");
// the rule keeps user text out of templates and stats reports.
// Span merges (issue 9, miner_span.go: HDFS's "BLOCK* ask <*> to delete
// <*>" over lists of any length) raised GA 0.986 -> 0.987, FGA 0.955 ->
// 0.971, FTA 0.858 -> 0.866.
const (
	ratchetGA  = 0.986
	ratchetPA  = 0.942
	ratchetFGA = 0.970
	ratchetFTA = 0.865
)

type loghubFormat struct {
	LogFile   string `json:"log_file"`
	LogFormat string `json:"log_format"`
}

// mineSystem parses one Loghub system with its log_format, mines the
// contents, and returns the ground truth and predicted template per line.
func mineSystem(t testing.TB, dir, system string, fm loghubFormat) (truth, pred []string) {
	t.Helper()
	f, err := logline.Compile(fm.LogFormat)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.Open(filepath.Join(dir, fm.LogFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	m := cluster.NewMiner()
	var contents []string
	sc := bufio.NewScanner(raw)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields, ok := f.Parse(sc.Text())
		if !ok {
			t.Fatalf("%s: line %d does not match %q", system, len(contents)+1, fm.LogFormat)
		}
		m.Add(fields.Content)
		contents = append(contents, fields.Content)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range contents {
		p, ok := m.Match(c)
		if !ok {
			t.Errorf("%s: Match(%q) found no pattern after Add", system, c)
		}
		pred = append(pred, p.Template)
	}
	truth, err = loghub.Truth(dir, system)
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != len(pred) {
		t.Fatalf("%s: %d ground-truth rows, %d lines", system, len(truth), len(pred))
	}
	return truth, pred
}

func loadFormats(t testing.TB) map[string]loghubFormat {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(loghubDir, "formats.json"))
	if os.IsNotExist(err) {
		t.Skipf("Loghub corpus not found at %s (it ships outside the repo, in ../shared/loghub2k): skipping the accuracy benchmark", loghubDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var fms map[string]loghubFormat
	if err := json.Unmarshal(b, &fms); err != nil {
		t.Fatal(err)
	}
	return fms
}

// TestLoghubAccuracy mines the 8 shipped Loghub-2k systems with one
// configuration and scores them against the corrected ground truth.
func TestLoghubAccuracy(t *testing.T) {
	fms := loadFormats(t)
	var sum loghub.Scores
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-12s %6s %6s %6s %6s\n", "system", "GA", "PA", "FGA", "FTA")
	for _, sys := range loghubSystems {
		truth, pred := mineSystem(t, loghubDir, sys, fms[sys])
		s := loghub.Score(truth, pred)
		fmt.Fprintf(&b, "%-12s %6.3f %6.3f %6.3f %6.3f\n", sys, s.GA, s.PA, s.FGA, s.FTA)
		sum.GA += s.GA
		sum.PA += s.PA
		sum.FGA += s.FGA
		sum.FTA += s.FTA
		if out := os.Getenv("LOGHUB_OUT"); out != "" {
			_ = os.WriteFile(filepath.Join(out, sys+".pred"), []byte(strings.Join(pred, "\n")+"\n"), 0o644)
		}
		if os.Getenv("LOGHUB_DIFF") == sys {
			dumpDiff(t, truth, pred)
		}
	}
	k := float64(len(loghubSystems))
	mean := loghub.Scores{GA: sum.GA / k, PA: sum.PA / k, FGA: sum.FGA / k, FTA: sum.FTA / k}
	fmt.Fprintf(&b, "%-12s %6.3f %6.3f %6.3f %6.3f\n", "mean", mean.GA, mean.PA, mean.FGA, mean.FTA)
	t.Log(b.String())
	if mean.GA < ratchetGA || mean.PA < ratchetPA || mean.FGA < ratchetFGA || mean.FTA < ratchetFTA {
		t.Errorf("mean accuracy fell below the ratchet (GA %.3f PA %.3f FGA %.3f FTA %.3f)", ratchetGA, ratchetPA, ratchetFGA, ratchetFTA)
	}
}

// dumpDiff logs, per ground-truth template, the predicted templates that
// differ from it (for tuning: LOGHUB_DIFF=<System> go test -run Accuracy -v).
func dumpDiff(t *testing.T, truth, pred []string) {
	type pair struct{ g, p string }
	n := map[pair]int{}
	var order []pair
	for i := range truth {
		k := pair{truth[i], pred[i]}
		if n[k] == 0 {
			order = append(order, k)
		}
		n[k]++
	}
	for _, k := range order {
		if k.g != k.p {
			t.Logf("%4d\n   GT: %s\n   GOT: %s", n[k], k.g, k.p)
		}
	}
}

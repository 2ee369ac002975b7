package pattern_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/loghub"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// The accuracy of the pattern layer (issue 9): the sampler's first-N,
// rates, budget, stats and new-pattern detector key on the IDs a
// pattern.Miner gives, not on cluster.Miner's templates, so the tables of
// cluster's tests do not measure what the sampler groups. These tests feed
// each corpus through one Miner in file order, as the sampler does
// (signature.Of, then Miner.ID: sampler.patternOf), and score the pattern
// IDs as groups with internal/loghub's grouping accuracy (GA), two ways:
//
//   - "now": the ID each line got when it was seen, what first-N and the
//     new-pattern detector saw (a family's first lines may carry the ID of
//     their exact template before the pattern generalizes);
//   - "final": the ID of each line's signature after the whole input,
//     what stats and policies converge to (Miner.ID again: a placed
//     signature maps to its pattern's current ID, through generalizations
//     and merges).
//
// They also count the distinct IDs of each way against the ground-truth
// events: IDs above events is over-splitting (one event, several keys),
// below is over-merging. "replaced" counts the signatures whose placement
// had been forgotten by the final pass and were placed again (expected 0
// at these sizes).

// Ratchets: the values last measured, rounded down to 3 digits; raise them
// when the miner improves, a drop below fails the test. First measured at
// main 8ad07cc: Loghub mean GA now 0.740, final 0.857; unseen tuning final
// 0.756, tuning2 0.682, tuning3 0.592, heldout 0.739, heldout2 0.694,
// heldout3 0.682 (totals only); unshipped mean 0.871/0.928. Then a differing
// span that holds a key=value field, or that is the message's head, makes
// a sibling (package doc): Loghub mean final 0.857 -> 0.889 (OpenSSH 0.487
// -> 0.735, BGL 0.980 -> 0.982, Mac 0.850 -> 0.855; Thunderbird 0.961 ->
// 0.959 and now 0.661 -> 0.659: its two DHCPREQUEST events, no longer in
// the DHCPDISCOVER pattern, merge through a tail span); unseen final tuning
// 0.780, tuning2 0.696 (now 0.533 -> 0.519: keycloak's LOGIN events,
// apart from LOGIN_ERROR, split by realm names first), tuning3 0.630,
// heldout2 0.725, heldout3 0.696; heldout final 0.739 -> 0.732 (totals
// only, its lines not read); unshipped unchanged. Then an empty enclosed
// value matches the same token with a variable ("()" and "(<*>)"): Loghub
// mean GA now 0.747 -> 0.804 (Linux 0.173 -> 0.627: its ftpd "connection
// from <*> (<*>) at <*>", 909 lines, no longer changes ID at the first
// "()"), heldout2 now 0.566 -> 0.573; nothing else changed. Then a value
// in the place of sibling words merges the siblings: final tuning2 0.696
// -> 0.709 (celery 0.625 -> 0.750), tuning3 0.631 -> 0.643 (gitea 0.250 ->
// 0.375); heldout2 0.725 -> 0.732, heldout3 0.697 -> 0.707 (totals only).
// tuning5 scored from then (0.724/0.807). Then a variable with only
// punctuation around it is a value, not a word: final tuning 0.781 ->
// 0.791 (systemd 0.075 -> 0.300), tuning5 0.807 -> 0.824 (morgan 0.833
// -> 1.000); heldout 0.732 -> 0.745, heldout2 0.732 -> 0.730, heldout3
// 0.707 -> 0.715 (totals only); Loghub and unshipped unchanged. Then two
// qualified names past the first token differ in a value: Loghub mean
// final 0.889 -> 0.890 (Mac 0.856 -> 0.858); tuning 0.791 -> 0.796
// (mongodb 0.375 -> 0.500), tuning2 0.709 -> 0.735 (traefik 0.000 ->
// 0.136, rails 0.625 -> 0.750), tuning5 0.824 -> 0.838 (wildfly 0.714 ->
// 0.857); heldout 0.745 -> 0.754, heldout2 0.730 -> 0.753, heldout3 0.715
// -> 0.731 (totals only); unshipped unchanged. Then the quoted text that
// opens a record is its event: tuning now/final 0.719/0.796 ->
// 0.739/0.816 (etcd 0.538 -> 1.000), tuning2 0.520/0.735 -> 0.533/0.749
// (traefik 0.136 -> 0.273); heldout 0.754 -> 0.772, heldout2 0.753 ->
// 0.762 (totals only); Loghub, unshipped, tuning3, tuning5 unchanged.
// Then a qualified name past the first token is masked at creation (GA
// now; final unchanged unless said): Loghub Hadoop 0.979/0.967 ->
// 0.983/0.972, mean now 0.804 -> 0.805; tuning 0.739 -> 0.769 (haproxy
// 0.150 -> 0.700), tuning2 0.533 -> 0.572, tuning5 0.724 -> 0.752
// (wildfly 0.571 -> 0.857); heldout 0.750 -> 0.759, heldout2 0.590 ->
// 0.622, heldout3 0.636/0.731 -> 0.652/0.735 (totals only); tuning3 and
// unshipped unchanged. Then a comma list is masked at creation: GA now
// tuning 0.769 -> 0.778 (kafka 0.379 -> 0.586), tuning3 0.599 -> 0.611
// (hbase 0.625 -> 0.750); final, Loghub, unshipped and held-out totals
// unchanged. Then two plain values of one key= (not event words nor
// capitalized) differ in a value (GA final; now unchanged): Loghub Linux
// 0.622 -> 0.808, mean 0.890 -> 0.913; tuning 0.816 -> 0.847 (go-logfmt
// 0.590 -> 1.000), tuning2 0.749 -> 0.856 (keycloak 0.714 -> 1.000),
// tuning5 0.838 -> 0.881 (sidekiq 0.571 -> 1.000); heldout 0.772 ->
// 0.823, heldout2 0.762 -> 0.794, heldout3 0.735 -> 0.745 (totals only); tuning3
// and unshipped unchanged. Then two names that prefix the same masked
// value (tcp:<*>, unix:<*>) differ in a value: GA final tuning2 0.856 ->
// 0.893 (memcached 0.625 -> 1.000), tuning3 0.643 -> 0.656 (gitea 0.375
// -> 0.500); now, Loghub, unshipped and held-out totals unchanged. Then
// a token with an enclosed variable covers the same token with a value in
// its place ("(<*>):" and "(eth0):"): GA now Loghub BGL 0.977 -> 0.986,
// mean 0.805 -> 0.806; tuning2 0.572 -> 0.659 (networkmanager 0.125 ->
// 1.000); heldout2 0.622 -> 0.627, heldout3 0.652 -> 0.657 (totals only);
// final, the other parts and unshipped unchanged. Then a qualified name
// that labels the message (its first token, ending with ':') is masked at
// creation: GA now Loghub Mac 0.762 -> 0.845 (mean 0.806 -> 0.816);
// tuning 0.778/0.847 -> 0.794/0.850 (systemd 0.150/0.300 ->
// 0.525/0.375); heldout now 0.759 -> 0.772, heldout3 0.657/0.745 ->
// 0.674/0.753 (totals only); the others unchanged. Then a variable with
// a delimiter at its edge covers a value there too ("<*>," and
// "LOCAL(<*>),"): GA now/final Loghub BGL 0.986/0.983 -> 0.997/0.993,
// Thunderbird now 0.659 -> 0.943, mean 0.816/0.913 -> 0.853/0.915;
// tuning3 now 0.611 -> 0.624 (hbase 0.750 -> 0.875), tuning5 now 0.752 ->
// 0.767 (jetty 0.714 -> 0.857); unshipped Android now 0.562 -> 0.656
// (mean now 0.871 -> 0.883); heldout3 now 0.674 -> 0.684 (totals only);
// the others unchanged. Then two clauses as a differing span make
// siblings: GA now/final Loghub Mac 0.845/0.858 -> 0.848/0.861 (mean
// final 0.915, rounding); tuning final 0.850 -> 0.863 (nginx-error 0.714
// -> 1.000), tuning3 0.656 -> 0.722 (suricata, snort 1.000), tuning5
// 0.881 -> 0.914 (kea-dhcp4 1.000); unshipped Zookeeper 0.909 -> 1.000
// (mean final 0.928 -> 0.940); heldout2 final 0.794 -> 0.810 (totals
// only); GA now elsewhere unchanged. Then an object dump as a key= value
// is masked at creation (dump10g): GA final tuning 0.863 -> 0.872
// (mongodb 0.500 -> 0.708: planSummary=IXSCAN { email: 1 }); heldout
// final 0.823 -> 0.832 (totals only); GA now, Loghub, unshipped and the
// other parts unchanged.
var (
	// Loghub-2k, the 8 shipped systems: GA now, GA final.
	loghubRatchet = map[string][2]float64{
		"HDFS":        {0.997, 0.997},
		"Hadoop":      {0.982, 0.971},
		"BGL":         {0.996, 0.992},
		"Thunderbird": {0.942, 0.959},
		"Linux":       {0.627, 0.808},
		"HealthApp":   {1.000, 0.996},
		"OpenSSH":     {0.430, 0.735},
		"Mac":         {0.847, 0.861},
	}
	loghubMeanRatchet = [2]float64{0.852, 0.914}
	// cluster/testdata/unseen, mean GA over the families of each part: now,
	// final. The held-out parts are scored in totals only.
	unseenRatchet = map[string][2]float64{
		"tuning":   {0.794, 0.871},
		"tuning2":  {0.659, 0.893},
		"tuning3":  {0.623, 0.722},
		"tuning4":  {0.000, 0.000},
		"tuning5":  {0.766, 0.914},
		"heldout":  {0.732, 0.732},
		"heldout2": {0.573, 0.725},
		"heldout3": {0.636, 0.696},
	}
	// cluster/testdata/unshipped, GA per system: now, final.
	unshippedRatchet = map[string][2]float64{
		"Apache":    {1.000, 1.000},
		"Zookeeper": {1.000, 1.000},
		"Spark":     {1.000, 1.000},
		"HPC":       {0.750, 1.000},
		"Proxifier": {0.727, 0.681},
		"Android":   {0.656, 0.906},
		"Windows":   {0.928, 0.928},
		"OpenStack": {1.000, 1.000},
	}
	unshippedMeanRatchet = [2]float64{0.882, 0.939}
)

// loghubDir is the shared Loghub-2k corpus (see its RESULTS.md), outside
// the repository.
const loghubDir = "../../shared/loghub2k"

var loghubSystems = []string{"HDFS", "Hadoop", "BGL", "Thunderbird", "Linux", "HealthApp", "OpenSSH", "Mac"}

// patternScore is the score of one input.
type patternScore struct {
	lines, events    int
	gaNow, gaFinal   float64
	idsNow, idsFinal int
	replaced         uint64
}

// scorePatterns feeds msgs through one new Miner in order, as the sampler
// does, and scores its IDs against truth (one label per message).
func scorePatterns(msgs, truth []string, diff func(m *pattern.Miner, truth, final []string)) patternScore {
	m := pattern.New()
	now := make([]string, len(msgs))
	sigs := make([]signature.Sig, len(msgs))
	for i, msg := range msgs {
		sigs[i] = signature.Of(msg)
		now[i] = strconv.FormatUint(uint64(m.ID(sigs[i], msg)), 16)
	}
	placed := m.Stats().Placed
	final := make([]string, len(msgs))
	for i, msg := range msgs {
		final[i] = strconv.FormatUint(uint64(m.ID(sigs[i], msg)), 16)
	}
	if diff != nil {
		diff(m, truth, final)
	}
	return patternScore{
		lines:    len(msgs),
		events:   distinctStrings(truth),
		gaNow:    loghub.Score(truth, now).GA,
		gaFinal:  loghub.Score(truth, final).GA,
		idsNow:   distinctStrings(now),
		idsFinal: distinctStrings(final),
		replaced: m.Stats().Placed - placed,
	}
}

func distinctStrings(s []string) int {
	seen := make(map[string]bool, len(s))
	for _, x := range s {
		seen[x] = true
	}
	return len(seen)
}

const scoreHeader = "%-16s %5s %6s %9s %9s %9s %8s\n"

func scoreRow(b *strings.Builder, name string, s patternScore) {
	fmt.Fprintf(b, "%-16s %5d %6d %9d %9d %9.3f %8.3f", name, s.lines, s.events, s.idsNow, s.idsFinal, s.gaNow, s.gaFinal)
	if s.replaced > 0 {
		fmt.Fprintf(b, " (%d replaced)", s.replaced)
	}
	b.WriteByte('\n')
}

func header(b *strings.Builder, first string) {
	fmt.Fprintf(b, "\n"+scoreHeader, first, "lines", "events", "IDs now", "IDs final", "GA now", "GA final")
}

// ratchet fails t when a measured GA pair falls below its ratchet.
func ratchet(t *testing.T, name string, now, final float64, r [2]float64) {
	t.Helper()
	if now < r[0]-1e-9 || final < r[1]-1e-9 {
		t.Errorf("%s: GA now %.3f (ratchet %.3f), final %.3f (ratchet %.3f)", name, now, r[0], final, r[1])
	}
}

// TestLoghubPatternAccuracy scores pattern IDs on the 8 shipped Loghub-2k
// systems against the corrected ground truth (skipped when the corpus,
// which ships outside the repository, is absent).
func TestLoghubPatternAccuracy(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(loghubDir, "formats.json"))
	if os.IsNotExist(err) {
		t.Skipf("Loghub corpus not found at %s (it ships outside the repo, in ../shared/loghub2k): skipping the pattern accuracy benchmark", loghubDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var fms map[string]struct {
		LogFile   string `json:"log_file"`
		LogFormat string `json:"log_format"`
	}
	if err := json.Unmarshal(b, &fms); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	header(&out, "system")
	var sumNow, sumFinal float64
	for _, sys := range loghubSystems {
		fm := fms[sys]
		f, err := logline.Compile(fm.LogFormat)
		if err != nil {
			t.Fatal(err)
		}
		contents := readContents(t, filepath.Join(loghubDir, fm.LogFile), f)
		truth, err := loghub.Truth(loghubDir, sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(truth) != len(contents) {
			t.Fatalf("%s: %d ground-truth rows, %d lines", sys, len(truth), len(contents))
		}
		var diff func(*pattern.Miner, []string, []string)
		if os.Getenv("PATTERN_DIFF") == sys {
			diff = func(m *pattern.Miner, truth, final []string) { dumpGroups(t, m, truth, final) }
		}
		s := scorePatterns(contents, truth, diff)
		scoreRow(&out, sys, s)
		ratchet(t, sys, s.gaNow, s.gaFinal, loghubRatchet[sys])
		sumNow += s.gaNow
		sumFinal += s.gaFinal
	}
	k := float64(len(loghubSystems))
	fmt.Fprintf(&out, "%-16s %5s %6s %9s %9s %9.3f %8.3f\n", "mean", "", "", "", "", sumNow/k, sumFinal/k)
	t.Log(out.String())
	ratchet(t, "mean", sumNow/k, sumFinal/k, loghubMeanRatchet)
}

func readContents(t *testing.T, path string, f *logline.Format) []string {
	t.Helper()
	raw, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var contents []string
	sc := bufio.NewScanner(raw)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields, ok := f.Parse(sc.Text())
		if !ok {
			t.Fatalf("%s: line %d does not match the system's log format", path, len(contents)+1)
		}
		contents = append(contents, fields.Content)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return contents
}

// TestUnseenPatternAccuracy scores pattern IDs on the unseen-log corpus
// (cluster/testdata/unseen, see its README.md): per family, one Miner fed
// the family's lines in file order, GA against the hand-written templates;
// per part, the mean GA over its families. The held-out parts are reported
// in totals only: their lines and misses are never read for tuning.
func TestUnseenPatternAccuracy(t *testing.T) {
	for _, part := range []string{"tuning", "tuning2", "tuning3", "tuning4", "tuning5", "heldout", "heldout2", "heldout3"} {
		t.Run(part, func(t *testing.T) {
			samples := readSamples(t, "../cluster/testdata/unseen/"+part+".txt")
			heldout := strings.HasPrefix(part, "heldout")
			var out strings.Builder
			header(&out, "family")
			var tot patternScore
			for _, s := range samples {
				var diff func(*pattern.Miner, []string, []string)
				if !heldout && os.Getenv("PATTERN_DIFF") == s.system {
					diff = func(m *pattern.Miner, truth, final []string) { dumpGroups(t, m, truth, final) }
				}
				sc := scorePatterns(s.lines, s.want, diff)
				if !heldout {
					scoreRow(&out, s.system, sc)
				}
				tot.lines += sc.lines
				tot.events += sc.events
				tot.idsNow += sc.idsNow
				tot.idsFinal += sc.idsFinal
				tot.gaNow += sc.gaNow
				tot.gaFinal += sc.gaFinal
				tot.replaced += sc.replaced
			}
			k := float64(len(samples))
			tot.gaNow /= k
			tot.gaFinal /= k
			scoreRow(&out, fmt.Sprintf("total (%d fam.)", len(samples)), tot)
			t.Log(out.String())
			ratchet(t, part, tot.gaNow, tot.gaFinal, unseenRatchet[part])
		})
	}
}

// TestUnshippedPatternAccuracy scores pattern IDs on the hand-written
// samples of the 8 Loghub-2k systems that are not shipped
// (cluster/testdata/unshipped/samples.txt): GA per system.
func TestUnshippedPatternAccuracy(t *testing.T) {
	samples := readSamples(t, "../cluster/testdata/unshipped/samples.txt")
	if len(samples) != len(unshippedRatchet) {
		t.Fatalf("samples.txt has %d systems, the ratchet %d", len(samples), len(unshippedRatchet))
	}
	var out strings.Builder
	header(&out, "system")
	var sumNow, sumFinal float64
	for _, s := range samples {
		r, ok := unshippedRatchet[s.system]
		if !ok {
			t.Fatalf("no ratchet for system %q", s.system)
		}
		var diff func(*pattern.Miner, []string, []string)
		if os.Getenv("PATTERN_DIFF") == s.system {
			diff = func(m *pattern.Miner, truth, final []string) { dumpGroups(t, m, truth, final) }
		}
		sc := scorePatterns(s.lines, s.want, diff)
		scoreRow(&out, s.system, sc)
		ratchet(t, s.system, sc.gaNow, sc.gaFinal, r)
		sumNow += sc.gaNow
		sumFinal += sc.gaFinal
	}
	k := float64(len(samples))
	fmt.Fprintf(&out, "%-16s %5s %6s %9s %9s %9.3f %8.3f\n", "mean", "", "", "", "", sumNow/k, sumFinal/k)
	t.Log(out.String())
	ratchet(t, "mean", sumNow/k, sumFinal/k, unshippedMeanRatchet)
}

// sample is one family (system) of a file in the format of
// cluster/testdata/unshipped/samples.txt.
type sample struct {
	system string
	lines  []string // message contents, in file order
	want   []string // hand-written expected template of each line
}

// readSamples reads a file in the format of cluster/testdata/unshipped/samples.txt
// (loghub.ReadSamples).
func readSamples(t *testing.T, path string) []*sample {
	t.Helper()
	ss, err := loghub.ReadSamples(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*sample, len(ss))
	for i, s := range ss {
		out[i] = &sample{system: s.System, lines: s.Lines, want: s.Want}
	}
	return out
}

// dumpGroups logs, per ground-truth event whose lines are not exactly one
// final pattern, the patterns its lines got and how many lines each, and
// the other events sharing them (for tuning on the shipped Loghub systems:
// PATTERN_DIFF=<System> go test ./pattern -run LoghubPattern -v; a family
// of the tuning parts of the unseen corpus likewise, never a held-out one).
func dumpGroups(t *testing.T, m *pattern.Miner, truth, final []string) {
	byTruth := map[string]map[string]int{}
	byPred := map[string]map[string]int{}
	var order []string
	for i := range truth {
		if byTruth[truth[i]] == nil {
			byTruth[truth[i]] = map[string]int{}
			order = append(order, truth[i])
		}
		byTruth[truth[i]][final[i]]++
		if byPred[final[i]] == nil {
			byPred[final[i]] = map[string]int{}
		}
		byPred[final[i]][truth[i]]++
	}
	tmpl := func(id string) string {
		v, _ := strconv.ParseUint(id, 16, 64)
		s, ok := m.Template(signature.Sig(v))
		if !ok {
			return "(" + id + ", no pattern)"
		}
		return s
	}
	for _, g := range order {
		ps := byTruth[g]
		if len(ps) == 1 {
			for p := range ps {
				if len(byPred[p]) == 1 {
					continue
				}
			}
			if p := firstKey(ps); len(byPred[p]) == 1 {
				continue
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "GT: %s\n", g)
		for p, n := range ps {
			fmt.Fprintf(&b, "  %4d %s", n, tmpl(p))
			if len(byPred[p]) > 1 {
				fmt.Fprintf(&b, "   [shared by %d events]", len(byPred[p]))
			}
			b.WriteByte('\n')
		}
		t.Log(b.String())
	}
}

func firstKey(m map[string]int) string {
	for k := range m {
		return k
	}
	return ""
}

package cluster_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/loghub"
	"github.com/srex-dev/lipservice-go/signature"
)

// unshippedSample is one system of testdata/unshipped/samples.txt.
type unshippedSample struct {
	system string
	lines  []string // message contents, in file order
	want   []string // hand-written expected template of each line
}

// readUnshippedSamples parses testdata/unshipped/samples.txt (its format is
// described at the top of the file).
func readUnshippedSamples(t *testing.T) []*unshippedSample {
	t.Helper()
	return readSamples(t, "testdata/unshipped/samples.txt")
}

// readSamples reads a file in the format of testdata/unshipped/samples.txt
// (loghub.ReadSamples).
func readSamples(t *testing.T, path string) []*unshippedSample {
	t.Helper()
	ss, err := loghub.ReadSamples(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*unshippedSample, len(ss))
	for i, s := range ss {
		out[i] = &unshippedSample{system: s.System, lines: s.Lines, want: s.Want}
	}
	return out
}

// unshippedRatchet is, per system, the number of sample lines whose mined
// template equals the hand-written one, as reached when the ratchet was last
// raised. The test fails when a system falls below it.
var unshippedRatchet = map[string]int{
	"Apache":    19,
	"Zookeeper": 66,
	"Spark":     60,
	"HPC":       32,
	"Proxifier": 22,
	"Android":   29,
	"Windows":   42,
	"OpenStack": 58,
}

// TestUnshippedSamples checks that the masking rules and the miner
// generalize to the 8 Loghub-2k systems that are not shipped (Apache,
// Zookeeper, Spark, HPC, Proxifier, Android, Windows, OpenStack).
//
// The data are NOT the real Loghub files: testdata/unshipped/samples.txt
// holds lines written by hand from public knowledge of those datasets, and
// the expected templates in it are hand-written too, following the
// conventions of the corrected Loghub ground truth as they show in the 8
// shipped systems. So the counts measure agreement with one person's reading
// of those conventions, not accuracy on the benchmark.
//
// For each system it reports how many lines signature.Normalize alone turns
// into the expected template ("norm"), how many get it from a Miner fed all
// the lines of the system in order ("mined"), and the grouping and parsing
// accuracy of the mined templates (GA, PA; RESULTS.md section 4; PA is
// mined/lines), with their unweighted means over the systems as the
// benchmark averages them. It fails when "mined" falls below
// unshippedRatchet for any system.
func TestUnshippedSamples(t *testing.T) {
	scoreUnshipped(t, readUnshippedSamples(t), unshippedRatchet)
}

// unshippedRatchet2 is unshippedRatchet for testdata/unshipped/samples2.txt.
var unshippedRatchet2 = map[string]int{
	"Apache":    42,
	"Zookeeper": 92,
	"Spark":     84, // 78 before a list of varying length was one value (listPair)
	"HPC":       44,
	"Proxifier": 27,
	"Android":   37, // 31 before an object dump was one key= value (miner_dump.go)
	"Windows":   55,
	"OpenStack": 69,
}

// TestUnshippedSamples2 is TestUnshippedSamples on the larger second sample,
// testdata/unshipped/samples2.txt (more events per system, values varying
// in shape within an event; same caveats: hand-written lines and labels).
func TestUnshippedSamples2(t *testing.T) {
	scoreUnshipped(t, readSamples(t, "testdata/unshipped/samples2.txt"), unshippedRatchet2)
}

// scoreUnshipped mines each system of samples with its own Miner, logs the
// per-system table and every line whose template differs from the
// expected one, and fails when a system falls below its ratchet.
func scoreUnshipped(t *testing.T, samples []*unshippedSample, ratchet map[string]int) {
	t.Helper()
	if len(samples) != len(ratchet) {
		t.Fatalf("the samples have %d systems, the ratchet %d", len(samples), len(ratchet))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-10s %5s %5s %5s %6s %6s\n", "system", "lines", "norm", "mined", "GA", "PA")
	totLines, totNorm, totMined := 0, 0, 0
	var sumGA, sumPA float64
	for _, s := range samples {
		min, ok := ratchet[s.system]
		if !ok {
			t.Fatalf("no ratchet for system %q", s.system)
		}
		m := cluster.NewMiner()
		for _, l := range s.lines {
			m.Add(l)
		}
		norm, mined := 0, 0
		pred := make([]string, len(s.lines))
		for i, l := range s.lines {
			if signature.Normalize(l) == s.want[i] {
				norm++
			}
			p, ok := m.Match(l)
			if !ok {
				t.Errorf("%s: Match(%q) found no pattern after Add", s.system, l)
			}
			pred[i] = p.Template
			if p.Template == s.want[i] {
				mined++
			} else {
				t.Logf("%s: %q\n   want: %s\n    got: %s", s.system, l, s.want[i], p.Template)
			}
		}
		sc := loghub.Score(s.want, pred)
		fmt.Fprintf(&b, "%-10s %5d %5d %5d %6.3f %6.3f\n", s.system, len(s.lines), norm, mined, sc.GA, sc.PA)
		sumGA += sc.GA
		sumPA += sc.PA
		totLines += len(s.lines)
		totNorm += norm
		totMined += mined
		if mined < min {
			t.Errorf("%s: %d of %d lines get the expected template, below the ratchet of %d", s.system, mined, len(s.lines), min)
		}
	}
	fmt.Fprintf(&b, "%-10s %5d %5d %5d\n", "total", totLines, totNorm, totMined)
	n := float64(len(samples))
	fmt.Fprintf(&b, "%-10s %5s %5s %5s %6.3f %6.3f\n", "mean", "", "", "", sumGA/n, sumPA/n)
	t.Log(b.String())
}

// unshippedRatchet3 is unshippedRatchet for testdata/unshipped/samples3.txt,
// set to the counts first measured on it (main 06056be, after the lead
// removed the program name the first version kept in front of Proxifier's
// messages: 550 lines, mean GA 0.929, PA 0.903) and raised when a rule found
// elsewhere lifted it (an object dump as a key= value: Android 48 -> 50).
var unshippedRatchet3 = map[string]int{
	"Apache":    73,
	"Zookeeper": 87,
	"Spark":     79,
	"HPC":       47,
	"Proxifier": 57,
	"Android":   50,
	"Windows":   70,
	"OpenStack": 89,
}

// TestUnshippedSamples3 is TestUnshippedSamples on the third sample,
// testdata/unshipped/samples3.txt, which is HELD OUT: written, lines and
// labels, before it was first scored, and no rule is to be tuned on its
// lines, so its GA/PA estimate what the 8 unshipped systems will score
// (same caveats as the others: hand-written lines and labels). One class
// was briefed from its first, mis-formatted Proxifier lines (variable
// spans, miner_span.go, accepted on other sources; it moves none of its
// lines now). Raise its ratchet when a general rule lifts it; never
// change it to fit a line.
func TestUnshippedSamples3(t *testing.T) {
	scoreUnshipped(t, readSamples(t, "testdata/unshipped/samples3.txt"), unshippedRatchet3)
}

// unshippedRatchetFirst is unshippedRatchet2 for samples2 in first-session
// order (TestUnshippedSamples2FirstSession).
var unshippedRatchetFirst = map[string]int{
	"Apache":    42,
	"Zookeeper": 92,
	"Spark":     84, // 78 before a list of varying length was one value (listPair)
	"HPC":       44,
	"Proxifier": 27,
	"Android":   37,
	"Windows":   55,
	"OpenStack": 69,
}

// TestUnshippedSamples2FirstSession is TestUnshippedSamples2 with each
// system's lines reordered as a real log shows them: the first occurrence
// of every distinct line, in file order, then the repeats. A variable
// formed in that first session, before any of its values recurred, must
// be undone by the repeats that follow on the fast path (the Windows
// "Starting TrustedInstaller ..." events, miner_recur.go).
func TestUnshippedSamples2FirstSession(t *testing.T) {
	ss := readSamples(t, "testdata/unshipped/samples2.txt")
	for _, s := range ss {
		seen := make(map[string]bool, len(s.lines))
		var lines, want, rl, rw []string
		for i, l := range s.lines {
			if seen[l] {
				rl, rw = append(rl, l), append(rw, s.want[i])
				continue
			}
			seen[l] = true
			lines, want = append(lines, l), append(want, s.want[i])
		}
		s.lines, s.want = append(lines, rl...), append(want, rw...)
	}
	scoreUnshipped(t, ss, unshippedRatchetFirst)
}

// unshippedRatchet4 is unshippedRatchet for testdata/unshipped/samples4.txt,
// set to the counts first measured on it (main 6dabaf2; 534 of 655 lines,
// mean GA 0.920, PA 0.823), then to the counts after the lead corrected
// two conventions of its first version (the program name in front of
// Proxifier's messages removed; program-written quotes outside the <*>, as
// the shipped truth writes them): 572 lines, mean GA 0.920, PA 0.878.
var unshippedRatchet4 = map[string]int{
	"Apache":    78,
	"Zookeeper": 82,
	"Spark":     80,
	"HPC":       49,
	"Proxifier": 62,
	"Android":   68,
	"Windows":   61,
	"OpenStack": 92,
}

// TestUnshippedSamples4 is TestUnshippedSamples on the fourth sample,
// testdata/unshipped/samples4.txt, which is HELD OUT: written, lines and
// labels, before it was first scored, by someone who had read neither the
// rules nor the other samples' lines. Its GA/PA estimate what the 8 unshipped systems
// will score (same caveats: hand-written lines and labels). Raise its
// ratchet when a general rule lifts it; never change it to fit a line.
func TestUnshippedSamples4(t *testing.T) {
	scoreUnshipped(t, readSamples(t, "testdata/unshipped/samples4.txt"), unshippedRatchet4)
}

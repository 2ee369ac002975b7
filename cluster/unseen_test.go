package cluster_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/internal/loghub"
	"github.com/srex-dev/lipservice-go/signature"
)

// unseenRatchet is, per part of testdata/unseen, the number of lines whose
// mined template equals the hand-written one and the mean grouping accuracy
// over the families, as reached when the ratchet was last raised. The test
// fails when a part falls below either. rules10h (a comma list of names or
// values whose length varies is one value, listPair): tuning2 147 -> 150
// lines, GA 0.872 -> 0.885 (ceph); the other parts and the held-out totals
// unchanged. rules10b (an object dump is one
// key= value, miner_dump.go): tuning 581 -> 586 lines, GA 0.965 -> 0.975
// (mongodb); tuning5 GA 0.774 -> 0.824 (kea-dhcp4); tuning2, tuning3 and
// tuning4 unchanged; held-out totals: heldout 249 -> 252 lines, GA 0.880
// -> 0.889, heldout2 and heldout3 unchanged. Span merges of issue 9 (one
// variable spans a varying number of tokens; miner_span.go): tuning3 126
// -> 132 lines, GA 0.885 -> 0.898 (storm, hbase); the other tuning parts
// and the held-out totals unchanged. Unshipped sample 2 of issue 9 (a
// qualified name is a value pair past the first token; a reverse domain
// name is not a host): tuning GA 0.955 -> 0.965 (haproxy); tuning2 144 ->
// 147 lines, GA 0.860 -> 0.872 (rails); tuning4 GA 0.837 -> 0.865
// (k8s-audit); tuning5 117 -> 120 (wildfly); tuning3 unchanged; held-out
// totals: heldout 246 -> 249, GA 0.869 -> 0.880, heldout2 and heldout3
// unchanged. Sixth round of issue 9 (rules
// taken only when they improve families of two tuning parts: a name that
// prefixes a masked value is a value pair; a message code of more letters;
// a timestamp dd/Mon/yyyy or with a numeric zone after the time): tuning2
// 135 -> 144 lines, GA 0.860 unchanged (keycloak, rails); tuning3 123 ->
// 126, GA 0.860 -> 0.885 (gitea, hbase); tuning4 33 -> 36, GA 0.810 ->
// 0.837 (serilog-clef); tuning5 99 -> 117, GA 0.774 unchanged (wildfly,
// django-dev); tuning 581, GA 0.955 unchanged; held-out totals unchanged
// (heldout 246, GA 0.869; heldout2 206, 0.749; heldout3 416, 0.817).
// Fifth round of issue 9 (a message
// that is one JSON object is mined by its members): tuning3 GA 0.803 ->
// 0.860 (zeek 0.286 -> 0.857); tuning4 30 -> 33 lines, GA 0.726 -> 0.810;
// heldout3 GA 0.810 -> 0.817 (totals only; 416 lines unchanged); tuning,
// tuning2, heldout and heldout2 unchanged. Fourth round of issue 9 (a short
// verb phrase learns its object; a tail whose first token is a variable
// covers any first token; an empty value pairs with a value): tuning
// 581/676 (PA 0.859), GA 0.955; tuning2 135/232 (PA 0.582), GA 0.860;
// tuning3 123/234 (PA 0.526), GA 0.803; the held-out parts unchanged
// (heldout 246, GA 0.869; heldout2 206, GA 0.749; heldout3 416, GA
// 0.810). Measured after the third round of
// issue 9 (value pairs in a tail's prefix; None and nil label as null):
// tuning 575/676 (PA 0.851), mean GA 0.937; tuning2 131/232 (PA 0.565),
// mean GA 0.841; held-out and heldout2, scored once after the rules were
// final, unchanged (246, GA 0.869; 206, GA 0.749). Before, after the second round of
// miner classes of issue 9 (key tails, object dumps, lists of variable
// length, angle brackets, -ing names, ids in brackets, short messages with
// an event word; DESIGN.md): tuning 575/676 lines (PA 0.851), mean GA
// 0.931; held-out, scored once after the rules were final, 246/329 (PA
// 0.748), mean GA 0.869; heldout2 206/394 (PA 0.523), mean GA 0.749.
// Before that round (signature v3 with the
// later value classes of issue 9, and the miner's value positions at two
// values, tail patterns and glued values in short messages; a backslash is a
// label delimiter, so \"<*>\" labels as a quoted variable): tuning 526/676
// lines (PA 0.778), mean GA 0.873; held-out, scored once after the rules
// were final, 228/329 (PA 0.693), mean GA 0.828. The normalizer classes
// alone gave tuning 466 (0.689), GA 0.804, held-out 216 (0.657), GA 0.789;
// the miner rules alone tuning 469 (0.694), GA 0.864, held-out 213 (0.647),
// GA 0.828. Before both (signature v3, event-word miner, kept event tokens
// of internal/eventtok never merged): tuning 412/676 lines (PA 0.609), mean
// GA 0.791 (nginx-access and apache-access
// no longer merge statuses and routes); held-out 201/329 (PA 0.611), mean
// GA 0.789. Before the eventtok rule: tuning 394 (0.583), GA 0.756. Before
// (signature v2): tuning 301 (0.445), GA 0.629; held-out 160 (0.486), GA
// 0.658. heldout2 (14 other families, written in session 7 by someone who
// did not tune the rules, never used for tuning), first scored on main at
// 3f9bba4: 194/394 lines (PA 0.492), mean GA 0.749 (0.748868). tuning2
// (10 more families, written in session 7, may be tuned on), first scored
// on main at 158dff1: 123/232 lines (PA 0.530), mean GA 0.816. tuning3 (10
// more families, written on 2026-12-05 before it was scored, may be tuned
// on), first scored on main at 74e4af1: 120/234 lines (PA 0.513), mean GA
// 0.791.
var unseenRatchet = map[string]struct {
	mined int
	ga    float64
}{
	"tuning":   {mined: 586, ga: 0.974},
	"heldout":  {mined: 252, ga: 0.888},
	"heldout2": {mined: 206, ga: 0.748},
	"tuning2":  {mined: 150, ga: 0.884},
	"tuning3":  {mined: 132, ga: 0.897},
	// tuning4 (6 families of JSON-object logs, 117 lines, written on
	// 2026-12-05 before it was scored, may be tuned on), first scored on
	// main at c511b1e: 30/117 lines (PA 0.256), mean GA 0.726.
	"tuning4": {mined: 36, ga: 0.864},
	// tuning5 (10 families from a list reserved for it, 207 lines,
	// written on 2026-12-06 before it was scored, may be tuned on),
	// first scored at 1eaffc6 (the same without its name-value rule):
	// 99/207 lines (PA 0.478), mean GA 0.774.
	"tuning5": {mined: 120, ga: 0.823},
	// heldout3 (20 other families, 640 lines) was written in session 8 by
	// an engineer who did not tune the rules and did not read the
	// normalizer or miner; it is never used for tuning. First scored on
	// main at the merge of that part (before session 8's rules): 416/640
	// lines (PA 0.650), mean GA 0.810.
	"heldout3": {mined: 416, ga: 0.816},
}

// TestUnseenCorpus scores the masking rules and the miner on the unseen-log
// corpus of testdata/unseen (see its README.md): hand-written lines of 83
// software families that are not in ../shared, each with a hand-written
// expected template. The tuning parts (tuning to tuning5) are what
// the rules may be tuned on; the held-out parts (heldout, heldout2,
// heldout3) are scored the same way and must not be used for tuning.
//
// Per family, all its lines are fed in file order to one Miner; each line
// then gets the template of its pattern (Match). The table reports, per
// family, the lines whose signature.Normalize template is the expected one
// ("norm"), those whose mined template is ("mined", the parsing accuracy PA
// times the lines) and the grouping accuracy (GA) of the mined templates,
// then the totals and the mean GA per part. Set UNSEEN_MISSES=1 to log the
// lines whose mined template differs.
func TestUnseenCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the unseen corpus is scored in full mode")
	}
	for _, part := range []string{"tuning", "tuning2", "tuning3", "tuning4", "tuning5", "heldout", "heldout2", "heldout3"} {
		t.Run(part, func(t *testing.T) {
			samples := readSamples(t, "testdata/unseen/"+part+".txt")
			var b strings.Builder
			fmt.Fprintf(&b, "\n%-16s %5s %5s %5s %6s %6s\n", "family", "lines", "norm", "mined", "PA", "GA")
			lines, norm, mined := 0, 0, 0
			var sumGA float64
			for _, s := range samples {
				m := cluster.NewMiner()
				for _, l := range s.lines {
					m.Add(l)
				}
				n, k := 0, 0
				pred := make([]string, len(s.lines))
				for i, l := range s.lines {
					if signature.Normalize(l) == s.want[i] {
						n++
					}
					p, ok := m.Match(l)
					if !ok {
						t.Errorf("%s: Match(%q) found no pattern after Add", s.system, l)
					}
					pred[i] = p.Template
					if p.Template == s.want[i] {
						k++
					} else if os.Getenv("UNSEEN_MISSES") != "" {
						t.Logf("%s: %q\n   want: %s\n    got: %s", s.system, l, s.want[i], p.Template)
					}
				}
				sc := loghub.Score(s.want, pred)
				fmt.Fprintf(&b, "%-16s %5d %5d %5d %6.3f %6.3f\n", s.system, len(s.lines), n, k, float64(k)/float64(len(s.lines)), sc.GA)
				lines += len(s.lines)
				norm += n
				mined += k
				sumGA += sc.GA
			}
			ga := sumGA / float64(len(samples))
			fmt.Fprintf(&b, "%-16s %5d %5d %5d %6.3f %6.3f (mean GA over %d families)\n", "total", lines, norm, mined, float64(mined)/float64(lines), ga, len(samples))
			t.Log(b.String())
			r := unseenRatchet[part]
			if mined < r.mined || ga < r.ga-1e-9 {
				t.Errorf("%s: %d lines mined right (ratchet %d), mean GA %.3f (ratchet %.3f)", part, mined, r.mined, ga, r.ga)
			}
		})
	}
}

package cluster_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

// FuzzAnalyze feeds Analyze newline-separated templates and checks that it
// does not fail or panic, that the clusters partition the input, and that
// the result does not depend on the input order.
func FuzzAnalyze(f *testing.F) {
	f.Add("Session opened for user <*>\nSession closed for user <*>\nCache warmed in <*> ms", 0.5, 2)
	f.Add("<*>\n<*> <*>\n\n1 2 3", 0.3, 1)
	f.Add("Connected to <*>\n<*> connected to <*>\nconnected", 0.9, 3)
	f.Add("dfs.DataNode$PacketResponder\nHTTPServer\xff\xfe\nÉtatCritique", 0.1, 2)
	f.Fuzz(func(t *testing.T, text string, eps float64, minPts int) {
		if !(eps > 0 && eps < 1) || minPts < 1 || minPts > 10 {
			t.Skip()
		}
		var ps []cluster.PatternSummary
		seen := map[signature.Sig]bool{}
		for _, tmpl := range strings.Split(text, "\n") {
			id := signature.OfTemplate(tmpl)
			if !seen[id] {
				seen[id] = true
				ps = append(ps, cluster.PatternSummary{ID: id, Template: tmpl, Count: 1})
			}
		}
		cs, err := cluster.Analyze(ps, cluster.WithEps(eps), cluster.WithMinPts(minPts))
		if err != nil {
			t.Fatal(err)
		}
		members := 0
		for _, c := range cs {
			members += len(c.Members)
			if c.Count != uint64(len(c.Members)) {
				t.Errorf("cluster %v: count %d, %d members of count 1", c.ID, c.Count, len(c.Members))
			}
			if c.ID != slices.Min(c.Members) {
				t.Errorf("cluster %v: ID is not the smallest member %v", c.ID, slices.Min(c.Members))
			}
		}
		if members != len(ps) {
			t.Errorf("%d members in all clusters, %d patterns", members, len(ps))
		}
		slices.Reverse(ps)
		again, err := cluster.Analyze(ps, cluster.WithEps(eps), cluster.WithMinPts(minPts))
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(cs) {
			t.Fatalf("reversed input: %d clusters instead of %d", len(again), len(cs))
		}
		for i := range cs {
			if !slices.Equal(cs[i].Members, again[i].Members) || cs[i].Label != again[i].Label {
				t.Errorf("reversed input: cluster %d differs: %v %q vs %v %q", i, cs[i].Members, cs[i].Label, again[i].Members, again[i].Label)
			}
		}
	})
}

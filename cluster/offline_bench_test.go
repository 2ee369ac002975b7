package cluster_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

// benchSummaries returns n pattern summaries built from the 955 ground-truth
// templates of the Loghub-2k fixture, in a seeded random order so that every
// size mixes the eight systems. Beyond 955, variant k of a template gets an
// extra word of its own ("xa", "xb", ...), as a miner would produce for a
// message that differs in one constant token.
func benchSummaries(b *testing.B, n int) []cluster.PatternSummary {
	b.Helper()
	all := loadLoghubTemplates(b)
	rng := rand.New(rand.NewPCG(1, 1))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	ps := make([]cluster.PatternSummary, 0, n)
	for k := 0; len(ps) < n; k++ {
		p := all[k%len(all)].summary
		if v := k / len(all); v > 0 {
			p.Template += " x" + string(rune('a'+v-1)) + string(rune('a'+k%26))
			p.ID = signature.OfTemplate(p.Template + fmt.Sprint(k))
		}
		ps = append(ps, p)
	}
	return ps
}

var sinkClusters []cluster.Cluster

func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{50, 500, 2000} {
		b.Run(fmt.Sprintf("%d-templates", n), func(b *testing.B) {
			ps := benchSummaries(b, n)
			b.ReportAllocs()
			for b.Loop() {
				cs, err := cluster.Analyze(ps)
				if err != nil {
					b.Fatal(err)
				}
				sinkClusters = cs
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "templates/s")
			b.ReportMetric(float64(len(sinkClusters)), "clusters/op")
			if len(sinkClusters) == 0 || len(sinkClusters) > n {
				b.Fatalf("got %d clusters for %d templates", len(sinkClusters), n)
			}
		})
	}
}

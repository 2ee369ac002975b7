package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dbscanModel builds a tfidf model directly from unit (or zero) sparse vectors.
func dbscanModel(nTerms int, docs []sparseVec) *tfidf {
	m := &tfidf{terms: make([]string, nTerms), docs: docs, postings: make([][]posting, nTerms)}
	for d, v := range docs {
		for k, t := range v.idx {
			m.postings[t] = append(m.postings[t], posting{doc: d, w: v.w[k]})
		}
	}
	return m
}

// dbscanAngles returns 2-D unit vectors at the given angles in degrees (0..90, so
// that the weights are non-negative like TF-IDF weights). The cosine
// distance between two of them is 1 − cos(Δθ).
func dbscanAngles(deg ...float64) *tfidf {
	docs := make([]sparseVec, len(deg))
	for i, a := range deg {
		r := a * math.Pi / 180
		docs[i] = sparseVec{idx: []int{0, 1}, w: []float64{math.Cos(r), math.Sin(r)}}
	}
	return dbscanModel(2, docs)
}

func TestDBSCAN(t *testing.T) {
	eps10 := 1 - math.Cos(10*math.Pi/180) // neighbours: at most 10° apart
	const N = dbscanNoise
	tests := []struct {
		name   string
		model  *tfidf
		eps    float64
		minPts int
		want   []int
	}{
		{"empty", dbscanAngles(), eps10, 2, []int{}},
		{"single point is noise", dbscanAngles(45), eps10, 2, []int{N}},
		{"single point with minPts 1", dbscanAngles(45), eps10, 1, []int{0}},
		{
			// 0-10-20 is a chain of 10° steps; 50 is alone; 80-90 a pair.
			"chain, outlier and pair", dbscanAngles(0, 10, 20, 50, 80, 90), eps10, 2,
			[]int{0, 0, 0, N, 1, 1},
		},
		{
			// With minPts 3 only 10 is a core point; 0 and 20 are its border
			// points, and the pair 80-90 is too small.
			"border points", dbscanAngles(0, 10, 20, 50, 80, 90), eps10, 3,
			[]int{0, 0, 0, N, N, N},
		},
		{
			// minPts 4: 6 and 24 are core points (4 neighbours each); 15 has
			// 3 neighbours (6, 15, 24), so it is a border point of both
			// clusters and joins the first one found in index order.
			"shared border point goes to the first cluster", dbscanAngles(0, 3, 6, 15, 24, 27, 30), eps10, 4,
			[]int{0, 0, 0, 0, 1, 1, 1},
		},
		{
			"shared border point, reversed order", dbscanAngles(30, 27, 24, 15, 6, 3, 0), eps10, 4,
			[]int{0, 0, 0, 0, 1, 1, 1},
		},
		{
			"minPts 1 gives connected components", dbscanAngles(0, 10, 20, 50, 80, 90), eps10, 1,
			[]int{0, 0, 0, 1, 2, 2},
		},
		{
			"zero vectors are noise", dbscanModel(2, []sparseVec{{}, {}, {idx: []int{0}, w: []float64{1}}}), eps10, 2,
			[]int{N, N, N},
		},
		{
			"zero vector with minPts 1 is its own cluster", dbscanModel(1, []sparseVec{{}, {}}), eps10, 1,
			[]int{0, 1},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := dbscan(test.model, test.eps, test.minPts)
			assert.Equal(t, test.want, got)
		})
	}
}

func TestDBSCAN_panics(t *testing.T) {
	assert.PanicsWithValue(t, "cluster: dbscan: minPts < 1 or eps is NaN", func() { dbscan(dbscanAngles(0), 0.1, 0) })
	assert.PanicsWithValue(t, "cluster: dbscan: minPts < 1 or eps is NaN", func() { dbscan(dbscanAngles(0), math.NaN(), 2) })
}

// TestRegion compares the inverted-index neighbourhoods with a brute-force
// scan over random sparse vectors.
func TestRegion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const nDocs, nTerms = 200, 40
	docs := make([]sparseVec, nDocs)
	for d := range docs {
		var v sparseVec
		for term := range nTerms {
			if rng.IntN(8) == 0 {
				v.idx = append(v.idx, term)
				v.w = append(v.w, rng.Float64())
			}
		}
		var norm float64
		for _, w := range v.w {
			norm += w * w
		}
		for k := range v.w {
			v.w[k] /= math.Sqrt(norm)
		}
		docs[d] = v
	}
	m := dbscanModel(nTerms, docs)
	for _, eps := range []float64{0.1, 0.5, 0.9} {
		rq := regionQuerier{m: m, eps: eps, dot: make([]float64, nDocs), seen: make([]bool, nDocs)}
		for p := range nDocs {
			got := rq.region(p, nil)
			want := []int{p}
			for q := range nDocs {
				d := cosineDistance(docs[p], docs[q])
				if math.Abs(d-eps) < 1e-12 {
					// The two summation orders may round this pair to
					// different sides of eps: leave it out of the comparison.
					got = slices.DeleteFunc(got, func(r int) bool { return r == q })
					continue
				}
				if q != p && d <= eps {
					want = append(want, q)
				}
			}
			slices.Sort(want)
			require.Equal(t, want, got, "eps %v, doc %d", eps, p)
		}
		assert.True(t, slices.Equal(rq.dot, make([]float64, nDocs)), "dot must be cleared between queries")
	}
}

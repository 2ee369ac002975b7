package cluster

import "slices"

// dbscanNoise is the label of a point that belongs to no cluster.
const dbscanNoise = -1

// dbscan labels the documents of m with DBSCAN (Ester, Kriegel, Sander, Xu,
// "A Density-Based Algorithm for Discovering Clusters in Large Spatial
// Databases with Noise", KDD 1996) under the cosine distance of
// [cosineDistance]. It returns one label per document: a cluster number
// 0, 1, 2, ... in order of discovery, or dbscanNoise.
//
// The ε-neighbourhood of a point p contains p itself and every q with
//
//	d(p, q) = 1 − cos(p, q) ≤ eps
//
// A point is a core point when its neighbourhood has at least minPts points
// (p included, as in the paper). A cluster is a maximal set of points
// density-connected through core points; a non-core point within eps of a
// core point (a border point) joins the first cluster that reaches it, so
// the order of the documents decides between clusters that share a border
// point; [Analyze] sorts its input to make that order canonical. The
// remaining points are noise. A zero vector (a template without words) has no
// neighbour but itself.
//
// The neighbourhoods are computed on demand from the inverted index of m, at
// most once per point, so dbscan runs in O(Σₜ df(t)²) time in the worst
// case (the cost of all the dot products between documents that share a
// term) and O(n) extra memory.
//
// dbscan panics if minPts < 1 or eps is NaN; [Analyze] validates both.
func dbscan(m *tfidf, eps float64, minPts int) []int {
	if minPts < 1 || eps != eps {
		panic("cluster: dbscan: minPts < 1 or eps is NaN")
	}
	n := len(m.docs)
	const unvisited = -2
	labels := make([]int, n)
	for i := range labels {
		labels[i] = unvisited
	}
	q := regionQuerier{m: m, eps: eps, dot: make([]float64, n), seen: make([]bool, n)}
	var neighbours, queue []int
	cluster := 0
	for p := range n {
		if labels[p] != unvisited {
			continue
		}
		neighbours = q.region(p, neighbours[:0])
		if len(neighbours) < minPts {
			labels[p] = dbscanNoise // may become a border point later
			continue
		}
		// Every point is queued at most once: it is labelled when queued, and
		// only unvisited points are queued. A noise point reached here is a
		// border point: its neighbourhood is already known to be too small,
		// so it is labelled but not expanded.
		labels[p] = cluster
		queue = queue[:0]
		grow := func(ns []int) {
			for _, r := range ns {
				switch labels[r] {
				case unvisited:
					labels[r] = cluster
					queue = append(queue, r)
				case dbscanNoise:
					labels[r] = cluster
				}
			}
		}
		grow(neighbours)
		for k := 0; k < len(queue); k++ {
			neighbours = q.region(queue[k], neighbours[:0])
			if len(neighbours) >= minPts {
				grow(neighbours)
			}
		}
		cluster++
	}
	return labels
}

// regionQuerier computes ε-neighbourhoods from the inverted index of a
// [tfidf] model. It is not safe for concurrent use.
type regionQuerier struct {
	m   *tfidf
	eps float64
	// dot[j] accumulates cos(p, j) during one query and seen[j] records that
	// j is in touched; both are all zeros between queries.
	dot     []float64
	seen    []bool
	touched []int
}

// region appends to dst the ε-neighbourhood of document p, p included, in
// ascending document order, and returns the extended slice:
//
//	N(p) = {p} ∪ { q : 1 − Σₜ v(p)ₜ·v(q)ₜ ≤ eps }
func (rq *regionQuerier) region(p int, dst []int) []int {
	d := rq.m.docs[p]
	rq.touched = rq.touched[:0]
	for k, term := range d.idx {
		wp := d.w[k]
		for _, post := range rq.m.postings[term] {
			if !rq.seen[post.doc] {
				rq.seen[post.doc] = true
				rq.touched = append(rq.touched, post.doc)
			}
			rq.dot[post.doc] += wp * post.w
		}
	}
	dst = append(dst, p)
	for _, q := range rq.touched {
		if q != p && 1-rq.dot[q] <= rq.eps {
			dst = append(dst, q)
		}
		rq.dot[q], rq.seen[q] = 0, false
	}
	slices.Sort(dst)
	return dst
}

package cluster

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// ErrInvalidAnalyzeOption is returned (wrapped) by [Analyze] when an
// [AnalyzeOption] has a value outside its documented range.
var ErrInvalidAnalyzeOption = errors.New("cluster: invalid analyze option")

// ErrDuplicatePattern is returned (wrapped) by [Analyze] when two
// [PatternSummary] values have the same ID.
var ErrDuplicatePattern = errors.New("cluster: duplicate pattern id")

// PatternSummary is what [Analyze] needs to know about one mined pattern: its
// identity, its template and the statistics gathered while mining.
//
// It is a plain value; [Analyze] only reads it, never keeps or modifies its
// maps. The zero value is a pattern with an empty template that was never
// seen.
type PatternSummary struct {
	// ID identifies the pattern, usually signature.OfTemplate(Template).
	ID signature.Sig `json:"id"`
	// Template is the pattern's template, variables written as "<*>".
	Template string `json:"template"`
	// Count is the number of messages that matched the pattern.
	Count uint64 `json:"count"`
	// Severity counts the matched messages by level name ("INFO", "ERROR",
	// ...). Nil means unknown.
	Severity map[string]uint64 `json:"severity,omitempty"`
	// FirstSeen and LastSeen bound the times of the matched messages. The
	// zero time means unknown.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	// Example is one message that matched the pattern. It may be empty.
	Example string `json:"example,omitempty"`
	// ErrorTypes counts the matched messages by error type, as extracted by
	// signature.ErrorType. Nil means none.
	ErrorTypes map[string]uint64 `json:"error_types,omitempty"`
}

// Cluster is a group of related patterns found by [Analyze], with the
// statistics of its members combined.
//
// Analyze allocates every Cluster and its slices and maps afresh; the caller
// owns them.
type Cluster struct {
	// ID identifies the cluster: the smallest ID among its members. It is
	// stable as long as that member stays in the cluster.
	ID signature.Sig `json:"id"`
	// Members lists the IDs of the member patterns by decreasing Count, ties
	// by increasing ID. Members[0] is the cluster's most frequent pattern.
	Members []signature.Sig `json:"members"`
	// Noise reports that the cluster is a single pattern that DBSCAN left as
	// noise: it is not within eps of any core point.
	Noise bool `json:"noise"`
	// Template is the template of Members[0].
	Template string `json:"template"`
	// TopTerms are the words with the largest summed TF-IDF weight over the
	// members, heaviest first, ties in lexical order; at most
	// [WithTopTerms] of them.
	TopTerms []string `json:"top_terms"`
	// Label is TopTerms joined with spaces, a short human-readable name.
	Label string `json:"label"`
	// Count is the sum of the members' counts, saturating at math.MaxUint64.
	Count uint64 `json:"count"`
	// Severity is the sum of the members' severity counts (saturating). It
	// is nil when no member has one.
	Severity map[string]uint64 `json:"severity,omitempty"`
	// FirstSeen is the earliest non-zero FirstSeen of the members and
	// LastSeen the latest non-zero LastSeen; zero when no member has one.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	// Example is the Example of the first member, in Members order, that
	// has a non-empty one: the representative message of the most frequent
	// pattern.
	Example string `json:"example,omitempty"`
	// ErrorTypes is the sum of the members' error-type counts
	// (saturating). It is nil when no member has one.
	ErrorTypes map[string]uint64 `json:"error_types,omitempty"`
}

// Default values of the [AnalyzeOption] settings.
const (
	// DefaultEps is the default DBSCAN radius, in cosine distance.
	//
	// It and [DefaultMinPts] were measured on the 955 ground-truth templates
	// of the eight Loghub-2k systems shipped with the project, clustered all
	// together ("grouped": share of templates in non-noise clusters;
	// "largest": templates in the largest cluster; "system purity": share of
	// the grouped templates that come from their cluster's majority system)
	// and system by system ("component purity": the same with the logging
	// component, mean over the seven systems that have more than one):
	//
	//	minPts  eps  grouped  largest  clusters  system purity  component purity
	//	2       0.3  33%        8      764       0.90           0.94
	//	2       0.4  44%       15      683       0.91           0.83
	//	2       0.5  56%       15      581       0.90           0.86
	//	2       0.6  66%       55      472       0.84           0.81
	//	2       0.7  81%      538      246       0.48           0.65
	//	3       0.5  36%       15      677       0.89           0.81
	//	3       0.6  50%       55      550       0.81           0.77
	//
	// 0.5 is the widest radius before DBSCAN starts chaining unrelated
	// templates through a shared common word (the largest cluster jumps from
	// 15 to 55 templates and purity drops at 0.6). minPts 3 grouped fewer
	// templates at every radius without purer clusters, so the default is 2,
	// which makes any two templates within eps of each other a cluster.
	DefaultEps = 0.5
	// DefaultMinPts is the default DBSCAN core-point threshold, in patterns;
	// see [DefaultEps] for how it was chosen.
	DefaultMinPts = 2
	// DefaultTopTerms is the default number of [Cluster.TopTerms].
	DefaultTopTerms = 5
)

// AnalyzeOption configures [Analyze]. Values are created by [WithEps],
// [WithMinPts] and [WithTopTerms].
type AnalyzeOption interface {
	applyAnalyze(*analyzeConfig)
}

type analyzeConfig struct {
	eps      float64
	minPts   int
	topTerms int
}

type analyzeOptionFunc func(*analyzeConfig)

func (f analyzeOptionFunc) applyAnalyze(c *analyzeConfig) { f(c) }

// WithEps sets the DBSCAN radius: two patterns are neighbours when the
// cosine distance of their TF-IDF vectors is at most eps, that is when
// cos ≥ 1 − eps. It must satisfy 0 < eps < 1 (at 1 every pattern is the
// neighbour of every other); otherwise [Analyze] returns an error wrapping
// [ErrInvalidAnalyzeOption]. The default is [DefaultEps].
func WithEps(eps float64) AnalyzeOption {
	return analyzeOptionFunc(func(c *analyzeConfig) { c.eps = eps })
}

// WithMinPts sets the DBSCAN core-point threshold: a pattern is a core point
// when at least minPts patterns, itself included, lie within eps of it. 1
// makes every pattern a core point (clusters are then the connected
// components of the eps-neighbour graph, and no pattern is noise). It must
// be at least 1; otherwise [Analyze] returns an error wrapping
// [ErrInvalidAnalyzeOption]. The default is [DefaultMinPts].
func WithMinPts(minPts int) AnalyzeOption {
	return analyzeOptionFunc(func(c *analyzeConfig) { c.minPts = minPts })
}

// WithTopTerms sets the maximum number of [Cluster.TopTerms]. Zero leaves
// TopTerms and Label empty; a negative n makes [Analyze] return an error
// wrapping [ErrInvalidAnalyzeOption]. The default is [DefaultTopTerms].
func WithTopTerms(n int) AnalyzeOption {
	return analyzeOptionFunc(func(c *analyzeConfig) { c.topTerms = n })
}

func (c *analyzeConfig) validate() error {
	if !(c.eps > 0 && c.eps < 1) { // also rejects NaN
		return fmt.Errorf("%w: eps %v not in (0, 1)", ErrInvalidAnalyzeOption, c.eps)
	}
	if c.minPts < 1 {
		return fmt.Errorf("%w: minPts %d < 1", ErrInvalidAnalyzeOption, c.minPts)
	}
	if c.topTerms < 0 {
		return fmt.Errorf("%w: top terms %d < 0", ErrInvalidAnalyzeOption, c.topTerms)
	}
	return nil
}

// Analyze groups related patterns into clusters, offline: it weights the
// words of each template with TF-IDF and runs DBSCAN on the cosine distance
// between the weighted vectors.
//
// First the patterns are sorted by ID, so that the result does not depend on
// the order of the input. Each template is then split into words: "<*>" is
// dropped, identifiers are split at punctuation and camelCase boundaries
// ("NameSystem.addStoredBlock" gives name, system, add, stored, block), words
// are lower-cased, and one-letter words and numbers are dropped. There is no
// stop-word list: the IDF below discounts words common in the input.
//
// The words are weighted with TF-IDF (github.com/james-bowman/nlp's
// CountVectoriser and TfidfTransformer, with scikit-learn's smoothed IDF) and
// each template's vector is scaled to unit length:
//
//	idf(t)  = ln((1+n) / (1+df(t))) + 1
//	w(t, d) = tf(t, d) · idf(t)
//	v(d)    = w(·, d) / ‖w(·, d)‖₂
//
// with n the number of patterns, df(t) the number of templates containing
// word t and tf(t, d) its number of occurrences in template d.
//
// DBSCAN (Ester, Kriegel, Sander, Xu, KDD 1996) then groups the vectors,
// with the radius [WithEps] and threshold [WithMinPts], under the cosine
// distance
//
//	d(a, b) = 1 − v(a)·v(b)
//
// which lies in [0, 1] because the weights are non-negative. The patterns are
// visited in ID order, so a border pattern within eps of the core points of
// two clusters joins the one found first in that order.
//
// Every pattern DBSCAN leaves as noise becomes a cluster of its own, with
// [Cluster.Noise] set, so that every input pattern appears in exactly one
// cluster and the caller still sees its statistics. A template with no word
// left after tokenization (such as "<*> <*>") has the zero vector, is at
// distance 1 from everything, and is always noise unless minPts is 1.
//
// The clusters are returned by decreasing Count, ties by increasing ID. The
// counts that DBSCAN compares with minPts are numbers of patterns, not of
// messages: a frequent pattern weighs the same as a rare one.
//
// Analyze is deterministic: the same set of patterns and options gives the
// same clusters, whatever the input order. It is safe for concurrent use and
// does not modify patterns. It takes O(n·L) time to vectorize n templates of
// L words and, in the worst case, O(Σₜ df(t)²) ≤ O(n²·L) for the
// neighbourhood queries; memory is O(n·L) beyond the output.
//
// Empty input returns nil clusters and no error. Analyze returns an error
// wrapping [ErrInvalidAnalyzeOption] for an out-of-range option and one
// wrapping [ErrDuplicatePattern] when two patterns have the same ID.
func Analyze(patterns []PatternSummary, opts ...AnalyzeOption) ([]Cluster, error) {
	cfg := analyzeConfig{eps: DefaultEps, minPts: DefaultMinPts, topTerms: DefaultTopTerms}
	for _, o := range opts {
		if o != nil {
			o.applyAnalyze(&cfg)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if len(patterns) == 0 {
		return nil, nil
	}

	sorted := make([]*PatternSummary, len(patterns))
	for i := range patterns {
		sorted[i] = &patterns[i]
	}
	slices.SortFunc(sorted, func(a, b *PatternSummary) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, fmt.Errorf("%w: %v", ErrDuplicatePattern, sorted[i].ID)
		}
	}

	docs := make([]string, len(sorted))
	for i, p := range sorted {
		docs[i] = p.Template
	}
	model, err := newTFIDF(docs)
	if err != nil {
		return nil, fmt.Errorf("cluster: tf-idf: %w", err)
	}
	labels := dbscan(model, cfg.eps, cfg.minPts)

	// Group the document indices by label. Labels are numbered in order of
	// discovery, which follows the sorted order, so groups[k] is ascending
	// and its first element has the smallest ID.
	nClusters := 0
	for _, l := range labels {
		nClusters = max(nClusters, l+1)
	}
	groups := make([][]int, nClusters)
	var noise []int
	for doc, l := range labels {
		if l == dbscanNoise {
			noise = append(noise, doc)
			continue
		}
		groups[l] = append(groups[l], doc)
	}

	out := make([]Cluster, 0, len(groups)+len(noise))
	scratch := make([]float64, len(model.terms))
	for _, g := range groups {
		out = append(out, buildCluster(sorted, model, g, false, cfg.topTerms, scratch))
	}
	for _, doc := range noise {
		out = append(out, buildCluster(sorted, model, []int{doc}, true, cfg.topTerms, scratch))
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// buildCluster combines the patterns sorted[doc] for doc in members
// (ascending) into a Cluster. scratch has one zero per term and is left
// zeroed.
func buildCluster(sorted []*PatternSummary, model *tfidf, members []int, noise bool, topTerms int, scratch []float64) Cluster {
	byCount := slices.Clone(members)
	slices.SortStableFunc(byCount, func(a, b int) int {
		return cmp.Compare(sorted[b].Count, sorted[a].Count) // ties keep ID order
	})
	c := Cluster{
		ID:       sorted[members[0]].ID,
		Members:  make([]signature.Sig, len(byCount)),
		Noise:    noise,
		Template: sorted[byCount[0]].Template,
	}
	for i, doc := range byCount {
		p := sorted[doc]
		c.Members[i] = p.ID
		c.Count = addSat(c.Count, p.Count)
		c.Severity = addCounts(c.Severity, p.Severity)
		c.ErrorTypes = addCounts(c.ErrorTypes, p.ErrorTypes)
		if !p.FirstSeen.IsZero() && (c.FirstSeen.IsZero() || p.FirstSeen.Before(c.FirstSeen)) {
			c.FirstSeen = p.FirstSeen
		}
		if !p.LastSeen.IsZero() && p.LastSeen.After(c.LastSeen) {
			c.LastSeen = p.LastSeen
		}
		if c.Example == "" {
			c.Example = p.Example
		}
	}
	c.TopTerms = topTermsOf(model, members, topTerms, scratch)
	c.Label = strings.Join(c.TopTerms, " ")
	return c
}

// topTermsOf returns the at most n terms with the largest summed weight over
// the vectors of members, heaviest first, ties (equal to 1e-9) in lexical
// order:
//
//	score(t) = Σ_{d ∈ members} v(d)ₜ
func topTermsOf(model *tfidf, members []int, n int, scratch []float64) []string {
	if n == 0 {
		return nil
	}
	var touched []int
	for _, doc := range members {
		v := model.docs[doc]
		for k, t := range v.idx {
			if scratch[t] == 0 {
				touched = append(touched, t)
			}
			scratch[t] += v.w[k]
		}
	}
	// Scores that differ only by rounding (the same words in templates of
	// the same shape, normalized in a different summation order) must tie,
	// so they are compared at a precision of 1e-9.
	key := func(t int) float64 { return math.Round(scratch[t] * 1e9) }
	slices.SortFunc(touched, func(a, b int) int {
		if c := cmp.Compare(key(b), key(a)); c != 0 {
			return c
		}
		return strings.Compare(model.terms[a], model.terms[b])
	})
	var terms []string
	for i, t := range touched {
		if i < n {
			terms = append(terms, model.terms[t])
		}
		scratch[t] = 0
	}
	return terms
}

// addSat returns a+b, or math.MaxUint64 if the sum overflows.
func addSat(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxUint64
}

// addCounts adds the counts of src into dst, allocating dst when needed, and
// returns dst. It returns nil when both are empty.
func addCounts(dst, src map[string]uint64) map[string]uint64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]uint64, len(src))
	}
	for k, v := range src {
		dst[k] = addSat(dst[k], v)
	}
	return dst
}

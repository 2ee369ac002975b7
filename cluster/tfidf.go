package cluster

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/james-bowman/nlp"
	"github.com/james-bowman/sparse"
	"gonum.org/v1/gonum/floats"
)

// templateTokeniser splits a template into the lower-case words that
// [Analyze] weights with TF-IDF. It implements [nlp.Tokeniser] so that it can
// be plugged into nlp's CountVectoriser.
//
// The rules, applied in order:
//
//   - The wildcard "<*>" is removed: it says nothing about what the event is.
//   - Words are maximal runs of letters and digits; every other byte (spaces,
//     punctuation, '_', '$', '.', ...) separates words, so "dfs.DataNode$Packet"
//     gives dfs, data, node, packet.
//   - A run is split at case and digit boundaries: "addStoredBlock" gives add,
//     stored, block; "HTTPServer" gives http, server; "Brcm43xx" gives brcm, xx.
//   - Words are lower-cased; words shorter than two letters and words made
//     only of digits are dropped.
//
// There is no stop-word list: TF-IDF already discounts words that are common
// in the input, and on the Loghub-2k templates of [DefaultEps] an English stop
// list ("the", "to", "for", ...) did not make the clusters purer (component
// purity 0.84 with it, 0.86 without, at the default options). Splitting
// identifiers does matter: without it, 39% instead of 44% of the templates of
// each system were grouped, at the same purity.
//
// The zero value is ready to use and safe for concurrent use: it holds no
// state.
type templateTokeniser struct{}

var _ nlp.Tokeniser = templateTokeniser{}

// Tokenise returns the words of template in order of appearance, repeats
// included.
func (t templateTokeniser) Tokenise(template string) []string {
	var words []string
	t.ForEachIn(template, func(w string) { words = append(words, w) })
	return words
}

// ForEachIn calls f with each word of template in order of appearance,
// repeats included.
func (templateTokeniser) ForEachIn(template string, f func(word string)) {
	template = strings.ReplaceAll(template, "<*>", " ")
	for i := 0; i < len(template); {
		r, size := utf8.DecodeRuneInString(template[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(template) {
			r, size := utf8.DecodeRuneInString(template[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		splitIdentifier(template[i:j], f)
		i = j
	}
}

// isWordRune reports whether r belongs to a word: a letter or a digit.
// utf8.RuneError (invalid UTF-8) is not a letter, so invalid bytes separate
// words.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// runeClass is the class of a word rune for camelCase splitting.
type runeClass uint8

const (
	classLower runeClass = iota // lower-case or uncased letter
	classUpper
	classDigit
)

func classOf(r rune) runeClass {
	switch {
	case unicode.IsDigit(r):
		return classDigit
	case unicode.IsUpper(r):
		return classUpper
	default:
		return classLower
	}
}

// splitIdentifier splits a run of letters and digits at case and digit
// boundaries and calls emit with each kept part, lower-cased.
func splitIdentifier(run string, f func(string)) {
	start := 0
	prevStart := 0 // byte offset of the previous rune
	prev := rune(-1)
	for i, r := range run {
		if prev >= 0 {
			pc, c := classOf(prev), classOf(r)
			boundary := false
			switch {
			case pc == classDigit || c == classDigit:
				boundary = pc != c // "abc12" and "12abc"
			case pc == classLower && c == classUpper:
				boundary = true // "addStored"
			case pc == classUpper && c == classLower && prevStart > start:
				// "HTTPServer": the boundary is before the 'S', the last
				// upper-case letter of the run of capitals.
				emitWord(run[start:prevStart], f)
				start = prevStart
			}
			if boundary {
				emitWord(run[start:i], f)
				start = i
			}
		}
		prev, prevStart = r, i
	}
	emitWord(run[start:], f)
}

// emitWord lower-cases w and passes it to f unless it is dropped by the
// rules of [templateTokeniser].
func emitWord(w string, f func(string)) {
	if utf8.RuneCountInString(w) < 2 {
		return
	}
	digits := true
	for _, r := range w {
		if !unicode.IsDigit(r) {
			digits = false
			break
		}
	}
	if digits {
		return
	}
	w = strings.ToLower(w)
	f(w)
}

// tfidf is the TF-IDF model of a list of templates ("documents"): one
// L2-normalized sparse vector per document plus the vocabulary.
//
// It is not safe for concurrent use; [Analyze] builds one per call.
type tfidf struct {
	// terms maps a term index to its word.
	terms []string
	// docs holds the vector of each document, in input order.
	docs []sparseVec
	// postings maps a term index to the documents that contain it, in
	// ascending document order, with the document's weight for the term.
	postings [][]posting
}

// sparseVec is a sparse vector: weights w[k] at term indices idx[k], with idx
// ascending.
type sparseVec struct {
	idx []int
	w   []float64
}

type posting struct {
	doc int
	w   float64
}

// newTFIDF vectorizes docs with nlp's CountVectoriser (using
// [templateTokeniser]) and TfidfTransformer, smooths the IDF, and normalizes
// each document vector to unit Euclidean length:
//
//	idf(t)   = ln((1+n) / (1+df(t))) + 1
//	w(t, d)  = tf(t, d) · idf(t)
//	v(d)     = w(·, d) / ‖w(·, d)‖₂
//
// where n is the number of documents, df(t) the number of documents that
// contain term t and tf(t, d) the number of times t occurs in d. nlp's
// transformer computes the logarithm; the "+1" (scikit-learn's smooth_idf
// default) is added by summing the raw counts, so that a term present in every
// document keeps a positive weight instead of vanishing: with nlp's bare
// ln((1+n)/(1+df)), two templates made of the same words would have zero
// vectors and could never be grouped.
//
// A document without any word (for example "<*> <*>") has the zero vector and
// is at distance 1 from every document, itself included. Empty docs gives a
// model with no documents.
func newTFIDF(docs []string) (*tfidf, error) {
	m := &tfidf{docs: make([]sparseVec, len(docs))}
	if len(docs) == 0 {
		return m, nil
	}
	cv := nlp.NewCountVectoriser()
	cv.Tokeniser = templateTokeniser{}
	counts, err := cv.FitTransform(docs...)
	if err != nil {
		return nil, err
	}
	m.terms = make([]string, len(cv.Vocabulary))
	for w, i := range cv.Vocabulary {
		m.terms[i] = w
	}
	if len(m.terms) == 0 {
		return m, nil // every document is empty: all zero vectors
	}
	// Work on CSR from here on: iterating a DOK visits its map in random order.
	countsCSR := counts.(sparse.TypeConverter).ToCSR()
	weighted, err := nlp.NewTfidfTransformer().FitTransform(countsCSR)
	if err != nil {
		return nil, err
	}
	var w sparse.CSR
	w.Add(weighted, countsCSR) // tf·ln(...) + tf = tf·idf with the +1

	// Rows are terms and columns documents; visiting rows in order appends
	// each document's terms in ascending order.
	w.DoNonZero(func(term, doc int, v float64) {
		d := &m.docs[doc]
		d.idx = append(d.idx, term)
		d.w = append(d.w, v)
	})
	m.postings = make([][]posting, len(m.terms))
	for doc := range m.docs {
		d := &m.docs[doc]
		sortVec(d)
		if norm := floats.Norm(d.w, 2); norm > 0 && !math.IsInf(norm, 0) {
			floats.Scale(1/norm, d.w)
		}
		for k, term := range d.idx {
			m.postings[term] = append(m.postings[term], posting{doc: doc, w: d.w[k]})
		}
	}
	return m, nil
}

// sortVec sorts v by term index. CSR rows are visited in order, so v is
// normally sorted already; this is insertion sort, linear in that case.
func sortVec(v *sparseVec) {
	for i := 1; i < len(v.idx); i++ {
		for j := i; j > 0 && v.idx[j-1] > v.idx[j]; j-- {
			v.idx[j-1], v.idx[j] = v.idx[j], v.idx[j-1]
			v.w[j-1], v.w[j] = v.w[j], v.w[j-1]
		}
	}
}

// cosineDistance returns 1 − cos(a, b) for two unit (or zero) sparse vectors:
//
//	d(a, b) = 1 − Σₜ a(t)·b(t)
//
// It is 1 when either vector is zero. With non-negative weights the result
// lies in [0, 1] up to rounding.
func cosineDistance(a, b sparseVec) float64 {
	dot := 0.0
	for i, j := 0, 0; i < len(a.idx) && j < len(b.idx); {
		switch {
		case a.idx[i] < b.idx[j]:
			i++
		case a.idx[i] > b.idx[j]:
			j++
		default:
			dot += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return 1 - dot
}

package cluster

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tfidfTol = 1e-12

func TestTemplateTokeniser(t *testing.T) {
	tests := []struct {
		name     string
		template string
		want     []string
	}{
		{"empty", "", nil},
		{"only wildcards", "<*> <*><*>", nil},
		{"plain words", "Session opened for user <*>", []string{"session", "opened", "for", "user"}},
		{"punctuation separates", "BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*>",
			[]string{"block", "name", "system", "add", "stored", "block", "block", "map", "updated", "is", "added", "to"}},
		{"java class with dollar", "dfs.DataNode$PacketResponder", []string{"dfs", "data", "node", "packet", "responder"}},
		{"run of capitals", "HTTPServer XMLHttpRequest", []string{"http", "server", "xml", "http", "request"}},
		{"all capitals", "ERROR FAIL_TASK_CLEANUP", []string{"error", "fail", "task", "cleanup"}},
		{"digits split and dropped", "Brcm43xx ipv6Address 12 0x1f", []string{"brcm", "xx", "ipv", "address"}},
		{"one-letter words dropped", "a b c de", []string{"de"}},
		{"wildcard glued to a word", "<*>abc<*>def", []string{"abc", "def"}},
		{"wildcard-like text is not a wildcard", "<*x>", nil},
		{"unicode letters", "ÉtatCritique für Straße", []string{"état", "critique", "für", "straße"}},
		{"invalid UTF-8 separates", "ab\xffcd\xfe", []string{"ab", "cd"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := templateTokeniser{}.Tokenise(test.template)
			assert.Equal(t, test.want, got, "template %q", test.template)
		})
	}
}

// wantIDF is the smoothed IDF of a term present in df of n documents, written
// out independently of the code under test.
func wantIDF(n, df float64) float64 { return math.Log((1+n)/(1+df)) + 1 }

func TestNewTFIDF(t *testing.T) {
	docs := []string{
		"alpha beta",       // alpha: df 2, beta: df 1
		"alpha gamma <*>",  // gamma: df 1
		"delta delta",      // delta: tf 2, df 1
		"<*> <*>",          // no word: zero vector
		"Gamma-gamma beta", // gamma: tf 2 here; beta: df 2
	}
	m, err := newTFIDF(docs)
	require.NoError(t, err)
	require.Len(t, m.docs, len(docs))

	// want maps each document's words to their unnormalized weights.
	n := float64(len(docs))
	want := []map[string]float64{
		{"alpha": wantIDF(n, 2), "beta": wantIDF(n, 2)},
		{"alpha": wantIDF(n, 2), "gamma": wantIDF(n, 2)},
		{"delta": 2 * wantIDF(n, 1)},
		{},
		{"gamma": 2 * wantIDF(n, 2), "beta": wantIDF(n, 2)},
	}
	for d, w := range want {
		var norm float64
		for _, v := range w {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		got := map[string]float64{}
		for k, term := range m.docs[d].idx {
			got[m.terms[term]] = m.docs[d].w[k]
		}
		require.Len(t, got, len(w), "doc %d %q: %v", d, docs[d], got)
		for term, v := range w {
			assert.InDelta(t, v/norm, got[term], tfidfTol, "doc %d term %q", d, term)
		}
		for k := 1; k < len(m.docs[d].idx); k++ {
			assert.Less(t, m.docs[d].idx[k-1], m.docs[d].idx[k], "doc %d: term indices must ascend", d)
		}
	}

	// Cosine distance, by hand: docs 0 and 1 share alpha only.
	a, b := wantIDF(n, 2), wantIDF(n, 2)
	wantD01 := 1 - a*a/(a*a+b*b)
	assert.InDelta(t, wantD01, cosineDistance(m.docs[0], m.docs[1]), tfidfTol)
	assert.InDelta(t, 0, cosineDistance(m.docs[2], m.docs[2]), tfidfTol, "a vector is at distance 0 from itself")
	assert.InDelta(t, 1, cosineDistance(m.docs[0], m.docs[2]), tfidfTol, "no common word")
	assert.InDelta(t, 1, cosineDistance(m.docs[3], m.docs[3]), tfidfTol, "the zero vector is at distance 1 even from itself")

	// Postings list every (doc, weight) pair once, in document order.
	pairs := 0
	for term, ps := range m.postings {
		for k, p := range ps {
			if k > 0 {
				assert.Less(t, ps[k-1].doc, p.doc, "term %q", m.terms[term])
			}
			pairs++
		}
	}
	nnz := 0
	for _, d := range m.docs {
		nnz += len(d.idx)
	}
	assert.Equal(t, nnz, pairs)
}

func TestNewTFIDF_empty(t *testing.T) {
	for _, docs := range [][]string{nil, {"<*>", "1 2 3"}} {
		m, err := newTFIDF(docs)
		require.NoError(t, err)
		assert.Len(t, m.docs, len(docs))
		assert.Empty(t, m.terms)
		for _, d := range m.docs {
			assert.Empty(t, d.idx)
		}
	}
}

// TestNewTFIDF_allTermsShared checks the reason for the smoothed IDF: with
// nlp's bare ln((1+n)/(1+df)) these two templates would both be zero vectors.
func TestNewTFIDF_allTermsShared(t *testing.T) {
	m, err := newTFIDF([]string{"Connected to <*>", "<*> connected to <*>"})
	require.NoError(t, err)
	assert.InDelta(t, 0, cosineDistance(m.docs[0], m.docs[1]), tfidfTol)
}

func FuzzTemplateTokeniser(f *testing.F) {
	for _, s := range []string{
		"", "<*>", "Session opened for user <*>", "dfs.DataNode$PacketResponder",
		"HTTPServer XMLHttpRequest", "Brcm43xx ipv6Address", "ÉtatCritique", "ab\xffcd\xfe",
		"<*>abc<*>def", "ǅungla ǈ ᾈᾈ", "\x00\x00aa",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, template string) {
		words := templateTokeniser{}.Tokenise(template)
		var again []string
		templateTokeniser{}.ForEachIn(template, func(w string) { again = append(again, w) })
		if strings.Join(words, "\x00") != strings.Join(again, "\x00") {
			t.Fatalf("Tokenise and ForEachIn disagree: %q vs %q", words, again)
		}
		for _, w := range words {
			if !utf8.ValidString(w) {
				t.Errorf("word %q is not valid UTF-8", w)
			}
			if utf8.RuneCountInString(w) < 2 {
				t.Errorf("word %q is shorter than 2 runes", w)
			}
			if strings.Contains(w, "<*>") || strings.ContainsAny(w, " \t.<>*") {
				t.Errorf("word %q contains a separator", w)
			}
			if w != strings.ToLower(w) {
				t.Errorf("word %q is not lower-case", w)
			}
		}
	})
}

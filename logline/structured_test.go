package logline_test

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

// corpusCase is one hand-labelled structured line.
type corpusCase struct {
	shape, time, level, message, line string
}

func readCorpus(t *testing.T, name string) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.SplitN(sc.Text(), "\t", 5)
		require.Len(t, p, 5, "corpus line %q", sc.Text())
		cases = append(cases, corpusCase{p[0], p[1], p[2], p[3], p[4]})
	}
	require.NoError(t, sc.Err())
	return cases
}

// permutations returns line with its top-level keys (JSON) or pairs
// (logfmt) in n seeded random orders, line itself first.
func permutations(t *testing.T, line string, n int, seed uint64) []string {
	t.Helper()
	var parts []string
	var join func([]string) string
	if strings.HasPrefix(line, "{") {
		dec := json.NewDecoder(strings.NewReader(line))
		var m map[string]json.RawMessage
		require.NoError(t, dec.Decode(&m), line)
		for k, v := range m {
			kb, _ := json.Marshal(k)
			parts = append(parts, string(kb)+":"+string(v))
		}
		slices.Sort(parts)
		join = func(p []string) string { return "{" + strings.Join(p, ",") + "}" }
	} else {
		parts = splitLogfmt(line)
		join = func(p []string) string { return strings.Join(p, " ") }
	}
	out := []string{line}
	r := rand.New(rand.NewPCG(seed, 1))
	for range n {
		p := slices.Clone(parts)
		r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
		out = append(out, join(p))
	}
	return out
}

// splitLogfmt splits a logfmt line into its pairs (test helper, quotes
// respected).
func splitLogfmt(s string) []string {
	var parts []string
	start, inQ := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && inQ:
			i++
		case s[i] == '"':
			inQ = !inQ
		case s[i] == ' ' && !inQ:
			if i > start {
				parts = append(parts, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	return parts
}

func TestParser_Corpus(t *testing.T) {
	for _, name := range []string{"structured_tune.tsv", "structured_holdout.tsv"} {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat("testdata/" + name); err != nil {
				t.Skipf("no %s", name)
			}
			cases := readCorpus(t, name)
			p := logline.NewParser(logline.Keys{})
			var sc logline.Scratch
			shapes := map[string]bool{}
			total, okTime, okLevel, okMsg := 0, 0, 0, 0
			for i, c := range cases {
				shapes[c.shape] = true
				var sig0 signature.Sig
				for j, line := range permutations(t, c.line, 5, uint64(i)) {
					total++
					r, kind := p.Parse(line, &sc)
					require.Contains(t, []logline.Kind{logline.JSON, logline.Logfmt}, kind, "%s: %s", c.shape, line)
					gotT := "-"
					if !r.Time.IsZero() {
						gotT = r.Time.Format(time.RFC3339Nano)
					}
					if assert.Equal(t, c.time, gotT, "time of %s: %s", c.shape, line) {
						okTime++
					}
					if assert.Equal(t, c.level, r.Level, "level of %s: %s", c.shape, line) {
						okLevel++
					}
					if assert.Equal(t, c.message, r.Message, "message of %s: %s", c.shape, line) {
						okMsg++
					}
					if j == 0 {
						sig0 = r.Sig
					} else {
						assert.Equal(t, sig0, r.Sig, "pattern of %s depends on key order: %s", c.shape, line)
					}
					sc.Reset()
				}
			}
			t.Logf("%s: %d shapes, %d lines (with key permutations): time %d, level %d, message %d correct",
				name, len(shapes), total, okTime, okLevel, okMsg)
			for _, ok := range []int{okTime, okLevel, okMsg} {
				assert.GreaterOrEqual(t, float64(ok)/float64(total), 0.99)
			}
		})
	}
}

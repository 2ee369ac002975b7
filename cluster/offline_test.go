package cluster_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/signature"
)

// offlineSummaries returns one PatternSummary per template, with ID
// signature.OfTemplate(template) and count 1.
func offlineSummaries(templates ...string) []cluster.PatternSummary {
	ps := make([]cluster.PatternSummary, len(templates))
	for i, tmpl := range templates {
		ps[i] = cluster.PatternSummary{ID: signature.OfTemplate(tmpl), Template: tmpl, Count: 1}
	}
	return ps
}

// offlineGroups returns the clusters as sorted sets of member templates, sorted,
// with a "!" prefix on noise clusters, so that expectations can be written
// by hand independently of IDs and output order.
func offlineGroups(t *testing.T, ps []cluster.PatternSummary, cs []cluster.Cluster) [][]string {
	t.Helper()
	byID := map[signature.Sig]string{}
	for _, p := range ps {
		byID[p.ID] = p.Template
	}
	var out [][]string
	seen := map[signature.Sig]bool{}
	for _, c := range cs {
		var g []string
		for _, m := range c.Members {
			require.Contains(t, byID, m, "cluster %v has a member that is not an input pattern", c.ID)
			require.False(t, seen[m], "pattern %v is in two clusters", m)
			seen[m] = true
			tmpl := byID[m]
			if c.Noise {
				tmpl = "!" + tmpl
			}
			g = append(g, tmpl)
		}
		sort.Strings(g)
		out = append(out, g)
	}
	require.Len(t, seen, len(ps), "every input pattern must be in exactly one cluster")
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func TestAnalyze(t *testing.T) {
	// Two families (sessions, disk usage) and one unrelated template.
	// Smoothed IDF over these 6 templates: "session", "for", "user" are in 3
	// of them (idf ln(7/4)+1 ≈ 1.56), "opened", "closed", "expired" in one
	// (≈ 2.25), so two session templates are at cosine distance
	// 1 − 3·1.56²/(3·1.56²+2.25²) ≈ 0.41; the disk pair shares 5 words of
	// idf ≈ 1.85 and is at ≈ 0.30; everything else shares no word (1).
	sessionsDiskCache := []string{
		"Session opened for user <*>",
		"Session closed for user <*>",
		"Session expired for user <*>",
		"Disk <*> usage above <*> percent on volume <*>",
		"Disk <*> usage back below <*> percent on volume <*>",
		"Cache warmed in <*> ms",
	}
	tests := []struct {
		name      string
		templates []string
		opts      []cluster.AnalyzeOption
		want      [][]string
	}{
		{
			name:      "two families and an outlier",
			templates: sessionsDiskCache,
			want: [][]string{
				{"!Cache warmed in <*> ms"},
				{"Disk <*> usage above <*> percent on volume <*>", "Disk <*> usage back below <*> percent on volume <*>"},
				{"Session closed for user <*>", "Session expired for user <*>", "Session opened for user <*>"},
			},
		},
		{
			name:      "eps between the two family radii splits only the sessions",
			templates: sessionsDiskCache,
			opts:      []cluster.AnalyzeOption{cluster.WithEps(0.35)},
			want: [][]string{
				{"!Cache warmed in <*> ms"},
				{"!Session closed for user <*>"},
				{"!Session expired for user <*>"},
				{"!Session opened for user <*>"},
				{"Disk <*> usage above <*> percent on volume <*>", "Disk <*> usage back below <*> percent on volume <*>"},
			},
		},
		{
			name:      "minPts 3 leaves the pair as noise",
			templates: sessionsDiskCache,
			opts:      []cluster.AnalyzeOption{cluster.WithMinPts(3)},
			want: [][]string{
				{"!Cache warmed in <*> ms"},
				{"!Disk <*> usage above <*> percent on volume <*>"},
				{"!Disk <*> usage back below <*> percent on volume <*>"},
				{"Session closed for user <*>", "Session expired for user <*>", "Session opened for user <*>"},
			},
		},
		{
			name:      "minPts 1 makes every group a cluster",
			templates: sessionsDiskCache,
			opts:      []cluster.AnalyzeOption{cluster.WithMinPts(1)},
			want: [][]string{
				{"Cache warmed in <*> ms"},
				{"Disk <*> usage above <*> percent on volume <*>", "Disk <*> usage back below <*> percent on volume <*>"},
				{"Session closed for user <*>", "Session expired for user <*>", "Session opened for user <*>"},
			},
		},
		{
			name:      "same words, different variables",
			templates: []string{"Connected to <*>", "<*> connected to <*>"},
			want:      [][]string{{"<*> connected to <*>", "Connected to <*>"}},
		},
		{
			name:      "identifiers split at case and punctuation",
			templates: []string{"NameSystem.addStoredBlock: blockMap updated: <*>", "name_system add-stored-block block map updated <*>", "Verification succeeded for <*>"},
			want: [][]string{
				{"!Verification succeeded for <*>"},
				{"NameSystem.addStoredBlock: blockMap updated: <*>", "name_system add-stored-block block map updated <*>"},
			},
		},
		{
			name:      "unrelated templates are all noise",
			templates: []string{"alpha beta", "gamma delta", "epsilon zeta"},
			want:      [][]string{{"!alpha beta"}, {"!epsilon zeta"}, {"!gamma delta"}},
		},
		{
			name:      "templates without words are noise",
			templates: []string{"<*>", "<*> <*>", "1 2 3"},
			want:      [][]string{{"!1 2 3"}, {"!<*>"}, {"!<*> <*>"}},
		},
		{
			name:      "single pattern",
			templates: []string{"Session opened for user <*>"},
			want:      [][]string{{"!Session opened for user <*>"}},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			ps := offlineSummaries(test.templates...)
			cs, err := cluster.Analyze(ps, test.opts...)
			require.NoError(t, err)
			assert.Equal(t, test.want, offlineGroups(t, ps, cs))
		})
	}
}

func TestAnalyze_metadata(t *testing.T) {
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	ps := []cluster.PatternSummary{
		{
			ID: 0x30, Template: "Session opened for user <*>", Count: 100,
			Severity: map[string]uint64{"INFO": 100}, FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(5 * time.Hour),
			Example: "Session opened for user alice",
		},
		{
			ID: 0x10, Template: "Session closed for user <*>", Count: 7,
			Severity: map[string]uint64{"INFO": 6, "WARN": 1}, FirstSeen: t0, LastSeen: t0.Add(2 * time.Hour),
			Example: "Session closed for user bob", ErrorTypes: map[string]uint64{"EOFError": 1},
		},
		{
			ID: 0x20, Template: "Session expired for user <*>", Count: 100,
			Severity: map[string]uint64{"WARN": 100}, LastSeen: t0.Add(9 * time.Hour),
			ErrorTypes: map[string]uint64{"TimeoutError": 3, "EOFError": 2},
		},
		{ID: 0x05, Template: "Cache warmed in <*> ms", Count: 1},
	}
	cs, err := cluster.Analyze(ps, cluster.WithTopTerms(3))
	require.NoError(t, err)
	require.Len(t, cs, 2)

	s := cs[0]
	assert.Equal(t, signature.Sig(0x10), s.ID, "ID is the smallest member ID")
	assert.Equal(t, []signature.Sig{0x20, 0x30, 0x10}, s.Members, "by decreasing count, ties by ID")
	assert.False(t, s.Noise)
	assert.Equal(t, "Session expired for user <*>", s.Template, "template of Members[0]")
	assert.Equal(t, []string{"for", "session", "user"}, s.TopTerms, "shared words weigh most; ties in lexical order")
	assert.Equal(t, "for session user", s.Label)
	assert.Equal(t, uint64(207), s.Count)
	assert.Equal(t, map[string]uint64{"INFO": 106, "WARN": 101}, s.Severity)
	assert.Equal(t, map[string]uint64{"TimeoutError": 3, "EOFError": 3}, s.ErrorTypes)
	assert.Equal(t, t0, s.FirstSeen, "zero FirstSeen of a member is ignored")
	assert.Equal(t, t0.Add(9*time.Hour), s.LastSeen)
	assert.Equal(t, "Session opened for user alice", s.Example, "the most frequent member has no example: the next one's")

	c := cs[1]
	assert.Equal(t, signature.Sig(0x05), c.ID)
	assert.Equal(t, []signature.Sig{0x05}, c.Members)
	assert.True(t, c.Noise)
	assert.Equal(t, uint64(1), c.Count)
	assert.Nil(t, c.Severity)
	assert.Nil(t, c.ErrorTypes)
	assert.True(t, c.FirstSeen.IsZero())
	assert.True(t, c.LastSeen.IsZero())
	assert.Empty(t, c.Example)
	assert.Equal(t, []string{"cache", "in", "ms"}, c.TopTerms)
}

func TestAnalyze_order(t *testing.T) {
	ps := offlineSummaries("alpha beta", "gamma delta", "epsilon zeta", "eta theta")
	ps[0].Count, ps[1].Count, ps[2].Count, ps[3].Count = 5, 9, 5, 1
	cs, err := cluster.Analyze(ps)
	require.NoError(t, err)
	require.Len(t, cs, 4)
	lo, hi := min(ps[0].ID, ps[2].ID), max(ps[0].ID, ps[2].ID)
	want := []signature.Sig{ps[1].ID, lo, hi, ps[3].ID}
	got := []signature.Sig{cs[0].ID, cs[1].ID, cs[2].ID, cs[3].ID}
	assert.Equal(t, want, got, "clusters by decreasing count, ties by ID")
}

func TestAnalyze_countsSaturate(t *testing.T) {
	ps := offlineSummaries("Connected to <*>", "<*> connected to <*>")
	ps[0].Count, ps[1].Count = math.MaxUint64-1, 5
	ps[0].Severity = map[string]uint64{"INFO": math.MaxUint64}
	ps[1].Severity = map[string]uint64{"INFO": 1}
	cs, err := cluster.Analyze(ps)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, uint64(math.MaxUint64), cs[0].Count)
	assert.Equal(t, uint64(math.MaxUint64), cs[0].Severity["INFO"])
}

func TestAnalyze_empty(t *testing.T) {
	for _, ps := range [][]cluster.PatternSummary{nil, {}} {
		cs, err := cluster.Analyze(ps)
		assert.NoError(t, err)
		assert.Nil(t, cs)
	}
	_, err := cluster.Analyze(nil, cluster.WithEps(2))
	assert.ErrorIs(t, err, cluster.ErrInvalidAnalyzeOption, "options are validated even for empty input")
}

func TestAnalyze_options(t *testing.T) {
	tests := []struct {
		name    string
		opts    []cluster.AnalyzeOption
		wantErr bool
	}{
		{"defaults", nil, false},
		{"nil option is ignored", []cluster.AnalyzeOption{nil}, false},
		{"eps just above 0", []cluster.AnalyzeOption{cluster.WithEps(1e-9)}, false},
		{"eps just below 1", []cluster.AnalyzeOption{cluster.WithEps(0.999)}, false},
		{"eps 0", []cluster.AnalyzeOption{cluster.WithEps(0)}, true},
		{"eps negative", []cluster.AnalyzeOption{cluster.WithEps(-0.1)}, true},
		{"eps 1", []cluster.AnalyzeOption{cluster.WithEps(1)}, true},
		{"eps above 1", []cluster.AnalyzeOption{cluster.WithEps(1.5)}, true},
		{"eps NaN", []cluster.AnalyzeOption{cluster.WithEps(math.NaN())}, true},
		{"eps +Inf", []cluster.AnalyzeOption{cluster.WithEps(math.Inf(1))}, true},
		{"minPts 1", []cluster.AnalyzeOption{cluster.WithMinPts(1)}, false},
		{"minPts 0", []cluster.AnalyzeOption{cluster.WithMinPts(0)}, true},
		{"minPts negative", []cluster.AnalyzeOption{cluster.WithMinPts(-3)}, true},
		{"top terms 0", []cluster.AnalyzeOption{cluster.WithTopTerms(0)}, false},
		{"top terms negative", []cluster.AnalyzeOption{cluster.WithTopTerms(-1)}, true},
		{"last option wins", []cluster.AnalyzeOption{cluster.WithEps(7), cluster.WithEps(0.3)}, false},
	}
	ps := offlineSummaries("Session opened for user <*>", "Session closed for user <*>")
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			cs, err := cluster.Analyze(ps, test.opts...)
			if test.wantErr {
				assert.ErrorIs(t, err, cluster.ErrInvalidAnalyzeOption)
				assert.Nil(t, cs)
				return
			}
			require.NoError(t, err)
			assert.NotEmpty(t, cs)
		})
	}
}

func TestAnalyze_topTerms(t *testing.T) {
	ps := offlineSummaries("Disk <*> usage above <*> percent on volume <*>")
	tests := []struct {
		n    int
		want []string
	}{
		{0, nil},
		{2, []string{"above", "disk"}},
		{100, []string{"above", "disk", "on", "percent", "usage", "volume"}},
	}
	for _, test := range tests {
		cs, err := cluster.Analyze(ps, cluster.WithTopTerms(test.n))
		require.NoError(t, err)
		require.Len(t, cs, 1)
		assert.Equal(t, test.want, cs[0].TopTerms, "n=%d", test.n)
		if test.n == 0 {
			assert.Empty(t, cs[0].Label)
		}
	}
}

func TestAnalyze_duplicateID(t *testing.T) {
	ps := offlineSummaries("alpha beta", "gamma delta")
	ps[1].ID = ps[0].ID
	cs, err := cluster.Analyze(ps)
	assert.ErrorIs(t, err, cluster.ErrDuplicatePattern)
	assert.Nil(t, cs)
	assert.True(t, errors.Is(err, cluster.ErrDuplicatePattern))
	assert.Contains(t, err.Error(), ps[0].ID.String(), "the error names the ID")
}

func TestAnalyze_doesNotModifyInput(t *testing.T) {
	all := loadLoghubTemplates(t)[:200]
	ps := make([]cluster.PatternSummary, len(all))
	for i, l := range all {
		ps[i] = l.summary
	}
	before := slices.Clone(ps)
	sevBefore := make([]map[string]uint64, len(ps))
	for i, p := range ps {
		if p.Severity != nil {
			sevBefore[i] = map[string]uint64{}
			for k, v := range p.Severity {
				sevBefore[i][k] = v
			}
		}
	}
	_, err := cluster.Analyze(ps)
	require.NoError(t, err)
	assert.Equal(t, before, ps, "slice order and fields unchanged")
	for i, p := range ps {
		assert.Equal(t, sevBefore[i], p.Severity, "severity map of pattern %d unchanged", i)
	}
}

// TestAnalyze_shuffle checks that the result does not depend on the input
// order, on the 955 ground-truth templates of the Loghub-2k fixture.
func TestAnalyze_shuffle(t *testing.T) {
	all := loadLoghubTemplates(t)
	ps := make([]cluster.PatternSummary, len(all))
	for i, l := range all {
		ps[i] = l.summary
	}
	want, err := cluster.Analyze(ps)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(2025, 6))
	for i := range 5 {
		shuffled := slices.Clone(ps)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		got, err := cluster.Analyze(shuffled)
		require.NoError(t, err)
		require.Equal(t, want, got, "shuffle %d", i)
	}
	slices.Reverse(ps)
	got, err := cluster.Analyze(ps)
	require.NoError(t, err)
	require.Equal(t, want, got, "reversed")
}

// TestAnalyze_concurrent runs Analyze from several goroutines (Analyze
// keeps no shared state; this is for -race).
func TestAnalyze_concurrent(t *testing.T) {
	ps := offlineSummaries("Session opened for user <*>", "Session closed for user <*>", "Cache warmed in <*> ms")
	want, err := cluster.Analyze(ps)
	require.NoError(t, err)
	done := make(chan []cluster.Cluster)
	for range 4 {
		go func() {
			got, _ := cluster.Analyze(ps)
			done <- got
		}()
	}
	for range 4 {
		assert.Equal(t, want, <-done)
	}
}

func TestCluster_JSON(t *testing.T) {
	c := cluster.Cluster{
		ID: 0xab, Members: []signature.Sig{0xab}, Noise: true, Template: "t <*>", TopTerms: []string{"t"},
		Label: "t", Count: 3, Severity: map[string]uint64{"INFO": 3},
		FirstSeen: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Example: "t 1",
		ErrorTypes: map[string]uint64{"EOFError": 1},
	}
	got, err := json.Marshal(c)
	require.NoError(t, err)
	want := `{"id":"00000000000000ab","members":["00000000000000ab"],"noise":true,"template":"t <*>",` +
		`"top_terms":["t"],"label":"t","count":3,"severity":{"INFO":3},"first_seen":"2025-06-01T00:00:00Z",` +
		`"example":"t 1","error_types":{"EOFError":1}}`
	assert.JSONEq(t, want, string(got), "snake_case keys; zero last_seen omitted")

	var p cluster.PatternSummary
	require.NoError(t, json.Unmarshal([]byte(`{"id":"00000000000000ff","template":"x <*>","count":2,"severity":{"WARN":2},"last_seen":"2025-06-01T00:00:00Z"}`), &p))
	assert.Equal(t, cluster.PatternSummary{
		ID: 0xff, Template: "x <*>", Count: 2, Severity: map[string]uint64{"WARN": 2},
		LastSeen: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
	}, p)
}

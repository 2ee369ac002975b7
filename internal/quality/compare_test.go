package quality_test

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
	"github.com/srex-dev/lipservice-go/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallStream returns the generator options of a fast test stream.
func smallStream() []loggen.Option {
	return []loggen.Option{loggen.WithDuration(10 * time.Minute), loggen.WithLinesPerSecond(40)}
}

// fakeMethod keeps the lines for which keep returns true, at rate, and gives
// each line the pattern Sig(template).
type fakeMethod struct {
	name   string
	keep   func(l *loggen.Line) bool
	rate   float64
	events []quality.Event
}

func (f *fakeMethod) Name() string { return f.name }

func (f *fakeMethod) Decide(l *loggen.Line) quality.Outcome {
	return quality.Outcome{Keep: f.keep(l), Rate: f.rate, Pattern: signature.Sig(l.Template), HasPattern: true}
}

type fakeDetector struct{ fakeMethod }

func (f *fakeDetector) Events() []quality.Event { return f.events }

// census is the ground truth counted by the test itself.
type census struct {
	lines, errors, warns int
	perTemplate          map[int]int
	incident             map[int][]time.Time // incident -> line times
}

func count(seed uint64) census {
	c := census{perTemplate: map[int]int{}, incident: map[int][]time.Time{}}
	g := loggen.New(seed, smallStream()...)
	for {
		l, ok := g.Next()
		if !ok {
			return c
		}
		c.lines++
		c.perTemplate[l.Template]++
		switch l.Level {
		case slog.LevelError:
			c.errors++
		case slog.LevelWarn:
			c.warns++
		}
		if l.Incident >= 0 {
			c.incident[l.Incident] = append(c.incident[l.Incident], l.Time)
		}
	}
}

func TestCompare_keepAll(t *testing.T) {
	want := count(5)
	all := &fakeMethod{name: "all", keep: func(*loggen.Line) bool { return true }, rate: 1}
	res := quality.Compare(loggen.New(5, smallStream()...), 1, all)
	require.Len(t, res, 3, "ref, uniform, level-only")
	assert.Equal(t, []string{"all", quality.Uniform, quality.LevelOnly}, []string{res[0].Method, res[1].Method, res[2].Method})

	for _, r := range res {
		assert.Equal(t, want.lines, r.Lines, r.Method)
		assert.Equal(t, want.lines, r.Kept, "%s: the baselines match the reference's volume, here all", r.Method)
		assert.InDelta(t, 0, r.Reduction(), 1e-12, r.Method)
		assert.Equal(t, len(want.perTemplate), r.Templates, r.Method)
		assert.Equal(t, r.Templates, r.Covered, r.Method)
		assert.Equal(t, 6, r.Rare, r.Method)
		assert.Equal(t, want.errors, r.Errors, r.Method)
		assert.Equal(t, want.warns, r.Warns, r.Method)
		assert.InDelta(t, 1, r.ErrorRetention(), 1e-12, r.Method)
		assert.InDelta(t, 0, r.CountErrMax, 1e-9, "%s: keeping everything at rate 1 counts exactly", r.Method)
		assert.Equal(t, 2*quality.FirstLines, r.NewLines, "%s: two new templates, ten first lines each", r.Method)
		for i, ir := range r.Incidents {
			assert.Equal(t, len(want.incident[i]), ir.Lines, "%s: incident %s", r.Method, ir.Name)
		}
	}
	big := 0
	for _, n := range want.perTemplate {
		if n >= quality.MinCountLines {
			big++
		}
	}
	assert.Equal(t, big, res[0].CountTemplates)
}

func TestCompare_fixedRate(t *testing.T) {
	// Keep every 4th line of each template at a declared rate of 0.25: the
	// re-weighted counts are exact to within 3 lines per template.
	seen := map[int]int{}
	every4 := &fakeMethod{name: "every-4th", rate: 0.25, keep: func(l *loggen.Line) bool {
		seen[l.Template]++
		return seen[l.Template]%4 == 1
	}}
	res := quality.Compare(loggen.New(5, smallStream()...), 1, every4)
	r := res[0]
	assert.InDelta(t, 0.75, r.Reduction(), 0.01)
	assert.Less(t, r.CountErrMax, 3.0/quality.MinCountLines, "every-4th re-weights to within 3 lines")
	assert.Equal(t, r.Templates, r.Covered, "every template keeps its first line")

	// The uniform baseline keeps about the same share; its count error is
	// sampling noise, larger than every-4th's.
	u := res[1]
	assert.InDelta(t, 0.75, u.Reduction(), 0.01)
	assert.Greater(t, u.CountErrMax, r.CountErrMax)
	assert.InDelta(t, 0.25, u.ErrorRetention(), 0.1)
	// Level-only keeps all WARN/ERROR.
	lo := res[2]
	assert.InDelta(t, 1, lo.ErrorRetention(), 1e-12)
	assert.InDelta(t, 1, lo.WarnRetention(), 1e-12)
	assert.InDelta(t, r.Kept, lo.Kept, 0.02*float64(r.Kept), "level-only matches the kept volume")
}

func TestCompare_detection(t *testing.T) {
	want := count(5)
	g := loggen.New(5, smallStream()...)
	incs := g.Incidents()
	tpls := g.Templates()
	byName := map[string]int{}
	for i, in := range incs {
		byName[in.Name] = i
	}
	spike := incs[byName["spike"]]
	silence := incs[byName["silence"]]
	det := &fakeDetector{fakeMethod{name: "det", rate: 1, keep: func(l *loggen.Line) bool { return l.Level >= slog.LevelError }}}
	det.events = []quality.Event{
		// Before the spike starts: not a detection.
		{Kind: loggen.Spike, Pattern: signature.Sig(spike.Templates[0]), At: spike.Start.Add(-time.Second)},
		// Wrong pattern: not a detection of the spike.
		{Kind: loggen.Spike, Pattern: signature.Sig(0), At: spike.Start.Add(2 * time.Second)},
		{Kind: loggen.Spike, Pattern: signature.Sig(spike.Templates[0]), At: spike.Start.Add(5 * time.Second)},
		{Kind: loggen.Spike, Pattern: signature.Sig(spike.Templates[0]), At: spike.Start.Add(7 * time.Second)},
		{Kind: loggen.Silence, Pattern: signature.Sig(silence.Templates[0]), At: silence.Start.Add(30 * time.Second)},
	}
	res := quality.Compare(g, 1, det)
	r := res[0]
	require.True(t, r.HasEvents)
	assert.Equal(t, 5, r.Events)
	assert.Len(t, r.Unmatched, 2, "the early event and the wrong-pattern event")
	assert.Equal(t, spike.Templates[0], r.UnmatchedTemplate(0), "the early event's pattern belongs to the spike template")

	sr := r.Incidents[byName["spike"]]
	require.True(t, sr.Detected)
	assert.Equal(t, 5*time.Second, sr.Latency)
	after := 0
	for _, ts := range want.incident[byName["spike"]] {
		if !ts.Before(spike.Start.Add(5 * time.Second)) {
			after++
		}
	}
	assert.Equal(t, after, sr.After)
	assert.Zero(t, sr.AfterKept, "the method keeps only errors; the spike is INFO")
	assert.Equal(t, slog.LevelInfo, tpls[spike.Templates[0]].Level)

	sil := r.Incidents[byName["silence"]]
	assert.True(t, sil.Detected)
	assert.Equal(t, 30*time.Second, sil.Latency)
	assert.Zero(t, sil.Lines)
	assert.False(t, r.Incidents[byName["new-warn"]].Detected)
	assert.True(t, math.IsNaN(sil.Retention()), "no lines: NaN retention")
}

func TestTable(t *testing.T) {
	all := &fakeDetector{fakeMethod{name: "all", keep: func(*loggen.Line) bool { return true }, rate: 1}}
	res := quality.Compare(loggen.New(5, smallStream()...), 1, all)
	tab := quality.Table(res)
	for _, s := range []string{"method", "all", quality.Uniform, quality.LevelOnly, "100.0%", "undetected", "spike", "silence"} {
		assert.Contains(t, tab, s)
	}
}

// TestCompare_notNew checks the new-pattern events counted as not new: an
// event for a template whose first line is more than DetectionGrace before
// it, and one for a pattern no line carried; an event within the grace of
// the template's first line is new.
func TestCompare_notNew(t *testing.T) {
	g := loggen.New(7, smallStream()...)
	first := map[int]time.Time{}
	c := loggen.New(7, smallStream()...)
	for {
		l, ok := c.Next()
		if !ok {
			break
		}
		if _, seen := first[l.Template]; !seen {
			first[l.Template] = l.Time
		}
	}
	tpl := 0 // a regular template, present from the start
	require.Contains(t, first, tpl)
	det := &fakeDetector{fakeMethod{name: "det", rate: 1, keep: func(*loggen.Line) bool { return true }}}
	det.events = []quality.Event{
		{Kind: loggen.NewPattern, Pattern: signature.Sig(tpl), At: first[tpl].Add(quality.DetectionGrace / 2)},
		{Kind: loggen.NewPattern, Pattern: signature.Sig(tpl), At: first[tpl].Add(5 * time.Minute)},
		{Kind: loggen.NewPattern, Pattern: signature.Sig(9999), At: first[tpl].Add(time.Minute)},
		{Kind: loggen.Spike, Pattern: signature.Sig(tpl), At: first[tpl].Add(5 * time.Minute)},
	}
	r := quality.Compare(g, 1, det)[0]
	assert.Equal(t, 3, r.NewEvents, "the spike is not a new-pattern event")
	assert.Equal(t, 2, r.NewOther)
	require.Len(t, r.NotNew, 2)
	assert.Equal(t, det.events[1], r.NotNew[0], "a known template, 5 minutes after its first line")
	assert.Equal(t, tpl, r.NotNewTemplate(0))
	assert.Equal(t, det.events[2], r.NotNew[1], "a pattern no line carried")
	assert.Equal(t, -1, r.NotNewTemplate(1))
}

package loggen_test

import (
	"hash/fnv"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drain reads the whole stream of g.
func drain(g *loggen.Generator) []loggen.Line {
	var out []loggen.Line
	for {
		l, ok := g.Next()
		if !ok {
			return out
		}
		out = append(out, l)
	}
}

// streamHash hashes every line's text.
func streamHash(lines []loggen.Line) uint64 {
	h := fnv.New64a()
	for _, l := range lines {
		h.Write([]byte(l.Text))
		h.Write([]byte{'\n'})
	}
	return h.Sum64()
}

// matches reports whether msg is an instance of template: the constant parts
// between <*> occur in order, the first at the start and the last at the end.
func matches(template, msg string) bool {
	parts := strings.Split(template, "<*>")
	if !strings.HasPrefix(msg, parts[0]) {
		return false
	}
	rest := msg[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(rest, p) && len(rest) > len(p)
		}
		j := strings.Index(rest[1:], p)
		if j < 0 {
			return false
		}
		rest = rest[1+j+len(p):]
	}
	return rest == ""
}

func TestGenerator_deterministic(t *testing.T) {
	opts := []loggen.Option{loggen.WithDuration(2 * time.Minute), loggen.WithLinesPerSecond(50)}
	a := drain(loggen.New(7, opts...))
	b := drain(loggen.New(7, opts...))
	c := drain(loggen.New(8, opts...))
	require.NotEmpty(t, a)
	assert.Equal(t, len(a), len(b), "same seed, same length")
	assert.Equal(t, streamHash(a), streamHash(b), "same seed must give byte-identical lines")
	assert.NotEqual(t, streamHash(a), streamHash(c), "a different seed must give a different stream")
}

func TestGenerator_lines(t *testing.T) {
	g := loggen.New(1, loggen.WithDuration(10*time.Minute), loggen.WithLinesPerSecond(100))
	tpls := g.Templates()
	incs := g.Incidents()
	lines := drain(g)
	require.Len(t, tpls, 46)

	var prev time.Time
	for i, l := range lines {
		require.False(t, l.Time.Before(prev), "line %d goes back in time", i)
		prev = l.Time
		tpl := tpls[l.Template]
		head := l.Time.Format("2006-01-02T15:04:05.000Z") + " " + l.Level.String() + " "
		require.True(t, strings.HasPrefix(l.Text, head), "line %d %q: header", i, l.Text)
		require.Equal(t, l.Text[len(head):], l.Message, "line %d: Message is the rest of Text", i)
		require.Equal(t, tpl.Level, l.Level, "line %d: level of its template", i)
		require.True(t, matches(tpl.Text, l.Message), "line %d %q is not an instance of %q", i, l.Message, tpl.Text)
		require.NotContains(t, l.Message, "{", "line %d: unexpanded placeholder", i)
		if l.Incident >= 0 {
			in := incs[l.Incident]
			require.True(t, in.Contains(l.Time), "line %d: outside its incident %s", i, in.Name)
			require.Contains(t, in.Templates, l.Template, "line %d", i)
		}
	}
	require.True(t, prev.Before(loggen.DefaultStart.Add(10*time.Minute)), "last line after the end")
}

func TestGenerator_volumes(t *testing.T) {
	const minutes = 20
	g := loggen.New(3, loggen.WithDuration(minutes*time.Minute), loggen.WithLinesPerSecond(100))
	tpls := g.Templates()
	incs := g.Incidents()
	lines := drain(g)

	byName := map[string]loggen.Incident{}
	for _, in := range incs {
		byName[in.Name] = in
	}
	require.Len(t, byName, 5)

	counts := make([]int, len(tpls))
	inWindow := make([]int, len(tpls)) // lines of the template inside its (first) incident window
	for _, l := range lines {
		counts[l.Template]++
		for _, in := range incs {
			if in.Contains(l.Time) && contains(in.Templates, l.Template) {
				inWindow[l.Template]++
			}
		}
	}

	// Total volume: 100 lines/s regular + 0.345 lines/s background outside
	// incidents; incidents add roughly 2.4 % here. Allow a wide band.
	secs := float64(minutes * 60)
	assert.InDelta(t, 1.0, float64(len(lines))/(100*secs), 0.06, "total volume near 100 lines/s (got %d lines)", len(lines))

	// Zipf: the top template carries about a third of the regular volume and
	// counts fall with rank (checked between ranks far enough apart that
	// Poisson noise cannot invert them).
	assert.InDelta(t, 0.33, float64(counts[0])/float64(len(lines)), 0.03, "share of the top template")
	for k := 0; k+5 < 30; k += 5 {
		assert.Greater(t, counts[k], counts[k+5], "rank %d vs rank %d", k+1, k+6)
	}

	for _, tpl := range tpls {
		switch tpl.Class {
		case loggen.Rare:
			assert.Equal(t, tpl.Count, counts[tpl.ID], "rare template %q", tpl.Text)
			assert.LessOrEqual(t, tpl.Count, 4)
		case loggen.Novel:
			assert.Positive(t, counts[tpl.ID], "novel template %q", tpl.Text)
			assert.Equal(t, counts[tpl.ID], inWindow[tpl.ID], "novel template %q only inside its window", tpl.Text)
		}
	}

	spike := byName["spike"]
	sp := spike.Templates[0]
	spikeSecs := spike.End.Sub(spike.Start).Seconds()
	outside := float64(counts[sp]-inWindow[sp]) / (secs - spikeSecs)
	inside := float64(inWindow[sp]) / spikeSecs
	assert.InDelta(t, 20, inside/outside, 3, "spike factor")

	surge := byName["error-surge"]
	for _, id := range surge.Templates {
		assert.Equal(t, slog.LevelError, tpls[id].Level)
	}
	silence := byName["silence"]
	assert.Zero(t, inWindow[silence.Templates[0]], "silent template must not occur in its window")
	assert.Positive(t, counts[silence.Templates[0]], "silent template occurs before its window")

	newWarn, newErr := byName["new-warn"], byName["new-error"]
	assert.Equal(t, slog.LevelWarn, tpls[newWarn.Templates[0]].Level)
	assert.Equal(t, slog.LevelError, tpls[newErr.Templates[0]].Level)
	assert.Equal(t, loggen.DefaultStart.Add(12*time.Minute), newWarn.Start, "new-warn at 0.60 D")
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name      string
		opts      []loggen.Option
		wantDur   time.Duration
		wantStart time.Time
		wantTop   float64 // rate of the top template
	}{
		{"defaults", nil, loggen.DefaultDuration, loggen.DefaultStart, 0},
		{"zero duration means one second", []loggen.Option{loggen.WithDuration(0)}, time.Second, loggen.DefaultStart, 0},
		{"duration truncated", []loggen.Option{loggen.WithDuration(1500 * time.Millisecond)}, time.Second, loggen.DefaultStart, 0},
		{"start truncated to UTC second", []loggen.Option{loggen.WithStart(time.Date(2025, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600)))}, loggen.DefaultDuration, time.Date(2025, 1, 2, 2, 4, 5, 0, time.UTC), 0},
		{"negative rate means default", []loggen.Option{loggen.WithLinesPerSecond(-1)}, loggen.DefaultDuration, loggen.DefaultStart, 0},
	}
	def := loggen.New(1).Templates()[0].Rate
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			g := loggen.New(1, test.opts...)
			assert.Equal(t, test.wantDur, g.Duration())
			assert.True(t, test.wantStart.Equal(g.Start()), "start %v, want %v", g.Start(), test.wantStart)
			assert.InDelta(t, def, g.Templates()[0].Rate, 1e-9)
		})
	}
	half := loggen.New(1, loggen.WithLinesPerSecond(DefaultHalf)).Templates()[0].Rate
	assert.InDelta(t, def/2, half, 1e-9, "the regular rates scale with WithLinesPerSecond")
}

// DefaultHalf is half the default rate.
const DefaultHalf = loggen.DefaultLinesPerSecond / 2

func TestKindString(t *testing.T) {
	tests := []struct {
		k    loggen.Kind
		want string
	}{
		{loggen.Spike, "spike"},
		{loggen.ErrorSurge, "error-surge"},
		{loggen.NewPattern, "new-pattern"},
		{loggen.Silence, "silence"},
		{loggen.Kind(99), "kind(99)"},
	}
	for _, test := range tests {
		assert.Equal(t, test.want, test.k.String())
	}
	assert.Equal(t, "rare", loggen.Rare.String())
	assert.Equal(t, "class(0)", loggen.Class(0).String())
}

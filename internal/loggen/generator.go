package loggen

import (
	"cmp"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Defaults of the [Option]s.
const (
	// DefaultDuration is the default simulated duration.
	DefaultDuration = 40 * time.Minute
	// DefaultLinesPerSecond is the default mean rate of the regular templates.
	DefaultLinesPerSecond = 250
)

// DefaultStart is the default time of the first simulated second.
var DefaultStart = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// Line is one generated log line with its ground truth.
type Line struct {
	// Time is the line's timestamp (millisecond resolution, UTC).
	Time time.Time
	// Level is the line's level.
	Level slog.Level
	// Template is the ID of the line's template.
	Template int
	// Incident is the index in [Generator.Incidents] of the incident the
	// line belongs to, or -1. A line belongs to an incident when its template
	// is one of the incident's templates and its time is inside the window.
	Incident int
	// Text is the whole line without a trailing newline:
	// "<time> <LEVEL> <message>".
	Text string
	// Message is the message part of Text.
	Message string
}

// Option configures a [Generator].
type Option interface{ apply(*config) }

type config struct {
	duration       time.Duration
	linesPerSecond float64
	start          time.Time
	profile        Profile
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithDuration sets the simulated duration, rounded down to whole seconds.
// The default is [DefaultDuration]; values under one second mean one second.
func WithDuration(d time.Duration) Option {
	return optionFunc(func(c *config) { c.duration = max(d.Truncate(time.Second), time.Second) })
}

// WithLinesPerSecond sets the mean total rate of the regular (Zipf)
// templates; uncommon, background, rare and novel templates come on top at
// their fixed rates (about 0.35 lines/s outside incidents). The default is
// [DefaultLinesPerSecond]; zero, negative and NaN values mean the default.
func WithLinesPerSecond(n float64) Option {
	return optionFunc(func(c *config) {
		if n > 0 && !math.IsInf(n, 1) {
			c.linesPerSecond = n
		} else {
			c.linesPerSecond = DefaultLinesPerSecond
		}
	})
}

// WithStart sets the time of the first simulated second; it is converted to
// UTC and truncated to the second. The default is [DefaultStart].
func WithStart(t time.Time) Option {
	return optionFunc(func(c *config) { c.start = t.UTC().Truncate(time.Second) })
}

// Generator produces the line stream. The same seed and options always
// produce the same lines. A Generator is a stream: it is not safe for
// concurrent use. The zero value is not usable; call [New].
type Generator struct {
	cfg       config
	templates []Template
	incidents []Incident
	rng       *rand.Rand
	// rareAt[i] lists the second offsets of the occurrences of rare template i.
	rareAt map[int][]int64

	sec     int64 // next simulated second to fill
	pending []event
	next    int
	buf     []byte
}

type event struct {
	ms       int // millisecond within the second
	template int
}

// New returns a Generator seeded with seed.
func New(seed uint64, opts ...Option) *Generator {
	cfg := config{duration: DefaultDuration, linesPerSecond: DefaultLinesPerSecond, start: DefaultStart}
	for _, o := range opts {
		o.apply(&cfg)
	}
	g := &Generator{
		cfg:       cfg,
		templates: buildTemplates(cfg.linesPerSecond, cfg.profile),
		incidents: buildIncidents(cfg.start, cfg.duration, cfg.profile),
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		rareAt:    map[int][]int64{},
	}
	secs := int64(cfg.duration / time.Second)
	for _, t := range g.templates {
		if t.Class != Rare {
			continue
		}
		at := make([]int64, t.Count)
		for j := range at {
			at[j] = g.rng.Int64N(secs)
		}
		slices.Sort(at)
		g.rareAt[t.ID] = at
	}
	return g
}

// Templates returns the ground-truth templates, indexed by ID. The caller
// owns the returned slice.
func (g *Generator) Templates() []Template { return slices.Clone(g.templates) }

// Incidents returns the injected incidents in time order. The caller owns
// the returned slice (but not the Templates slices inside, which it must not
// modify).
func (g *Generator) Incidents() []Incident { return slices.Clone(g.incidents) }

// Start returns the time of the first simulated second.
func (g *Generator) Start() time.Time { return g.cfg.start }

// Duration returns the simulated duration.
func (g *Generator) Duration() time.Duration { return g.cfg.duration }

// Next returns the next line in time order, and false when the stream has
// ended.
func (g *Generator) Next() (Line, bool) {
	for g.next == len(g.pending) {
		if g.sec >= int64(g.cfg.duration/time.Second) {
			return Line{}, false
		}
		g.fill()
	}
	ev := g.pending[g.next]
	g.next++
	t := g.cfg.start.Add(time.Duration(g.sec-1)*time.Second + time.Duration(ev.ms)*time.Millisecond)
	tpl := &g.templates[ev.template]
	b := t.AppendFormat(g.buf[:0], "2006-01-02T15:04:05.000Z07:00")
	b = append(b, ' ')
	b = append(b, tpl.Level.String()...)
	b = append(b, ' ')
	head := len(b)
	b = appendMessage(b, tpl.format, g.rng)
	g.buf = b
	text := string(b)
	return Line{
		Time:     t,
		Level:    tpl.Level,
		Template: tpl.ID,
		Incident: g.incidentOf(tpl.ID, t),
		Text:     text,
		Message:  text[head:],
	}, true
}

func (g *Generator) incidentOf(template int, t time.Time) int {
	for i := range g.incidents {
		in := &g.incidents[i]
		if in.Contains(t) && slices.Contains(in.Templates, template) {
			return i
		}
	}
	return -1
}

// fill draws the events of second g.sec and advances it.
func (g *Generator) fill() {
	g.pending = g.pending[:0]
	g.next = 0
	t := g.cfg.start.Add(time.Duration(g.sec) * time.Second)
	for i := range g.templates {
		tpl := &g.templates[i]
		n := 0
		if tpl.Class == Rare {
			for _, s := range g.rareAt[i] {
				if s == g.sec {
					n++
				}
			}
		} else {
			n = g.poisson(g.rate(tpl, t))
		}
		for range n {
			g.pending = append(g.pending, event{ms: g.rng.IntN(1000), template: i})
		}
	}
	slices.SortStableFunc(g.pending, func(a, b event) int { return cmp.Compare(a.ms, b.ms) })
	g.sec++
}

// rate returns tpl's rate in lines/s during the second starting at t.
func (g *Generator) rate(tpl *Template, t time.Time) float64 {
	r := tpl.Rate
	if tpl.Class == Novel {
		r = 0
	}
	for i := range g.incidents {
		in := &g.incidents[i]
		if !in.Contains(t) || !slices.Contains(in.Templates, tpl.ID) {
			continue
		}
		if tpl.Class == Novel {
			r = tpl.Rate
		} else {
			r *= in.Factor
		}
	}
	return r
}

// poisson draws from a Poisson law with mean lambda (Knuth's multiplication
// method, applied to chunks of mean <= 16 so exp(-lambda) stays well inside
// float64 range; the sum of independent Poisson variables is Poisson).
func (g *Generator) poisson(lambda float64) int {
	n := 0
	for lambda > 0 {
		l := min(lambda, 16)
		lambda -= l
		limit := math.Exp(-l)
		p := g.rng.Float64()
		for p > limit {
			n++
			p *= g.rng.Float64()
		}
	}
	return n
}

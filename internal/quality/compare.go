package quality

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/signature"
)

// MinCountLines is the smallest number of lines a template needs for its
// re-weighted count error to be scored.
const MinCountLines = 1000

// FirstLines is the number of first lines of each brand-new (Novel)
// template whose retention is scored.
const FirstLines = 10

// DetectionGrace is how long after an incident's end an event may still be
// matched to it (a disappearance can only be noticed after the fact).
const DetectionGrace = time.Minute

// IncidentResult is a method's score on one injected incident.
type IncidentResult struct {
	// Name and Kind identify the incident (see loggen.Incident).
	Name string
	Kind loggen.Kind
	// Lines is the number of lines of the incident; Kept how many were kept.
	Lines, Kept int
	// Detected reports whether a matching event was raised; Latency is the
	// first one's time minus the incident's start.
	Detected bool
	Latency  time.Duration
	// After is the number of incident lines at or after detection;
	// AfterKept how many of them were kept.
	After, AfterKept int
}

// Result is the score of one method on one stream. Ratios are computed by
// the methods; a ratio with a zero denominator is NaN.
type Result struct {
	// Method is the method's name.
	Method string
	// Lines is the number of lines in the stream; Kept how many were kept.
	Lines, Kept int
	// Templates is the number of templates that occur in the stream;
	// Covered how many have at least one kept line.
	Templates, Covered int
	// Rare and RareCovered are the same for the loggen.Rare templates.
	Rare, RareCovered int
	// Errors, Warns: ERROR (level >= ERROR) and WARN lines, and how many of
	// each were kept.
	Errors, ErrorsKept int
	Warns, WarnsKept   int
	// Incidents holds one entry per incident, in loggen order.
	Incidents []IncidentResult
	// NewLines is the number of scored first lines of brand-new templates
	// (up to FirstLines per template); NewLinesKept how many were kept.
	NewLines, NewLinesKept int
	// CountTemplates is the number of templates with at least MinCountLines
	// lines; CountErrMean and CountErrMax summarize their re-weighted count
	// errors (relative, so 0.05 is 5 %).
	CountTemplates            int
	CountErrMean, CountErrMax float64
	// PerTemplate holds every template's line count, kept count and
	// re-weighted estimate, indexed by template ID.
	PerTemplate []TemplateCount
	// PatternIDs is the number of distinct pattern IDs the method gave the
	// stream's lines (0 for a method that reports none): a method that
	// identifies events well has about as many as Templates.
	PatternIDs int
	// NewEvents counts the method's NewPattern events; NewOther those of
	// them that are not about a new event: the pattern's template (the
	// template of the lines that carried the pattern) first occurred more
	// than DetectionGrace before the event, or is unknown. A free-text
	// family that a method does not recognize as one event raises such
	// events for every value it sees late.
	NewEvents, NewOther int
	// NotNew lists the NewOther events, in order, for diagnosis.
	NotNew         []Event
	notNewTemplate []int // template of each NotNew event's pattern, -1 if unknown
	// HasEvents reports whether the method is a [Detector]; Events is the
	// number of events it raised and Unmatched those that matched no
	// incident (they include legitimate ones, such as the first occurrence
	// of a rare template after warm-up).
	HasEvents         bool
	Events            int
	Unmatched         []Event
	unmatchedTemplate []int // template of each unmatched event, -1 if unknown
}

// TemplateCount is one template's counts in a [Result].
type TemplateCount struct {
	// Lines is the template's true line count and Kept its kept lines.
	Lines, Kept int
	// Estimate is Σ 1/rate over the kept lines.
	Estimate float64
}

// CountErr returns |Estimate - Lines| / Lines (NaN when Lines is 0).
func (tc TemplateCount) CountErr() float64 {
	if tc.Lines == 0 {
		return math.NaN()
	}
	return math.Abs(tc.Estimate-float64(tc.Lines)) / float64(tc.Lines)
}

// Reduction returns 1 - Kept/Lines.
func (r *Result) Reduction() float64 { return 1 - ratio(r.Kept, r.Lines) }

// Coverage returns Covered/Templates.
func (r *Result) Coverage() float64 { return ratio(r.Covered, r.Templates) }

// RareCoverage returns RareCovered/Rare.
func (r *Result) RareCoverage() float64 { return ratio(r.RareCovered, r.Rare) }

// ErrorRetention returns ErrorsKept/Errors.
func (r *Result) ErrorRetention() float64 { return ratio(r.ErrorsKept, r.Errors) }

// WarnRetention returns WarnsKept/Warns.
func (r *Result) WarnRetention() float64 { return ratio(r.WarnsKept, r.Warns) }

// NewRetention returns NewLinesKept/NewLines.
func (r *Result) NewRetention() float64 { return ratio(r.NewLinesKept, r.NewLines) }

// Retention returns Kept/Lines of the incident.
func (ir *IncidentResult) Retention() float64 { return ratio(ir.Kept, ir.Lines) }

// AfterRetention returns AfterKept/After.
func (ir *IncidentResult) AfterRetention() float64 { return ratio(ir.AfterKept, ir.After) }

// UnmatchedTemplate returns the template ID of the i-th unmatched event's
// pattern (the template whose lines carried that pattern), or -1.
func (r *Result) UnmatchedTemplate(i int) int { return r.unmatchedTemplate[i] }

// NotNewTemplate returns the template ID of the i-th [Result].NotNew
// event's pattern (the first template whose lines carried that pattern),
// or -1 when no line carried it.
func (r *Result) NotNewTemplate(i int) int { return r.notNewTemplate[i] }

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// truth is the compact ground truth of one line.
type truth struct {
	ms       int64 // Unix milliseconds
	template int16
	level    int8
	incident int8
	u        float32 // uniform variate for the Uniform baseline
	v        float32 // uniform variate for the LevelOnly baseline
}

// decision is the compact outcome of one method for one line.
type decision struct {
	keep bool
	rate float32
}

// Compare replays g's stream once through ref and peers, adds the
// [Uniform] and [LevelOnly] baselines at ref's kept volume (drawn from a PCG
// seeded with seed), and returns the results in the order ref, peers...,
// Uniform, LevelOnly. It consumes g. Memory is about 16 bytes per line plus
// 8 bytes per line and method.
func Compare(g *loggen.Generator, seed uint64, ref Method, peers ...Method) []Result {
	tpls := g.Templates()
	incs := g.Incidents()
	methods := append([]Method{ref}, peers...)
	rng := rand.New(rand.NewPCG(seed, seed^0xda3e39cb94b95bdb))

	var lines []truth
	decs := make([][]decision, len(methods))
	// patterns[m][template] is the set of pattern IDs method m gave the
	// template's lines (bounded by the number of distinct signatures the
	// method produces for one template).
	patterns := make([][]map[signature.Sig]struct{}, len(methods))
	for m := range methods {
		patterns[m] = make([]map[signature.Sig]struct{}, len(tpls))
	}
	for {
		l, ok := g.Next()
		if !ok {
			break
		}
		lines = append(lines, truth{
			ms:       l.Time.UnixMilli(),
			template: int16(l.Template),
			level:    int8(l.Level),
			incident: int8(l.Incident),
			u:        rng.Float32(),
			v:        rng.Float32(),
		})
		for m, meth := range methods {
			o := meth.Decide(&l)
			decs[m] = append(decs[m], decision{keep: o.Keep, rate: float32(o.Rate)})
			if o.HasPattern {
				set := patterns[m][l.Template]
				if set == nil {
					set = map[signature.Sig]struct{}{}
					patterns[m][l.Template] = set
				}
				set[o.Pattern] = struct{}{}
			}
		}
	}

	results := make([]Result, 0, len(methods)+2)
	for m, meth := range methods {
		var events []Event
		det, isDet := meth.(Detector)
		if isDet {
			events = det.Events()
		}
		r := score(meth.Name(), tpls, incs, lines, decs[m])
		ids := map[signature.Sig]struct{}{}
		for _, set := range patterns[m] {
			for id := range set {
				ids[id] = struct{}{}
			}
		}
		r.PatternIDs = len(ids)
		if isDet {
			matchEvents(&r, incs, lines, decs[m], events, patterns[m])
			countNew(&r, lines, events, patterns[m])
		}
		results = append(results, r)
	}

	kept := results[0].Kept
	n := len(lines)
	p := float32(ratio(kept, n))
	uni := make([]decision, n)
	for i, l := range lines {
		uni[i] = decision{keep: l.u < p, rate: p}
	}
	results = append(results, score(Uniform, tpls, incs, lines, uni))

	warnPlus := 0
	for _, l := range lines {
		if slog.Level(l.level) >= slog.LevelWarn {
			warnPlus++
		}
	}
	q := float32(1)
	if n > warnPlus {
		q = float32(min(max(ratio(kept-warnPlus, n-warnPlus), 0), 1))
	}
	lvl := make([]decision, n)
	for i, l := range lines {
		if slog.Level(l.level) >= slog.LevelWarn {
			lvl[i] = decision{keep: true, rate: 1}
		} else {
			lvl[i] = decision{keep: l.v < q, rate: q}
		}
	}
	results = append(results, score(LevelOnly, tpls, incs, lines, lvl))
	return results
}

// score computes every metric except detection.
func score(name string, tpls []loggen.Template, incs []loggen.Incident, lines []truth, decs []decision) Result {
	r := Result{Method: name, Lines: len(lines), Incidents: make([]IncidentResult, len(incs))}
	for i, in := range incs {
		r.Incidents[i] = IncidentResult{Name: in.Name, Kind: in.Kind}
	}
	count := make([]int, len(tpls))
	kept := make([]int, len(tpls))
	weight := make([]float64, len(tpls))
	for i, l := range lines {
		d := decs[i]
		t := int(l.template)
		first := count[t] < FirstLines
		count[t]++
		if tpls[t].Class == loggen.Novel && first {
			r.NewLines++
		}
		lv := slog.Level(l.level)
		switch {
		case lv >= slog.LevelError:
			r.Errors++
		case lv >= slog.LevelWarn:
			r.Warns++
		}
		if l.incident >= 0 {
			r.Incidents[l.incident].Lines++
		}
		if !d.keep {
			continue
		}
		r.Kept++
		kept[t]++
		rate := float64(d.rate)
		if rate <= 0 {
			rate = 1
		}
		weight[t] += 1 / rate
		if tpls[t].Class == loggen.Novel && first {
			r.NewLinesKept++
		}
		switch {
		case lv >= slog.LevelError:
			r.ErrorsKept++
		case lv >= slog.LevelWarn:
			r.WarnsKept++
		}
		if l.incident >= 0 {
			r.Incidents[l.incident].Kept++
		}
	}
	var sum float64
	r.PerTemplate = make([]TemplateCount, len(tpls))
	for t, tpl := range tpls {
		r.PerTemplate[t] = TemplateCount{Lines: count[t], Kept: kept[t], Estimate: weight[t]}
		if count[t] == 0 {
			continue
		}
		r.Templates++
		if kept[t] > 0 {
			r.Covered++
		}
		if tpl.Class == loggen.Rare {
			r.Rare++
			if kept[t] > 0 {
				r.RareCovered++
			}
		}
		if count[t] >= MinCountLines {
			e := r.PerTemplate[t].CountErr()
			r.CountTemplates++
			sum += e
			r.CountErrMax = max(r.CountErrMax, e)
		}
	}
	r.CountErrMean = sum / float64(r.CountTemplates)
	if r.CountTemplates == 0 {
		r.CountErrMean, r.CountErrMax = math.NaN(), math.NaN()
	}
	return r
}

// matches reports whether event e (for pattern of template tpl, -1 when
// unknown) counts as a detection of incident in.
func matches(e Event, in *loggen.Incident, tpl int) bool {
	if e.At.Before(in.Start) || !e.At.Before(in.End.Add(DetectionGrace)) {
		return false
	}
	ours := tpl >= 0 && slices.Contains(in.Templates, tpl)
	switch in.Kind {
	case loggen.Spike:
		return e.Kind == loggen.Spike && ours
	case loggen.ErrorSurge:
		return e.Kind == loggen.ErrorSurge || (e.Kind == loggen.Spike && ours)
	case loggen.NewPattern:
		return (e.Kind == loggen.NewPattern || e.Kind == loggen.Spike) && ours
	case loggen.Silence:
		return e.Kind == loggen.Silence && ours
	}
	return false
}

// matchEvents fills the detection fields of r from events.
func matchEvents(r *Result, incs []loggen.Incident, lines []truth, decs []decision, events []Event, patterns []map[signature.Sig]struct{}) {
	r.HasEvents = true
	r.Events = len(events)
	templateOf := func(s signature.Sig) int {
		for t, set := range patterns {
			if _, ok := set[s]; ok {
				return t
			}
		}
		return -1
	}
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b Event) int { return a.At.Compare(b.At) })
	for _, e := range events {
		tpl := -1
		if e.Kind != loggen.ErrorSurge {
			tpl = templateOf(e.Pattern)
		}
		matched := false
		for i := range incs {
			if !matches(e, &incs[i], tpl) {
				continue
			}
			matched = true
			ir := &r.Incidents[i]
			if !ir.Detected {
				ir.Detected = true
				ir.Latency = e.At.Sub(incs[i].Start)
			}
		}
		if !matched {
			r.Unmatched = append(r.Unmatched, e)
			r.unmatchedTemplate = append(r.unmatchedTemplate, tpl)
		}
	}
	for i, l := range lines {
		if l.incident < 0 {
			continue
		}
		ir := &r.Incidents[l.incident]
		if !ir.Detected || l.ms < incs[l.incident].Start.Add(ir.Latency).UnixMilli() {
			continue
		}
		ir.After++
		if decs[i].keep {
			ir.AfterKept++
		}
	}
}

// countNew fills NewEvents and NewOther.
func countNew(r *Result, lines []truth, events []Event, patterns []map[signature.Sig]struct{}) {
	first := make([]int64, len(patterns))
	for i := range first {
		first[i] = -1
	}
	for _, l := range lines {
		if first[l.template] < 0 {
			first[l.template] = l.ms
		}
	}
	for _, e := range events {
		if e.Kind != loggen.NewPattern {
			continue
		}
		r.NewEvents++
		isNew, tpl := false, -1
		for t, set := range patterns {
			if _, ok := set[e.Pattern]; ok {
				if tpl < 0 {
					tpl = t
				}
				if first[t] >= 0 && first[t] >= e.At.Add(-DetectionGrace).UnixMilli() {
					isNew = true
				}
			}
		}
		if !isNew {
			r.NewOther++
			r.NotNew = append(r.NotNew, e)
			r.notNewTemplate = append(r.notNewTemplate, tpl)
		}
	}
}

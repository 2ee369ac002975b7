package loggen

import (
	"strconv"
	"time"
)

// Kind is the kind of an injected [Incident].
type Kind uint8

const (
	// Spike multiplies the rate of one existing pattern by Factor.
	Spike Kind = iota + 1
	// ErrorSurge multiplies the rate of existing ERROR patterns by Factor.
	ErrorSurge
	// NewPattern makes a template that was never seen before appear.
	NewPattern
	// Silence makes a chatty pattern stop (Factor 0).
	Silence
)

// String returns the kebab-case name of k.
func (k Kind) String() string {
	switch k {
	case Spike:
		return "spike"
	case ErrorSurge:
		return "error-surge"
	case NewPattern:
		return "new-pattern"
	case Silence:
		return "silence"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Incident is the ground truth of one injected incident: during [Start, End)
// the rates of Templates are multiplied by Factor (Novel templates occur
// only in that window, at their own rate).
type Incident struct {
	// Name is a short unique name ("spike", "error-surge", "new-warn",
	// "new-error", "silence").
	Name string
	// Kind says what happens.
	Kind Kind
	// Start and End bound the window; both are whole simulated seconds.
	Start, End time.Time
	// Templates are the IDs of the templates involved.
	Templates []int
	// Factor is the rate multiplier (1 for NewPattern, 0 for Silence).
	Factor float64
}

// Contains reports whether t is inside the window [Start, End).
func (in *Incident) Contains(t time.Time) bool {
	return !t.Before(in.Start) && t.Before(in.End)
}

// incidentPlan places the incidents at fixed fractions of the duration.
var incidentPlan = []struct {
	name       string
	kind       Kind
	start, len float64 // fractions of the duration
	templates  []int
	factor     float64
}{
	{"spike", Spike, 0.25, 0.05, []int{spikeTemplate}, 20},
	{"error-surge", ErrorSurge, 0.45, 0.075, []int{surgeTemplateA, surgeTemplateB}, 40},
	{"new-warn", NewPattern, 0.60, 0.10, []int{newWarnTemplate}, 1},
	{"new-error", NewPattern, 0.75, 0.05, []int{newErrTemplate}, 1},
	{"silence", Silence, 0.85, 0.15, []int{silentTemplate}, 0},
}

func buildIncidents(start time.Time, d time.Duration, p Profile) []Incident {
	secs := int64(d / time.Second)
	plan := incidentPlan
	if ex := extras(p); len(ex) > 0 {
		// The profile's brand-new template (its last, Novel) appears at 0.90 D.
		plan = append(plan[:len(plan):len(plan)], incidentPlan[0])
		plan[len(plan)-1].name, plan[len(plan)-1].kind = "new-error-text", NewPattern
		plan[len(plan)-1].start, plan[len(plan)-1].len = 0.90, 0.05
		plan[len(plan)-1].templates, plan[len(plan)-1].factor = []int{len(specs) + len(ex) - 1}, 1
	}
	out := make([]Incident, len(plan))
	for i, p := range plan {
		from := int64(p.start * float64(secs))
		to := min(from+max(int64(p.len*float64(secs)), 1), secs)
		out[i] = Incident{
			Name:      p.name,
			Kind:      p.kind,
			Start:     start.Add(time.Duration(from) * time.Second),
			End:       start.Add(time.Duration(to) * time.Second),
			Templates: append([]int(nil), p.templates...),
			Factor:    p.factor,
		}
	}
	return out
}

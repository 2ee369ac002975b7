package quality_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
	"github.com/srex-dev/lipservice-go/policy"
)

// lipServicePolicy and detectorOptions are the configuration under test
// (see quality.Policy and quality.DetectorOptions).
func lipServicePolicy() *policy.Policy { return quality.Policy() }

func detectorOptions() []anomaly.Option { return quality.DetectorOptions() }

// fullStream reports whether the test replays the full stream: the
// generator's defaults (40 minutes at about 250 lines/s, about 610 000
// lines). Under -short or -race, where that would take over 30 s, it replays
// 10 minutes at the same rate (about 150 000 lines) instead; the targets
// that depend on the stream's length (volume reduction, count error, the
// first lines of new patterns: the warm-up and the first adaptive windows
// weigh four times more) are then logged, not asserted.
func fullStream() bool { return !raceEnabled && !testing.Short() }

func streamOptions() []loggen.Option {
	if !fullStream() {
		return []loggen.Option{loggen.WithDuration(10 * time.Minute)}
	}
	return nil
}

const (
	genSeed    = 20260314
	replaySeed = 1
)

// knownGaps lists the targets LipService misses today, with the reason. A
// target listed here is reported (t.Log) instead of failing the test; every
// other target fails it. Remove an entry once the gap is closed.
var knownGaps = map[string]string{}

// TestQuality replays the stream through LipService and the baselines,
// logs the comparison table and requires LipService's targets.
func TestQuality(t *testing.T) {
	ls, err := quality.NewLipService(replaySeed, lipServicePolicy(), detectorOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ls.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	})

	g := loggen.New(genSeed, streamOptions()...)
	tpls := g.Templates()
	start, dur := g.Start(), g.Duration()
	res := quality.Compare(g, replaySeed, ls, quality.NewZap(time.Second, 100, 100), quality.NewZap(time.Second, 1, 100))
	r := res[0]
	if !fullStream() {
		t.Log("short stream: 10 minutes (-short or -race)")
	}
	t.Logf("stream: %d lines, %d templates, %v simulated, generator seed %d\n%s", r.Lines, r.Templates, dur, genSeed, quality.Table(res))
	logDetails(t, ls, r, tpls, start)

	type check struct {
		name      string
		ok        bool
		got, want string
		fullOnly  bool // asserted on the full stream only
	}
	checks := []check{
		{"volume reduction", r.Reduction() >= 0.90, pct(r.Reduction()), ">= 90%", true},
		{"template coverage", r.Covered == r.Templates, frac(r.Covered, r.Templates), "all", false},
		{"rare template coverage", r.RareCovered == r.Rare, frac(r.RareCovered, r.Rare), "all", false},
		{"ERROR retention", r.ErrorsKept == r.Errors, frac(r.ErrorsKept, r.Errors), "all", false},
		{"new first-10", r.NewLinesKept == r.NewLines, frac(r.NewLinesKept, r.NewLines), "all", true},
		{"count error mean", r.CountErrMean <= 0.05, pct(r.CountErrMean), "<= 5%", true},
		{"count error max", r.CountErrMax <= 0.05, pct(r.CountErrMax), "<= 5%", true},
		{"new-pattern events only for new events", r.NewOther == 0, frac(r.NewOther, r.NewEvents) + " not new", "0", false},
	}
	for _, ir := range r.Incidents {
		checks = append(checks, check{ir.Name + " detected", ir.Detected, fmt.Sprint(ir.Detected), "true", false})
		if ir.Detected {
			checks = append(checks, check{ir.Name + " detection latency", ir.Latency <= 10*time.Second, ir.Latency.String(), "<= 10s", false})
		}
		if ir.After > 0 {
			checks = append(checks, check{ir.Name + " retention after detection", ir.AfterRetention() >= 0.99,
				frac(ir.AfterKept, ir.After), ">= 99%", false})
		}
	}
	for _, c := range checks {
		switch reason, known := knownGaps[c.name]; {
		case c.ok:
		case c.fullOnly && !fullStream():
			t.Logf("not asserted on the short stream: %s: got %s, want %s", c.name, c.got, c.want)
		case known:
			t.Logf("KNOWN GAP %s: got %s, want %s. %s", c.name, c.got, c.want, reason)
		default:
			t.Errorf("target missed: %s: got %s, want %s", c.name, c.got, c.want)
		}
	}
}

// logDetails logs the decisions by reason, the events that matched no
// incident and the per-template counts.
func logDetails(t *testing.T, ls *quality.LipService, r quality.Result, tpls []loggen.Template, start time.Time) {
	var b strings.Builder
	for reason, n := range ls.Reasons() {
		fmt.Fprintf(&b, "  %-9s decided %7d kept %6d\n", reason, n[0], n[1])
	}
	t.Logf("lipservice decisions by reason:\n%s", b.String())

	b.Reset()
	for i, e := range r.Unmatched {
		desc := "(service-wide)"
		if tpl := r.UnmatchedTemplate(i); tpl >= 0 {
			desc = fmt.Sprintf("%s %s %q", tpls[tpl].Class, tpls[tpl].Level, tpls[tpl].Text)
		}
		fmt.Fprintf(&b, "  +%-7v %-11s %s\n", e.At.Sub(start).Truncate(time.Second), e.Kind, desc)
	}
	t.Logf("lipservice events matching no incident: %d\n%s", len(r.Unmatched), b.String())
	logNotNew(t, r, tpls, start)

	b.Reset()
	for id, tc := range r.PerTemplate {
		fmt.Fprintf(&b, "  %2d %-10s %-5s lines %6d kept %6d estimate %9.1f err %5.1f%%  %q\n",
			id, tpls[id].Class, tpls[id].Level, tc.Lines, tc.Kept, tc.Estimate, 100*tc.CountErr(), tpls[id].Text)
	}
	t.Logf("lipservice per template:\n%s", b.String())
}

// logNotNew logs the new-pattern events that are not about a new event,
// with the template whose lines carried the pattern and when it first
// occurred.
func logNotNew(t *testing.T, r quality.Result, tpls []loggen.Template, start time.Time) {
	for i, e := range r.NotNew {
		desc := "(pattern of no line)"
		if tpl := r.NotNewTemplate(i); tpl >= 0 {
			desc = fmt.Sprintf("%s %s %q", tpls[tpl].Class, tpls[tpl].Level, tpls[tpl].Text)
		}
		t.Logf("  new-pattern event not new: +%v pattern %s %s", e.At.Sub(start).Truncate(time.Second), e.Pattern, desc)
	}
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

func frac(a, b int) string { return fmt.Sprintf("%d/%d", a, b) }

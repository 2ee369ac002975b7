package quality_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
)

// TestQuality_profiles replays the generator's free-text profiles
// (loggen.ProfileFreeText, on which the pattern layer was tuned, and
// loggen.ProfileHoldout, written before any measurement and never tuned
// on) through LipService with and without pattern mining, logs the tables,
// and requires issue 9's stream targets on the tuned profile (the holdout
// profile's misses are logged: it measures, it does not gate).
//
// Measured with the normalizer of this branch, which does not mask quoted
// values or e-mail local parts: the pattern layer absorbs them.
func TestQuality_profiles(t *testing.T) {
	if !fullStream() {
		t.Skip("the free-text profiles are replayed on the full stream only (not under -short or -race)")
	}
	for _, prof := range []loggen.Profile{loggen.ProfileFreeText, loggen.ProfileHoldout} {
		t.Run(prof.String(), func(t *testing.T) {
			ls, err := quality.NewLipService(replaySeed, lipServicePolicy(), detectorOptions()...)
			if err != nil {
				t.Fatal(err)
			}
			exact, err := quality.NewLipServiceExact(replaySeed, lipServicePolicy(), detectorOptions()...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := ls.Shutdown(context.Background()); err != nil {
					t.Error(err)
				}
				if err := exact.Shutdown(context.Background()); err != nil {
					t.Error(err)
				}
			})
			g := loggen.New(genSeed, loggen.WithProfile(prof))
			res := quality.Compare(g, replaySeed, ls, exact)
			r := res[0]
			t.Logf("profile %s: %d lines, %d templates, generator seed %d\n%s", prof, r.Lines, r.Templates, genSeed, quality.Table(res))
			tpls := g.Templates()
			for i, e := range r.Unmatched {
				desc := "(unknown template)"
				if tpl := r.UnmatchedTemplate(i); tpl >= 0 {
					desc = fmt.Sprintf("%s %q", tpls[tpl].Class, tpls[tpl].Text)
				}
				t.Logf("  event matching no incident: +%v %s %s", e.At.Sub(g.Start()).Truncate(time.Second), e.Kind, desc)
			}
			logNotNew(t, r, tpls, g.Start())

			// PII: the templates a stats report carries (sampler.PatternStats)
			// must not hold an e-mail local part or quoted free text.
			leaks := 0
			for _, ps := range ls.Sampler().PatternStats() {
				if rawValue(ps.Template) {
					leaks++
					t.Logf("  template with a raw value (%d records): %q", ps.Seen, ps.Template)
				}
			}
			type check struct {
				name string
				ok   bool
				got  string
			}
			checks := []check{
				{"pattern ids <= 1.5x templates", float64(r.PatternIDs) <= 1.5*float64(r.Templates), fmt.Sprintf("%d for %d", r.PatternIDs, r.Templates)},
				{"volume reduction >= 90%", r.Reduction() >= 0.90, pct(r.Reduction())},
				{"template coverage", r.Covered == r.Templates, frac(r.Covered, r.Templates)},
				{"ERROR retention", r.ErrorsKept == r.Errors, frac(r.ErrorsKept, r.Errors)},
				{"no e-mail or quoted text in stats templates", leaks == 0, fmt.Sprintf("%d templates", leaks)},
				{"new-pattern events only for new events", r.NewOther == 0, fmt.Sprintf("%d of %d not new", r.NewOther, r.NewEvents)},
			}
			for _, ir := range r.Incidents {
				checks = append(checks, check{ir.Name + " detected", ir.Detected, fmt.Sprint(ir.Detected)})
				if ir.After > 0 {
					checks = append(checks, check{ir.Name + " retention after detection >= 95%", ir.AfterRetention() >= 0.95, frac(ir.AfterKept, ir.After)})
				}
			}
			if prof == loggen.ProfileHoldout {
				assert.LessOrEqual(t, r.NewOther, holdoutNotNew, "holdout: new-pattern events not new (ratchet)")
			}
			for _, c := range checks {
				reason, known := profileGaps[c.name]
				switch {
				case c.ok:
					t.Logf("ok %s: %s", c.name, c.got)
				case known:
					t.Logf("KNOWN GAP %s: %s. %s", c.name, c.got, reason)
				case prof == loggen.ProfileHoldout:
					t.Logf("HOLDOUT MISS %s: %s", c.name, c.got)
				default:
					t.Errorf("target missed: %s: %s", c.name, c.got)
				}
			}
		})
	}
}

// profileGaps lists the targets the free-text profile misses today, with
// the reason; they are logged instead of failing the test.
var profileGaps = map[string]string{}

// holdoutNotNew is the ratchet on the holdout profile's new-pattern events
// that are not new (its other misses are logged). It was one, a rare
// template ("account {fullname} deleted by {user}", two records 12
// minutes apart) whose user name is a single lower-case word, which the
// miner keeps apart as a possible closed set (pattern.MinWordValues) and
// so announced again; a sibling that differs only in such a name (not an
// event word) now shares the known event's origin (pattern.Miner.Origin).
const holdoutNotNew = 0

// rawValue reports whether a template holds an e-mail address with its
// local part or a quoted text of letters.
func rawValue(tmpl string) bool {
	for i := 1; i < len(tmpl); i++ {
		c, prev := tmpl[i], tmpl[i-1]
		if c == '@' && prev != '>' && prev != ' ' {
			return true
		}
		if (prev == '"' || prev == '\'') && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

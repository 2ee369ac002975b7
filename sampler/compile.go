package sampler

import (
	"maps"
	"slices"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// compiled is the immutable snapshot of a validated policy that Decide
// reads through one atomic load.
type compiled struct {
	pol          *policy.Policy // a private clone, for Sampler.Policy
	global       float64
	sev          [policy.NumSeverities]float64
	sevSet       [policy.NumSeverities]bool
	patterns     map[signature.Sig]float64 // nil when empty
	boost        float64
	ceiling      float64 // the valve's ceiling, records per second per pattern
	firstN       uint64
	windowNanos  int64
	exemptLevels uint8 // bit i: severity index i is exempt
	exemptAttrs  []policy.AttrMatch
	target       float64 // kept records per second for the adaptive rule
	dryRun       bool
}

// compile validates p and builds its snapshot. It copies everything it
// keeps, so the caller may change p afterwards.
func compile(p *policy.Policy) (*compiled, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := &compiled{
		pol:         p.Clone(),
		global:      p.Global(),
		boost:       p.AnomalyBoost,
		ceiling:     p.AnomalyCeiling(),
		firstN:      uint64(p.FirstNCount()),
		windowNanos: int64(p.Window()),
		target:      p.TargetPerSecond,
		dryRun:      p.DryRun,
	}
	// ERROR and CRITICAL are kept at 1.0 unless the policy names them.
	for _, i := range []int{3, 4} {
		c.sev[i], c.sevSet[i] = 1, true
	}
	for name, r := range p.SeverityRates {
		i := policy.ParseSeverity(name)
		c.sev[i], c.sevSet[i] = r, true
	}
	if len(p.PatternRates) > 0 {
		c.patterns = maps.Clone(p.PatternRates)
	}
	if e := p.Exempt; e != nil {
		for _, name := range e.Levels {
			c.exemptLevels |= 1 << policy.ParseSeverity(name)
		}
		c.exemptAttrs = slices.Clone(e.Attrs)
	}
	return c, nil
}

// adaptive reports whether the adaptive rule decides the records of
// pattern sig at severity index sev (rules 2, 5 and 6 do not apply to
// them by pattern or level; attribute exemptions are not known here).
func (c *compiled) adaptive(sig signature.Sig, sev int) bool {
	if sev < 0 || sev >= policy.NumSeverities || c.exemptLevels&(1<<sev) != 0 || c.sevSet[sev] {
		return false
	}
	_, ok := c.patterns[sig]
	return !ok
}

// exempt reports whether r matches an exemption; sev is r's severity index.
func (c *compiled) exempt(r *Record, sev int) bool {
	if c.exemptLevels&(1<<sev) != 0 {
		return true
	}
	for i := range c.exemptAttrs {
		m := &c.exemptAttrs[i]
		for j := range r.Attrs {
			a := &r.Attrs[j]
			if a.Key == m.Key && (m.Value == "" || a.Value == m.Value) {
				return true
			}
		}
	}
	return false
}

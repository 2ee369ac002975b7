package sampler

import (
	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// WithPatternMining sets whether records are keyed on learned patterns
// (the default) or on their exact signature.
//
// With mining on, the Sampler owns a pattern.Miner (holding as many
// patterns as [WithMaxPatterns] tracks) that places each new signature into
// a pattern: templates that differ only in variables the normalizer did not
// mask (quoted free text, e-mail addresses, names, lists of variable
// length) share one pattern ID, the signature of the pattern's learned
// template. First-N, rates, the adaptive budget, the valve, [Stats],
// summaries and [Sampler.PatternStats] key on it, and [Decision].Pattern
// reports it ([Decision].Signature keeps the exact signature). A policy's
// pattern_map overrides the miner for the signatures it lists. A pattern ID
// may change while the miner learns a family (see the pattern package);
// the first records of a family may then be counted under the ID of their
// exact template.
//
// With mining off, the pattern ID is the record's signature, as before
// the pattern layer existed, and a policy's pattern_map is ignored.
func WithPatternMining(on bool) Option {
	return optionFunc(func(c *config) { c.noMining = !on })
}

// patternOf returns a record's signature and pattern ID without the cache
// (see sigCache.of).
func patternOf(msg string, attrs []Attr, keys bool, values []string, m *pattern.Miner) (sig, id signature.Sig) {
	sig = signature.Of(msg)
	id = sig
	if m != nil {
		id = m.ID(sig, msg)
	}
	if keys {
		for i := range attrs {
			sig = foldAttr(sig, &attrs[i], values)
			id = foldAttr(id, &attrs[i], values)
		}
	}
	return sig, id
}

// newMiner returns the miner of a Sampler configured by cfg, or nil when
// mining is off.
func newMiner(cfg *config) *pattern.Miner {
	if cfg.noMining || cfg.key != nil {
		return nil
	}
	return pattern.New(pattern.WithMaxPatterns(cfg.maxPatterns))
}

// setMap puts the pattern map of c in force.
func (s *Sampler) setMap(c *compiled) {
	if s.miner != nil {
		s.miner.SetMap(c.pol.PatternMap)
	}
}

// Units after a variable (issue 9): a quantity written with a unit at one
// time and without one, or in another unit, at another is one value for
// grouping.

package cluster

import (
	"strings"

	"github.com/srex-dev/lipservice-go/internal/unitword"
	"github.com/srex-dev/lipservice-go/signature"
)

// A unit word right after a variable token belongs to the variable's value:
// "lifetime <*> sec" and "lifetime <*>" (Proxifier writes "<1 sec" and
// "00:02"), "took <*> ms" and "took <*> s", "<*> bytes sent" and "<*>
// sent" (the normalizer masks "1190 bytes (1.16 KB)" whole, signature SPEC
// §3.1) are one event each. The miner therefore mines the core tokens of a
// plain message, without such unit tokens, and keeps per position of a
// pattern the unit its members had there:
//
//   - a unit token is a unit of signature SPEC §3.1 (data sizes and time),
//     optionally followed by closing punctuation, right after a token that
//     ends in <*> (internal/unitword, which pattern.Miner asks too); it is folded into that token, which keeps the
//     punctuation ("took <*> ms," has the core tokens "took <*>,");
//   - the pattern renders the unit while every member had the same unit
//     there ("took <*> ms", as the corrected Loghub templates write it),
//     and the bare <*> once members differ (a unit and none, or two units).
//
// The normalizer's template, a specified and versioned key, is not
// changed: the rule is the miner's way of comparing templates. A JSON
// object's tokens keep their units (a member's value is one token).

// mixedUnit is the unit state of a position whose members differ: a unit
// and none, or two units. It is no unit word, so it never renders.
const mixedUnit = "*"

// splitUnits folds each unit token of the labelled tokens of a plain
// message (glue nil) into the variable token before it, in place, and
// returns the core tokens and the unit of each (nil when there is none,
// as for every JSON object).
func splitUnits(toks []string, glue []bool) ([]string, []string) {
	if glue != nil {
		return toks, nil
	}
	var units []string
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) && unitword.After(t) {
			if k, ok := unitword.Token(toks[i+1]); ok {
				if units == nil {
					units = make([]string, len(toks))
				}
				units[len(out)] = toks[i+1][:k]
				if k < len(toks[i+1]) {
					t += toks[i+1][k:] // the unit's closing punctuation
				}
				i++
			}
		}
		out = append(out, t)
	}
	if units != nil {
		units = units[:len(out)]
	}
	return out, units
}

// unitSpan returns the number of positions of n that carry a unit: all but
// the last of a tail pattern, whose <*> stands for free text.
func (n *node) unitSpan() int {
	if n.tail {
		return max(len(n.tokens)-1, 0)
	}
	return len(n.tokens)
}

// fitUnits trims n's units to its positions (a tail pattern is shorter
// than the patterns it took) and drops them when every position is bare
// and unmixed.
func (n *node) fitUnits() {
	if n.units == nil {
		return
	}
	span := n.unitSpan()
	if len(n.units) > span {
		n.units = n.units[:span]
	}
	for _, u := range n.units {
		if u != "" {
			return
		}
	}
	n.units = nil
}

// takeUnits merges the units of a message or pattern (units, one per core
// position) into n's: a position keeps its unit while both agree and
// becomes mixed once they differ. It reports whether n's units changed.
func (n *node) takeUnits(units []string) bool {
	span := n.unitSpan()
	changed := false
	for i := 0; i < span; i++ {
		var a, b string
		if i < len(n.units) {
			a = n.units[i]
		}
		if i < len(units) {
			b = units[i]
		}
		if a == b || a == mixedUnit {
			continue
		}
		if n.units == nil || len(n.units) < span {
			u := make([]string, span)
			copy(u, n.units)
			n.units = u
		}
		n.units[i] = mixedUnit
		changed = true
	}
	return changed
}

// noteUnits merges the units of a message into pattern n, which it joined,
// and publishes n's template again when that changes it (a position whose
// unit became mixed renders the bare <*>). m.mu is held for writing.
func (m *Miner) noteUnits(n *node, units []string) {
	if n.takeUnits(units) || n.units != nil && joinTokens(n.rendered(n.tokens), n.glue) != n.template {
		n.setTokens(n.tokens)
	}
}

// rendered returns toks with the unit of each position that has one
// (every member had it) put back after its variable; toks itself when
// none has one.
func (n *node) rendered(toks []string) []string {
	if n.tail {
		return withUnits(toks, n.units, len(toks)-1)
	}
	return withUnits(toks, n.units, len(toks))
}

// withUnits returns toks with units[i] put back after the variable of
// token i, for i < span, where it is a unit word; toks itself when units
// is nil.
func withUnits(toks, units []string, span int) []string {
	if units == nil {
		return toks
	}
	out := make([]string, 0, len(toks)+len(units))
	for i, t := range toks {
		u := ""
		if i < len(units) && i < span {
			u = units[i]
		}
		if u == "" || u == mixedUnit {
			out = append(out, t)
			continue
		}
		k := strings.LastIndex(t, signature.Wildcard)
		if k < 0 {
			// The position became a constant again: impossible, as
			// tokens only generalize, but render it bare.
			out = append(out, t)
			continue
		}
		k += len(signature.Wildcard)
		out = append(out, t[:k], u+t[k:])
	}
	return out
}

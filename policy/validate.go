package policy

import (
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/srex-dev/lipservice-go/signature"
)

// Validate reports whether p can be put in force. It returns nil or a
// *[ValidationError] naming the first invalid field, checked in this order:
// signature_version (0 or [signature.Version]),
// global_rate, severity_rates (by name), pattern_rates (by signature),
// pattern_map (by signature), anomaly_boost, anomaly_max_per_second, first_n,
// window_seconds, exempt, target_per_second. It
// rejects NaN and infinite numbers, rates outside [0, 1], unknown severity
// names and more entries than the documented limits. A nil policy is
// invalid.
func (p *Policy) Validate() error {
	if p == nil {
		return invalid("policy", "nil policy")
	}
	if v := p.SignatureVersion; v != 0 && v != signature.Version {
		return invalid("signature_version", "policy made for signature version "+strconv.Itoa(v)+
			", this SDK computes version "+strconv.Itoa(signature.Version)+": its pattern keys would match nothing")
	}
	if p.GlobalRate != nil {
		if err := checkRate("global_rate", *p.GlobalRate); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.SeverityRates)) {
		field := "severity_rates[" + name + "]"
		if ParseSeverity(name) < 0 {
			return invalid(field, "unknown severity name (want DEBUG, INFO, WARNING, ERROR or CRITICAL)")
		}
		if err := checkRate(field, p.SeverityRates[name]); err != nil {
			return err
		}
	}
	if len(p.PatternRates) > MaxPatternRates {
		return invalid("pattern_rates", "more than "+strconv.Itoa(MaxPatternRates)+" entries")
	}
	for _, sig := range slices.Sorted(maps.Keys(p.PatternRates)) {
		if err := checkRate("pattern_rates["+sig.String()+"]", p.PatternRates[sig]); err != nil {
			return err
		}
	}
	if len(p.PatternMap) > MaxPatternMap {
		return invalid("pattern_map", "more than "+strconv.Itoa(MaxPatternMap)+" entries")
	}
	for _, sig := range slices.Sorted(maps.Keys(p.PatternMap)) {
		id := p.PatternMap[sig]
		if to, ok := p.PatternMap[id]; ok && to != id {
			return invalid("pattern_map["+sig.String()+"]", "maps to "+id.String()+", which is mapped to "+to.String()+" (no chains)")
		}
	}
	if b := p.AnomalyBoost; math.IsNaN(b) || math.IsInf(b, 0) {
		return invalid("anomaly_boost", "not a finite number")
	} else if b != 0 && b < 1 {
		return invalid("anomaly_boost", "must be 0 (no boost) or at least 1")
	}
	if m := p.AnomalyMaxPerSecond; math.IsNaN(m) || math.IsInf(m, 0) {
		return invalid("anomaly_max_per_second", "not a finite number")
	} else if m < 0 {
		return invalid("anomaly_max_per_second", "negative")
	}
	if p.FirstN != nil && *p.FirstN < 0 {
		return invalid("first_n", "negative")
	}
	if w := p.WindowSeconds; math.IsNaN(w) || math.IsInf(w, 0) {
		return invalid("window_seconds", "not a finite number")
	} else if w != 0 && (w < MinWindow.Seconds() || w > MaxWindow.Seconds()) {
		return invalid("window_seconds", "must be 0 (default) or between "+MinWindow.String()+" and "+MaxWindow.String())
	}
	if e := p.Exempt; e != nil {
		for i, name := range e.Levels {
			if ParseSeverity(name) < 0 {
				return invalid("exempt.levels["+strconv.Itoa(i)+"]", "unknown severity name "+strconv.Quote(name))
			}
		}
		if len(e.Attrs) > MaxAttrMatches {
			return invalid("exempt.attrs", "more than "+strconv.Itoa(MaxAttrMatches)+" entries")
		}
		for i, m := range e.Attrs {
			if m.Key == "" {
				return invalid("exempt.attrs["+strconv.Itoa(i)+"].key", "empty")
			}
		}
	}
	if t := p.TargetPerSecond; math.IsNaN(t) || math.IsInf(t, 0) {
		return invalid("target_per_second", "not a finite number")
	} else if t < 0 {
		return invalid("target_per_second", "negative")
	}
	return nil
}

func checkRate(field string, r float64) error {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return invalid(field, "not a finite number")
	case r < 0 || r > 1:
		return invalid(field, "rate "+strconv.FormatFloat(r, 'g', -1, 64)+" outside [0, 1]")
	}
	return nil
}

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

package generate

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/signature"
)

// Author is the [policy.Policy.GeneratedBy] value of policies made by
// [Policy].
const Author = "lipservice-go:generator"

// DefaultMinRate is the smallest rate [Policy] assigns when
// [Input.MinRate] is zero: even the chattiest pattern keeps one
// record in a thousand, so its volume stays measurable.
const DefaultMinRate = 0.001

// ErrNoTarget is returned by [Policy] when the input names no target.
var ErrNoTarget = errors.New("policy: generate: no target (set KeepFraction, RecordsPerSecond or BytesPerSecond)")

// Target says how much of the volume a generated policy should keep. Exactly
// one field should be set; when several are, the first non-zero of
// KeepFraction, RecordsPerSecond, BytesPerSecond wins. The zero Target is
// invalid ([ErrNoTarget]).
type Target struct {
	// KeepFraction is the kept share of the records, in (0, 1].
	KeepFraction float64 `json:"keep_fraction,omitempty"`
	// RecordsPerSecond is the kept records per second (needs
	// Input.Window).
	RecordsPerSecond float64 `json:"records_per_second,omitempty"`
	// BytesPerSecond is the kept bytes per second (needs
	// Input.Window and PatternVolume.Bytes).
	BytesPerSecond float64 `json:"bytes_per_second,omitempty"`
}

// PatternVolume is what [Policy] knows about one pattern: its volume over
// the input window, its level mix, and whether it is new or anomalous.
type PatternVolume struct {
	Pattern  signature.Sig
	Template string
	// Count is the number of records in the window.
	Count uint64
	// Bytes is the size of those records; zero means unknown (then each
	// record counts as one byte for a BytesPerSecond target).
	Bytes uint64
	// Levels is the level mix of the Count records.
	Levels policy.LevelCounts
	// New marks a pattern first seen recently; Anomalous one whose rate
	// spiked. Both are exempt: kept at rate 1.
	New, Anomalous bool
	// Reserved is the number of the Count records that another rule of the
	// sampler keeps whatever the pattern's rate: the records for which the
	// anomaly valve is open, as a replay of the input through a sampler
	// measures them (see the analyze package). They are charged to the
	// budget first, like exempt patterns, and the rate applies to the
	// other Count−Reserved records. Zero means none; a value above Count
	// is read as Count.
	Reserved uint64
}

// Input is the input of [Policy].
type Input struct {
	// Patterns are the patterns to allocate rates to. Policy does not
	// modify the slice. Duplicated signatures are summed.
	Patterns []PatternVolume
	// Window is the period the counts cover. It turns per-second targets
	// into budgets and appears in the reasoning; it may be zero for a
	// KeepFraction target.
	Window time.Duration
	// Target is the volume to keep.
	Target Target
	// MinRate is the lowest rate assigned to any pattern, in (0, 1]. Zero
	// means [DefaultMinRate]. A floor can make the target unreachable; the
	// projection then says so.
	MinRate float64
	// Version is copied into the policy.
	Version int64
}

// PatternRate is the rate [Policy] assigned to one pattern, with the
// projected kept records and a one-line reason.
type PatternRate struct {
	Pattern  signature.Sig `json:"signature"`
	Template string        `json:"template,omitempty"`
	Count    uint64        `json:"count"`
	Rate     float64       `json:"rate"`
	Kept     float64       `json:"projected_kept"`
	Reason   string        `json:"reason"`
}

// Result is the output of [Policy].
type Result struct {
	// Policy is the generated policy; it passes [policy.Policy.Validate].
	Policy *policy.Policy `json:"policy"`
	// Rates has one entry per distinct input pattern, largest Count first
	// (ties by signature).
	Rates []PatternRate `json:"rates"`
	// Level is the water level τ in records (see [Policy]); 0 when no
	// pattern is cut.
	Level float64 `json:"level"`
	// Total and Kept are the records in the window and the projected kept
	// records; TotalBytes and KeptBytes the same in bytes (records when
	// sizes are unknown).
	Total      float64 `json:"total"`
	Kept       float64 `json:"projected_kept"`
	TotalBytes float64 `json:"total_bytes"`
	KeptBytes  float64 `json:"projected_kept_bytes"`
	// KeptFraction is Kept/Total and Savings 1-KeptFraction (0 and 0 for
	// empty input).
	KeptFraction float64 `json:"projected_kept_fraction"`
	Savings      float64 `json:"projected_savings"`
	// Reachable is false when the exempt patterns and the reserved
	// records alone, or the rate floor, exceed the budget.
	Reachable bool `json:"reachable"`
	// Reserved is the cost of the Reserved records of the non-exempt
	// patterns (records; bytes for a BytesPerSecond target), charged to
	// the budget before the rates.
	Reserved float64 `json:"reserved,omitempty"`
}

// Policy computes per-pattern rates that bring the kept volume to the
// target while keeping every pattern visible. It is deterministic: the same
// input gives the same output, whatever the order of in.Patterns.
//
// Exempt patterns are kept in full (rate 1): anomalous ones, those with any
// ERROR or CRITICAL record, and new ones (checked in that order for the
// reason). Their records are charged to the budget first, and so are the
// Reserved records of the other patterns (kept by the anomaly valve
// whatever the rate), so that the policy reaches the target with the valve
// open where it opens. The remaining budget R (in records; in bytes for a BytesPerSecond target, with each
// pattern weighted by its mean record size b = Bytes/Count) is shared out by
// water-filling with a logarithmic ceiling: for a water level τ a pattern
// with c records keeps
//
//	k(c, τ) = c                                  if c ≤ τ   (rare: kept in full)
//	k(c, τ) = max(m·c, τ·(1 + ln(c/τ)))          if c > τ   (chatty: carries the cut)
//
// where c is the pattern's Count less its Reserved records, m is MinRate, and τ is the unique level with Σ b·k(c, τ) = R, found
// by 200 steps of bisection on [0, max c]. k is continuous and
// non-decreasing in τ, and k ≤ c. The logarithm keeps the order of the
// chatty patterns (a pattern 10× louder keeps 1 + ln 10 ≈ 3.3× more records
// at the same level, as in Honeycomb's dynsampler) while most of their volume
// is cut. The rate of a pattern is k/c.
//
// When R covers every non-exempt record, every rate is 1. When R is at or
// below the floor Σ b·m·c (or negative because exempt and reserved records
// exceed the budget), every non-exempt pattern gets rate m and Reachable
// is false. A pattern's projected Kept is its Reserved records plus k.
//
// The policy keeps ERROR and CRITICAL through an exemption, lists only
// rates below 1 in pattern_rates (patterns not listed, including patterns
// that appear later, fall through to the global rate 1), and explains the
// allocation in Reasoning.
func Policy(in Input) (*Result, error) {
	m := in.MinRate
	if m == 0 {
		m = DefaultMinRate
	}
	if math.IsNaN(m) || m <= 0 || m > 1 {
		return nil, fmt.Errorf("policy: generate: min rate %v outside (0, 1]", m)
	}
	ps := mergePatterns(in.Patterns)
	g := &Result{Rates: make([]PatternRate, len(ps)), Reachable: true}
	bytesTarget := false
	for _, p := range ps {
		g.Total += float64(p.Count)
		g.TotalBytes += bytesOf(p)
	}
	var budget float64
	secs := in.Window.Seconds()
	t := in.Target
	switch {
	case t.KeepFraction != 0:
		if !(t.KeepFraction > 0 && t.KeepFraction <= 1) {
			return nil, fmt.Errorf("policy: generate: keep fraction %v outside (0, 1]", t.KeepFraction)
		}
		budget = t.KeepFraction * g.Total
	case t.RecordsPerSecond != 0 || t.BytesPerSecond != 0:
		if secs <= 0 {
			return nil, errors.New("policy: generate: a per-second target needs a positive window")
		}
		perSec := t.RecordsPerSecond
		if perSec == 0 {
			perSec, bytesTarget = t.BytesPerSecond, true
		}
		if !(perSec > 0) || math.IsInf(perSec, 0) {
			return nil, fmt.Errorf("policy: generate: per-second target %v is not a positive number", perSec)
		}
		budget = perSec * secs
	default:
		return nil, ErrNoTarget
	}

	// weight is what one kept record of p costs against the budget.
	weight := func(p *PatternVolume) float64 {
		if bytesTarget && p.Count > 0 {
			return bytesOf(*p) / float64(p.Count)
		}
		return 1
	}
	var exemptCost, reservedCost, cuttableCost, floorCost, maxCount float64
	var nErr, nNew, nAnom int
	cut := make([]bool, len(ps))
	for i := range ps {
		p := &ps[i]
		c := float64(p.Count)
		r := &g.Rates[i]
		*r = PatternRate{Pattern: p.Pattern, Template: p.Template, Count: p.Count, Rate: 1, Kept: c}
		switch {
		case p.Anomalous:
			r.Reason, nAnom = "anomalous: kept in full while the anomaly lasts", nAnom+1
		case p.Levels.Error+p.Levels.Critical > 0:
			r.Reason, nErr = "has ERROR/CRITICAL records ("+fmtCount(float64(p.Levels.Error+p.Levels.Critical))+"): kept in full", nErr+1
		case p.New:
			r.Reason, nNew = "new pattern: kept in full for now", nNew+1
		default:
			cut[i] = true
			res := float64(min(p.Reserved, p.Count))
			reservedCost += weight(p) * res
			c -= res
			cuttableCost += weight(p) * c
			floorCost += weight(p) * m * c
			maxCount = max(maxCount, c)
			continue
		}
		exemptCost += weight(p) * c
	}
	rest := budget - exemptCost - reservedCost
	g.Reserved = reservedCost
	cost := func(tau float64) float64 {
		var sum float64
		for i := range ps {
			if cut[i] {
				sum += weight(&ps[i]) * keep(rated(&ps[i]), tau, m)
			}
		}
		return sum
	}
	var tau float64
	nCut, nRare := 0, 0
	switch {
	case rest >= cuttableCost:
		tau = 0 // nothing to cut
	case rest <= floorCost:
		g.Reachable = false
		tau = 0 // every cuttable pattern at the floor
	default:
		lo, hi := 0.0, maxCount
		for range 200 {
			mid := (lo + hi) / 2
			if cost(mid) < rest {
				lo = mid
			} else {
				hi = mid
			}
		}
		tau = (lo + hi) / 2
	}
	g.Level = tau
	for i := range ps {
		if !cut[i] {
			continue
		}
		c := rated(&ps[i])
		res := float64(ps[i].Count) - c
		r := &g.Rates[i]
		switch {
		case rest >= cuttableCost:
			r.Reason = "under target: kept in full"
			nRare++
		case !g.Reachable:
			r.Rate, r.Kept = m, res+m*c
			r.Reason = "target below the rate floor: kept at the minimum rate " + fmtRate(m)
			nCut++
		case c <= tau:
			r.Reason = "rare: " + fmtCount(c) + " records, under the level " + fmtCount(tau) + ": kept in full"
			nRare++
		default:
			k := keep(c, tau, m)
			r.Rate, r.Kept = k/c, res+k
			if k == m*c {
				r.Reason = "chatty: " + fmtCount(c) + " records, kept at the minimum rate " + fmtRate(m)
			} else {
				r.Reason = "chatty: " + fmtCount(c) + " records, keeps " + fmtCount(k) + " = level·(1+ln(count/level)) at level " + fmtCount(tau)
			}
			nCut++
		}
		if res > 0 {
			r.Reason += "; " + fmtCount(res) + " more kept by the anomaly valve"
		}
	}
	g.Kept, g.KeptBytes = 0, 0
	for i, r := range g.Rates {
		g.Kept += r.Kept
		g.KeptBytes += r.Kept * weightBytes(ps[i])
	}
	if g.Total > 0 {
		g.KeptFraction = g.Kept / g.Total
		g.Savings = 1 - g.KeptFraction
	}

	pol := &policy.Policy{
		Version:      in.Version,
		GlobalRate:   new(1.0),
		GeneratedBy:  Author,
		Exempt:       &policy.Exemptions{Levels: []string{policy.SeverityError, policy.SeverityCritical}},
		PatternRates: make(map[signature.Sig]float64),
	}
	for _, r := range g.Rates {
		if r.Rate < 1 {
			pol.PatternRates[r.Pattern] = r.Rate
		}
	}
	pol.Reasoning = g.reasoning(in, budget, bytesTarget, nErr, nNew, nAnom, nRare, nCut)
	g.Policy = pol
	return g, nil
}

// rated returns the records of p its rate applies to: Count less Reserved.
func rated(p *PatternVolume) float64 {
	return float64(p.Count - min(p.Reserved, p.Count))
}

// keep is k(c, τ) of [Policy].
func keep(c, tau, m float64) float64 {
	if c <= tau {
		return c
	}
	if tau <= 0 {
		return m * c
	}
	return max(m*c, tau*(1+math.Log(c/tau)))
}

func bytesOf(p PatternVolume) float64 {
	if p.Bytes == 0 {
		return float64(p.Count)
	}
	return float64(p.Bytes)
}

func weightBytes(p PatternVolume) float64 {
	if p.Count == 0 {
		return 0
	}
	return bytesOf(p) / float64(p.Count)
}

// mergePatterns returns a sorted copy of ps with duplicate signatures
// summed: largest Count first, ties by signature.
func mergePatterns(ps []PatternVolume) []PatternVolume {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b PatternVolume) int { return cmp.Compare(a.Pattern, b.Pattern) })
	n := 0
	for i, p := range out {
		if n > 0 && out[n-1].Pattern == p.Pattern {
			q := &out[n-1]
			q.Count += p.Count
			q.Bytes += p.Bytes
			q.Levels = q.Levels.Add(p.Levels)
			q.New = q.New || p.New
			q.Anomalous = q.Anomalous || p.Anomalous
			q.Reserved += p.Reserved
			if q.Template == "" {
				q.Template = p.Template
			}
			continue
		}
		out[n] = out[i]
		n++
	}
	out = out[:n]
	slices.SortStableFunc(out, func(a, b PatternVolume) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Pattern, b.Pattern)
	})
	return out
}

func (g *Result) reasoning(in Input, budget float64, bytesTarget bool, nErr, nNew, nAnom, nRare, nCut int) string {
	var b strings.Builder
	b.WriteString("Generated from " + strconv.Itoa(len(g.Rates)) + " patterns, " + fmtCount(g.Total) + " records")
	if in.Window > 0 {
		b.WriteString(" over " + in.Window.String())
	}
	b.WriteString("; target: ")
	switch {
	case in.Target.KeepFraction != 0:
		b.WriteString("keep " + fmtPercent(in.Target.KeepFraction) + " (" + fmtCount(budget) + " records)")
	case bytesTarget:
		b.WriteString(fmtCount(in.Target.BytesPerSecond) + " bytes/s (" + fmtCount(budget) + " bytes)")
	default:
		b.WriteString(fmtCount(in.Target.RecordsPerSecond) + " records/s (" + fmtCount(budget) + " records)")
	}
	b.WriteString(". Kept in full: " + strconv.Itoa(nErr) + " with errors, " + strconv.Itoa(nAnom) + " anomalous, " +
		strconv.Itoa(nNew) + " new, " + strconv.Itoa(nRare) + " rare. ")
	if g.Reserved > 0 {
		b.WriteString("Charged first: " + fmtCount(g.Reserved))
		if bytesTarget {
			b.WriteString(" bytes")
		} else {
			b.WriteString(" records")
		}
		b.WriteString(" the anomaly valve keeps. ")
	}
	if nCut > 0 {
		b.WriteString(strconv.Itoa(nCut) + " chatty patterns carry the cut")
		if g.Reachable {
			b.WriteString(" (level " + fmtCount(g.Level) + " records)")
		}
		b.WriteString(". ")
	}
	b.WriteString("Projected: keep " + fmtCount(g.Kept) + " records (" + fmtPercent(g.KeptFraction) + "), savings " + fmtPercent(g.Savings) + ".")
	if !g.Reachable {
		if g.Reserved > 0 {
			b.WriteString(" Target not reachable: exempt records, the records the anomaly valve keeps or the minimum rate " + fmtRate(in.MinRate) + " exceed it.")
		} else {
			b.WriteString(" Target not reachable: exempt records or the minimum rate " + fmtRate(in.MinRate) + " exceed it.")
		}
	}
	return b.String()
}

// fmtCount formats a record count: whole numbers (and sums within
// floating-point error of one) without decimals, others with one.
func fmtCount(v float64) string {
	if r := math.Round(v); math.Abs(v-r) <= 1e-9*max(1, math.Abs(v)) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func fmtRate(r float64) string {
	if r == 0 {
		r = DefaultMinRate
	}
	return strconv.FormatFloat(r, 'g', 4, 64)
}

func fmtPercent(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + " %" }

package policy

import (
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// Severity names, the keys of [Policy.SeverityRates] and the values of
// [Exemptions.Levels]. They are the LipService server's names.
const (
	SeverityDebug    = "DEBUG"
	SeverityInfo     = "INFO"
	SeverityWarning  = "WARNING"
	SeverityError    = "ERROR"
	SeverityCritical = "CRITICAL"
)

// Defaults of the extension fields, used when a policy leaves them unset.
const (
	// DefaultFirstN is the number of records of each pattern kept in full
	// in each window when [Policy.FirstN] is nil.
	DefaultFirstN = 10
	// DefaultWindow is the window used when [Policy.WindowSeconds] is 0.
	DefaultWindow = 10 * time.Second
	// DefaultAnomalyMaxPerSecond is the valve ceiling used when
	// [Policy.AnomalyMaxPerSecond] is 0: while the anomaly valve is open
	// for a pattern, the sampler keeps at most about this many of the
	// pattern's records per second. It is high enough that an incident a
	// person reads line by line (an error surge, retries, a 20x spike of a
	// pattern logging a few per second: tens to hundreds of lines per
	// second) is kept whole, and low enough that a hot loop (10^5 to 10^6
	// records per second) is cut by two orders of magnitude or more.
	DefaultAnomalyMaxPerSecond = 1000
)

// Limits enforced by [Policy.Validate]. They bound the memory a policy from
// the network can make the sampler allocate, and the per-record cost of
// exemption matching.
const (
	// MaxPatternRates is the largest number of entries in
	// [Policy.PatternRates].
	MaxPatternRates = 1 << 16
	// MaxPatternMap is the largest number of entries in
	// [Policy.PatternMap].
	MaxPatternMap = 1 << 16
	// MaxAttrMatches is the largest number of entries in [Exemptions.Attrs].
	MaxAttrMatches = 32
	// MaxWindow is the longest window; MinWindow the shortest non-zero one.
	MaxWindow = 24 * time.Hour
	// MinWindow is the shortest window a policy may set.
	MinWindow = time.Millisecond
)

// Policy is a sampling policy for one service: the document a LipService
// server serves, plus the extensions of this SDK. Its JSON form is described
// in the package documentation.
//
// A Policy is plain data and is not safe for concurrent mutation. The sampler
// copies what it needs when a policy is put in force, so a Policy may be
// reused or changed afterwards without affecting the sampler.
//
// The zero Policy is valid and keeps every record (global rate 1.0) with the
// default first-N bookkeeping; optional fields are pointers so that an
// explicit 0 is distinguishable from "absent" (write new(0.1) in Go 1.26).
type Policy struct {
	// Version is the server's monotonically increasing policy version.
	// The sampler does not interpret it; the control-plane client uses it to
	// refuse older policies.
	Version int64 `json:"version"`

	// GlobalRate is the keep probability in [0, 1] for records that no other
	// rule decides. Nil (absent) means 1.0.
	GlobalRate *float64 `json:"global_rate,omitempty"`

	// SeverityRates maps a severity name (DEBUG, INFO, WARNING, ERROR,
	// CRITICAL) to a keep probability in [0, 1]. A level without an entry
	// falls through to the next rule, except ERROR and CRITICAL, which are
	// kept at 1.0 unless named here. See [SeverityOf] for the mapping from
	// slog levels.
	SeverityRates map[string]float64 `json:"severity_rates,omitempty"`

	// PatternRates maps a pattern signature to a keep probability in [0, 1].
	// It takes precedence over the severity and global rates. In JSON a key
	// is the 16-hex-digit form of the signature. At most [MaxPatternRates]
	// entries.
	PatternRates map[signature.Sig]float64 `json:"pattern_rates,omitempty"`

	// PatternMap maps an exact message signature (signature.Of) to the
	// pattern ID it belongs to, overriding what the sampler's local pattern
	// miner learned (see the pattern package). A server computes it from
	// the fleet's statistics so that every process, and the policy's
	// PatternRates, agree on pattern IDs. A pattern ID must not itself be
	// mapped to another ID (no chains). In JSON keys and values are
	// 16-hex-digit signatures. At most [MaxPatternMap] entries.
	PatternMap map[signature.Sig]signature.Sig `json:"pattern_map,omitempty"`

	// AnomalyBoost multiplies the rate of a record for which the anomaly
	// valve is open: it is kept at min(1, rate*AnomalyBoost). Zero means no
	// boost factor: such records are kept at rate 1.0. Otherwise it must be
	// finite and at least 1.
	AnomalyBoost float64 `json:"anomaly_boost,omitempty"`

	// AnomalyMaxPerSecond is the valve ceiling, in records per second per
	// pattern: while the valve is open for a pattern, its records are kept
	// at min(1, rate*AnomalyBoost, AnomalyMaxPerSecond/λ), where λ is the
	// pattern's estimated records per second, but never below the rate
	// the other rules give (so ERROR records and other records at rate 1
	// stay kept). Zero means [DefaultAnomalyMaxPerSecond]; otherwise it
	// must be finite and positive.
	AnomalyMaxPerSecond float64 `json:"anomaly_max_per_second,omitempty"`

	// Reasoning is the server's human-readable explanation of the policy.
	Reasoning string `json:"reasoning,omitempty"`
	// GeneratedBy names what produced the policy (a generator, a person).
	GeneratedBy string `json:"generated_by,omitempty"`
	// LLMModel names the language model that helped generate the policy,
	// if any.
	LLMModel string `json:"llm_model,omitempty"`

	// FirstN is the number of records of each pattern kept in full (rate
	// 1.0) in each window, before any rate applies, so that every pattern
	// stays visible. Nil means [DefaultFirstN]; 0 turns the rule off.
	FirstN *int `json:"first_n,omitempty"`

	// WindowSeconds is the length of the sampler's window, in seconds: the
	// period over which first-N counts reset, adaptive rates are
	// recomputed and summaries are emitted. Zero means [DefaultWindow].
	WindowSeconds float64 `json:"window_seconds,omitempty"`

	// Exempt lists records that are always kept at rate 1.0. Nil means no
	// exemptions.
	Exempt *Exemptions `json:"exempt,omitempty"`

	// TargetPerSecond turns on adaptive sampling: per-pattern rates are
	// recomputed every window so that the records decided by the adaptive
	// rule total about TargetPerSecond per second, with rare patterns kept
	// near 1.0 and chatty ones carrying the cut (a logarithmic allocation,
	// as in Honeycomb's dynsampler). Zero turns adaptive sampling off.
	TargetPerSecond float64 `json:"target_per_second,omitempty"`

	// DryRun makes the sampler decide and count as usual but keep every
	// record, so that a policy can be tried on live traffic.
	DryRun bool `json:"dry_run,omitempty"`

	// SignatureVersion is the signature algorithm version
	// ([signature.Version]) that the policy's pattern_rates and pattern_map
	// keys were computed with. Zero means unstated (a policy written by
	// hand or by an older server) and is accepted; any other value must
	// equal [signature.Version], or [Policy.Validate] rejects the policy,
	// because its keys would silently match no record.
	SignatureVersion int `json:"signature_version,omitempty"`
}

// Exemptions lists the records a policy always keeps.
// The zero value exempts nothing.
type Exemptions struct {
	// Levels are severity names whose records are always kept.
	Levels []string `json:"levels,omitempty"`
	// Attrs exempts a record that has any of these attributes.
	// At most [MaxAttrMatches] entries.
	Attrs []AttrMatch `json:"attrs,omitempty"`
}

// AttrMatch matches a record attribute by key and, optionally, string value.
type AttrMatch struct {
	// Key is the attribute key; it must not be empty.
	Key string `json:"key"`
	// Value, when not empty, must equal the attribute's string value.
	// Empty matches any value (the key's presence).
	Value string `json:"value,omitempty"`
}

// SeverityOf returns the severity name of an slog level:
//
//	level <  INFO (0)   DEBUG
//	level <  WARN (4)   INFO
//	level <  ERROR (8)  WARNING
//	level <  12         ERROR
//	otherwise           CRITICAL
//
// OTel severities map to slog levels as slog.Level(severity-9), so OTel
// FATAL (21-24) is CRITICAL.
func SeverityOf(l slog.Level) string {
	return severityNames[SeverityIndex(l)]
}

// SeverityIndex returns the index of l's severity in the order DEBUG, INFO,
// WARNING, ERROR, CRITICAL (0 to 4), using the mapping of [SeverityOf].
func SeverityIndex(l slog.Level) int {
	switch {
	case l < slog.LevelInfo:
		return 0
	case l < slog.LevelWarn:
		return 1
	case l < slog.LevelError:
		return 2
	case l < slog.LevelError+4:
		return 3
	default:
		return 4
	}
}

// NumSeverities is the number of severity names.
const NumSeverities = 5

var severityNames = [NumSeverities]string{SeverityDebug, SeverityInfo, SeverityWarning, SeverityError, SeverityCritical}

// SeverityName returns the name of the severity with index i (see
// [SeverityIndex]), or "" when i is out of range.
func SeverityName(i int) string {
	if i < 0 || i >= NumSeverities {
		return ""
	}
	return severityNames[i]
}

// ParseSeverity returns the index of a severity name (exact, upper case), or
// -1 when the name is not one of the five.
func ParseSeverity(name string) int {
	for i, n := range severityNames {
		if n == name {
			return i
		}
	}
	return -1
}

// Global returns the effective global rate: *GlobalRate, or 1 when nil.
func (p *Policy) Global() float64 {
	if p.GlobalRate == nil {
		return 1
	}
	return *p.GlobalRate
}

// FirstNCount returns the effective first-N count: *FirstN, or
// [DefaultFirstN] when nil.
func (p *Policy) FirstNCount() int {
	if p.FirstN == nil {
		return DefaultFirstN
	}
	return *p.FirstN
}

// AnomalyCeiling returns the effective valve ceiling in records per second
// per pattern: AnomalyMaxPerSecond, or [DefaultAnomalyMaxPerSecond] when it
// is 0.
func (p *Policy) AnomalyCeiling() float64 {
	if p.AnomalyMaxPerSecond == 0 {
		return DefaultAnomalyMaxPerSecond
	}
	return p.AnomalyMaxPerSecond
}

// Window returns the effective window: WindowSeconds as a duration, or
// [DefaultWindow] when it is 0.
func (p *Policy) Window() time.Duration {
	if p.WindowSeconds == 0 {
		return DefaultWindow
	}
	return time.Duration(p.WindowSeconds * float64(time.Second))
}

// Clone returns a deep copy of p. Clone of nil is nil.
func (p *Policy) Clone() *Policy {
	if p == nil {
		return nil
	}
	c := *p
	if p.GlobalRate != nil {
		c.GlobalRate = new(*p.GlobalRate)
	}
	if p.FirstN != nil {
		c.FirstN = new(*p.FirstN)
	}
	c.SeverityRates = maps.Clone(p.SeverityRates)
	c.PatternRates = maps.Clone(p.PatternRates)
	c.PatternMap = maps.Clone(p.PatternMap)
	if p.Exempt != nil {
		e := Exemptions{Levels: slices.Clone(p.Exempt.Levels), Attrs: slices.Clone(p.Exempt.Attrs)}
		c.Exempt = &e
	}
	return &c
}

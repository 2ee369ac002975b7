package sampler

import (
	"strconv"

	"github.com/srex-dev/lipservice-go/signature"
)

// Decision is the outcome of [Sampler.Decide] for one record.
type Decision struct {
	// Keep reports whether the record should be written.
	Keep bool
	// Rate is the effective keep probability in [0, 1] that applied to the
	// record: a kept record stands for 1/Rate records of its pattern. It is
	// never 0 for a kept record (0 means a rule that drops everything).
	Rate float64
	// Pattern is the record's pattern ID: the ID of the learned pattern its
	// signature belongs to (see [WithPatternMining]), folded with the
	// attribute keys when [WithAttrKeys] is on. Counters, rates and the
	// valve key on it.
	Pattern signature.Sig
	// Signature is the exact signature of the record's template (and
	// attribute keys): signature.Of(message), folded like Pattern. It
	// equals Pattern for a template the miner did not merge. It is 0 under
	// the kill switch and for a nil record, like Pattern.
	Signature signature.Sig
	// Reason says which rule decided.
	Reason Reason
	// DryRun reports that the policy in force is a dry run: Keep is true
	// and Rate is 1 whatever the rules decided, Reason names the rule that
	// decided, and WouldDrop says whether it would have dropped the record.
	// Stats count what the rules decided.
	DryRun bool
	// WouldDrop reports, in dry-run mode, that the rules would have dropped
	// the record. It is false outside dry-run mode.
	WouldDrop bool
}

// Reason says which rule produced a [Decision]. More reasons may be added.
type Reason uint8

// The reasons, in the order in which [Sampler.Decide] applies the rules.
const (
	// ReasonUnknown is the zero Reason; Decide never returns it.
	ReasonUnknown Reason = iota
	// ReasonDisabled: the kill switch is on ([Sampler.Disable]); every
	// record is kept at rate 1 and no rule runs.
	ReasonDisabled
	// ReasonError: the sampler hit internal trouble (a panicking Valve) and
	// failed open: the record is kept at rate 1 and the error is counted.
	ReasonError
	// ReasonExempt: the record matched one of the policy's exemptions.
	ReasonExempt
	// ReasonFirstN: the record is among the first N of its pattern in the
	// current window.
	ReasonFirstN
	// ReasonAnomaly: the anomaly valve was open for the record.
	ReasonAnomaly
	// ReasonPattern: the policy's rate for the record's pattern applied.
	ReasonPattern
	// ReasonSeverity: the policy's rate for the record's severity applied
	// (including the implicit 1.0 of ERROR and CRITICAL).
	ReasonSeverity
	// ReasonAdaptive: the adaptive per-pattern rate applied.
	ReasonAdaptive
	// ReasonGlobal: the policy's global rate applied.
	ReasonGlobal

	numReasons
)

var reasonNames = [numReasons]string{
	ReasonUnknown:  "unknown",
	ReasonDisabled: "disabled",
	ReasonError:    "error",
	ReasonExempt:   "exempt",
	ReasonFirstN:   "first_n",
	ReasonAnomaly:  "anomaly",
	ReasonPattern:  "pattern",
	ReasonSeverity: "severity",
	ReasonAdaptive: "adaptive",
	ReasonGlobal:   "global",
}

// String returns the reason's snake_case name ("first_n", "pattern", ...),
// the form used in JSON output, or "reason(N)" for an unknown value.
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

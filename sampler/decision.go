package sampler

import "github.com/srex-dev/lipservice-go/signature"

// Decision is the outcome of [Sampler.Decide] for one record.
type Decision struct {
	// Keep reports whether the record should be written.
	Keep bool
	// Rate is the effective keep probability in (0, 1] that applied to the
	// record: a kept record stands for 1/Rate records of its pattern.
	Rate float64
	// Pattern is the signature of the record's template (and attribute keys).
	Pattern signature.Sig
	// Reason says which rule decided.
	Reason Reason
}

// Reason says which rule produced a [Decision]. More reasons may be added.
type Reason uint8

package policy

import (
	"errors"
	"strings"
)

// ErrInvalidPolicy is matched (with errors.Is) by every error that rejects a
// policy: a malformed document, a failed validation, an unreadable file's
// content. It is never returned for I/O errors (a missing file), which are
// returned wrapped as they are.
var ErrInvalidPolicy = errors.New("policy: invalid policy")

// ValidationError reports the first field of a [Policy] that is invalid.
// Read it with errors.As; it matches [ErrInvalidPolicy] with errors.Is.
type ValidationError struct {
	// Field is the JSON path of the offending field, for example
	// "global_rate", "severity_rates[TRACE]" or
	// "pattern_rates[00000000000000zz]".
	Field string
	// Reason says what is wrong with it, in lower case.
	Reason string
}

// Error returns "policy: invalid <field>: <reason>".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("policy: invalid ")
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Is reports whether target is [ErrInvalidPolicy].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidPolicy }

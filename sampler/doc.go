// Package sampler makes the hot-path keep/drop decision for one log record,
// per pattern, and reports the effective rate so that kept records can be
// re-weighted.
package sampler

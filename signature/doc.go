// Package signature turns a log message into a template, where every variable
// part is replaced by <*>, and the template into a stable 64-bit [Sig].
//
// It is the first stage of the LipService pipeline (message → signature →
// pattern → decision) and sits on the logging hot path: [Of] normalizes and
// hashes a message in one byte-level pass without allocating.
//
// The exact normalization and hash are specified in SPEC.md, with golden
// vectors under testdata/, so that a server or an SDK in another language can
// reproduce a signature byte for byte. Changing a golden vector is a breaking
// change.
package signature

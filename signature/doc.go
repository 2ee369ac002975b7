// Package signature turns a log message into a template, where every variable
// part is replaced by <*>, and the template into a stable 64-bit [Sig].
//
// It is the first stage of the LipService pipeline (message → signature →
// pattern → decision) and sits on the logging hot path. The entry point is
// [Of], the signature of a message; [Normalize] and [AppendNormalize] return
// the template itself, and [AppendSig] both. Structured records fold their
// attribute keys in with [WithKey]. [ErrorType] extracts the error or
// exception type a message reports.
//
// The exact normalization and hash are specified in SPEC.md, with golden
// vectors under testdata/, so that a server or an SDK in another language can
// reproduce a signature byte for byte. Changing a golden vector is a breaking
// change.
//
// # Performance
//
// Normalization is one left-to-right pass over the message: each byte is
// classified through a 256-entry table, and the union and intersection of
// the classes of a token decide which rules can apply to it, so the common
// tokens (plain words, plain numbers) are written or masked without a second
// look. The template is hashed while it is written. [Of] does not store the
// template at all and never allocates; [AppendNormalize] and [AppendSig] do
// not allocate when dst has room. On the Loghub-2k contents a signature costs
// about as much as splitting the message with strings.Fields (see
// BenchmarkNormalize); the FNV-1a hash, one multiply per template byte, is
// a good part of it.
package signature

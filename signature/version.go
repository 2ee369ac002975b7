package signature

// SpecVersion is the version of the signature specification (SPEC.md) this
// package implements. Signatures of different versions differ for the same
// message, so a policy keyed by signatures is only valid for samplers of the
// same SpecVersion; `lipservice version` prints it.
const SpecVersion = 3

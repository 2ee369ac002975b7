package signature

// Version is the version of the signature algorithm (normalization and
// hash) this package implements: the version of SPEC.md. Policies and stats
// reports carry it (policy.Policy.SignatureVersion,
// policy.StatsReport.SignatureVersion), because their pattern keys are
// signatures and mean nothing under another version: a sampler refuses a
// policy made for another version, and a server refuses stats from one,
// instead of silently matching nothing. It changes exactly when a golden
// vector (testdata/golden.golden) changes.
const Version = 3

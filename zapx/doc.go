// Package zapx samples go.uber.org/zap loggers per pattern: [NewCore] wraps
// a [zapcore.Core] so that every entry is decided by a [sampler.Sampler]
// (first N per pattern, rates, adaptive budget, anomaly valve), and kept
// entries whose rate is below 1 carry their weight 1/rate in a field
// ("sample_rate" by default), so counts can be re-weighted.
//
// It is the zap counterpart of package slogx and holds no sampling logic of
// its own: it translates an entry into a [sampler.Record] and applies the
// [sampler.Decision].
//
// # Where the decision is taken
//
// As zap's own sampler does, the Core decides in Check, before the
// caller's fields are encoded, so a dropped entry costs only the decision.
// At that point zap has not passed the call's fields, so the sampler sees
// the entry's message, level and time and the logger's With fields: their
// string values are visible to the policy's attribute exemptions, and their
// keys enter the pattern when the sampler folds keys
// ([sampler.WithAttrKeys]; off by default, when the pattern is the
// message's template alone, the same for zap, slog and OpenTelemetry
// records). The call's own fields are never read.
//
// # Performance
//
// Deciding adds no allocation. A kept entry with a rate below 1 goes to a
// core derived from the wrapped one with the weight field (next.With), kept
// in a small table of the weights most used, so the field is encoded once
// per weight rather than per entry (the same scheme as slogx over slog's
// built-in handlers). BenchmarkCore compares a bare JSON core, this Core at
// keep-all and at 10 %, and zap's own sampler core in the same run.
package zapx

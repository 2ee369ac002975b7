package sampler

import (
	"log/slog"

	"github.com/srex-dev/lipservice-go/signature"
)

// KeyFunc returns the sampling key of a record from its level, message and
// attributes (see [WithKey]). msg, attrs and the strings they point to are
// the caller's memory, valid only during the call; a KeyFunc must not
// retain them. It must be safe for concurrent use, must not block, and
// should not allocate: Decide then does not allocate either.
type KeyFunc func(level slog.Level, msg string, attrs []Attr) signature.Sig

// WithKey replaces the record's template as the sampling key with f: the
// key f returns is the record's pattern ID ([Decision].Pattern and
// [Decision].Signature both report it), and everything that keys on a
// pattern keys on it: the first N per window, the policy's pattern rates,
// the adaptive rates, the anomaly valve, [Stats] and summaries. This is
// slog-sampling's matcher and zap's level-and-message key, for code whose
// events are told apart by something the template does not show (an
// attribute such as the route or the tenant, the exact message, the level).
//
// Build a key without allocating from signature.OfTemplate, the stable hash
// of a string taken as it is, and signature.WithKey, which folds in one
// more string:
//
//	func(l slog.Level, msg string, attrs []sampler.Attr) signature.Sig {
//		k := signature.OfTemplate(msg) // the exact message, not its template
//		for _, a := range attrs {
//			if a.Key == "route" {
//				k = signature.WithKey(k, a.Value)
//			}
//		}
//		return k
//	}
//
// With a key function, the message is not normalized per record, the
// signature cache and pattern mining are off (the function defines the
// patterns) and [WithAttrKeys] is ignored (the function sees the keys and
// may fold them in); Decide passes the attributes, so adapters translate
// them ([Sampler.NeedsAttrs] is true). The template reported by [Stats]
// for a key is still the normalized message of its first record. The
// number of distinct keys is bounded like that of templates: beyond
// [WithMaxPatterns], keys share the overflow bucket, so a key made of an
// unbounded value (a user ID, a request ID) samples those records
// together. A panic in f is recovered, counted as an internal error
// ([WithErrorHandler]), and the record is keyed by its template instead.
//
// The default, and what nil means, is the template key: the pattern of
// signature.Of(message), as documented on [Sampler].
func WithKey(f KeyFunc) Option {
	return optionFunc(func(c *config) { c.key = f })
}

// keyOf returns the record's key as both its signature and its pattern
// ID, or, when the key function panics, its template key without the
// cache or the miner.
func (s *Sampler) keyOf(r *Record) (sig, id signature.Sig) {
	defer func() {
		if p := recover(); p != nil {
			s.fail(panicError("key function", p))
			sig, id = patternOf(r.Message, r.Attrs, s.attrKeys, s.valueKeys, nil)
		}
	}()
	k := s.key(r.Level, r.Message, r.Attrs)
	return k, k
}

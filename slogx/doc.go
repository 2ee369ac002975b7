// Package slogx is a [log/slog] handler middleware that samples records with a
// [sampler.Sampler] before they reach the wrapped handler.
//
// The entry point is [New]. Wrapping a handler takes three lines:
//
//	s, _ := sampler.New(sampler.WithPolicy(p))
//	h := slogx.New(slog.NewJSONHandler(os.Stdout, nil), s)
//	slog.SetDefault(slog.New(h))
//
// slogx sits at the end of the LipService pipeline (signature → sampler →
// adapters). It holds no sampling logic: [Handler.Handle] translates the
// [slog.Record] into a [sampler.Record], calls [sampler.Sampler.Decide] and
// either drops the record or forwards it. A kept record whose effective rate
// is below 1 carries that rate as an attribute (see [WithRateKey]) so that
// counts can be re-weighted downstream.
//
// # Attributes seen by the sampler
//
// The sampler reads attributes only when its pattern IDs include attribute
// keys (sampler.WithAttrKeys, off by default) or the policy in force exempts
// records by attribute ([sampler.Sampler.NeedsAttrs]); otherwise Handle
// passes it the time, level, message and trace ID alone and never walks the
// record's attributes. When it reads them, it sees the keys of the attributes added with [Handler.WithAttrs]
// (first) and of the record's own attributes (then), at most 16 in all; keys
// beyond that do not enter the pattern signature. Keys are qualified by the
// open groups with dots, as the built-in handlers print them: after
// WithGroup("req"), the attribute "id" is seen as "req.id", and so is
// slog.Group("req", slog.Int("id", 1)). Group values are flattened up to 8
// levels deep, and qualified keys share a 256-byte buffer per record: a key
// that does not fit is passed less qualified (a WithGroup prefix longer than
// the buffer is dropped). Values are passed for attributes
// of kind [slog.KindString], and for the sampler's value keys
// (sampler.WithValueKeys: "status", "method", ... whose values enter the
// pattern) also for int, uint, float and bool values, as text (strconv's
// decimal and shortest 'g' forms, true/false; what slog's TextHandler
// writes, so a line read from its output folds the same value), written
// into the pooled scratch without allocating; durations, times and other
// kinds pass no value. [slog.LogValuer] values of record attributes are
// not resolved on the hot path (those given to WithAttrs are resolved once).
//
// # Composing with other handlers
//
// A [Handler] is an ordinary slog middleware and composes with others; the
// rule is that each record meets a given Sampler once.
//
// With a fan-out handler, put the Handler in front of the fan-out, so that
// each record is decided once and every branch gets the same kept records,
// with the same weight (see Example_fanOut):
//
//	slogx.New(slog.NewMultiHandler(jsonToFile, otelBridge), s)
//
// Do not wrap each branch with the same Sampler:
//
//	slog.NewMultiHandler(slogx.New(a, s), slogx.New(b, s)) // decides twice
//
// decides every record once per branch, so the Sampler counts it twice, a
// pattern's first N and adaptive budget are used up twice as fast, and the
// branches keep different records (at rate 1/4 with two branches, the
// systematic draw may give nearly all kept records to one of them). To
// sample only some branches, wrap those and leave the others outside, as
// in slog.NewMultiHandler(everything, slogx.New(remote, s)); branches
// sampled differently need a Sampler each.
//
// Level filters compose as usual: Enabled is delegated, so a record that no
// branch takes is rejected before the sampler, and a branch with a higher
// level behind the Handler receives fewer of the kept records. Middleware
// that adds attributes (from the context, say) goes outside the Handler
// when the sampler should see them (attribute exemptions,
// [sampler.WithAttrKeys], [sampler.WithKey]); middleware that does work per
// record (redaction, enrichment by lookup, formatting) goes inside, so that
// dropped records do not pay for it. TestCompose_fanOut checks the counts
// of these wirings.
//
// # Performance
//
// When the sampler reads no attributes, [Handler.Handle] builds the sampler
// record on the stack: a dropped record costs one [sampler.Sampler.Decide]
// call and no allocation. Otherwise the sampler record is built in pooled
// scratch memory, and a dropped record also costs a walk over its
// attributes (about 40 % of slogx's per-record cost). A kept record
// costs no allocation beyond the wrapped handler's own, except that stamping
// the rate attribute on a record that already has 5 or more attributes costs
// one allocation (slog's [slog.Record.AddAttrs] must grow its overflow slice).
// [Handler.Enabled] only delegates, so records below the wrapped handler's
// level are rejected before any attribute is built.
package slogx

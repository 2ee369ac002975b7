// Package otelx samples OpenTelemetry log records with a [sampler.Sampler]
// before they reach the next processor of the OTel Go logs SDK
// (go.opentelemetry.io/otel/sdk/log).
//
// The entry point is [NewProcessor], a decorator in the style of contrib's
// minsev processor: it wraps the processor that would otherwise be registered
// with the LoggerProvider.
//
//	s, _ := sampler.New(sampler.WithPolicy(p))
//	exp := ... // an sdklog.Exporter
//	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(
//		otelx.NewProcessor(sdklog.NewBatchProcessor(exp), s)))
//
// otelx sits at the end of the LipService pipeline (signature → sampler →
// adapters) and holds no sampling logic: [Processor.OnEmit] translates the
// [sdklog.Record] into a [sampler.Record], calls [sampler.Sampler.Decide] and
// either drops the record or stamps the effective rate on it (see
// [WithRateKey]) and passes it on. It works with any bridge, for example
// go.opentelemetry.io/contrib/bridges/otelslog.
//
// # Translation
//
//   - Severity N maps to slog.Level(N-9), so INFO (9) is slog.LevelInfo and
//     ERROR (17) is slog.LevelError; an unset severity (0) is treated as INFO.
//   - A string body is the message; any other body gives an empty message.
//   - Attributes are walked only when the sampler reads them (attribute
//     keys in the pattern, sampler.WithAttrKeys, off by default, or
//     attribute exemptions in the policy: sampler.Sampler.NeedsAttrs).
//     Then the keys, at most 16 per record, are passed;
//     map values are flattened with dotted keys ("req.id"), which is how the
//     otelslog bridge carries slog groups, so a record has the same keys
//     through otelx as through slogx. Values are passed only for string
//     attributes.
//   - The trace ID is the record's; the timestamp is the record's, or its
//     observed timestamp when unset.
//
// # Performance
//
// When the sampler reads no attributes, OnEmit builds the sampler record on
// the stack: a dropped record costs one Decide call and no allocation.
// Otherwise it builds it in pooled scratch memory, and a dropped record
// also costs a walk over its attributes. A kept one costs no allocation
// beyond the downstream's own (stamping the rate attribute reuses the
// record's inline attribute array or, past 5 attributes, its overflow
// slice, which the SDK may grow). The
// exception is map attributes (slog groups through the otelslog bridge)
// when attributes are walked: flattening one costs one allocation, because attribute.Value.AsMap
// returns a copy.
package otelx

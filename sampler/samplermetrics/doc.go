// Package samplermetrics exports a [sampler.Sampler]'s counters as
// OpenTelemetry metrics.
//
// The entry point is [Register], which registers observable instruments on
// a metric.Meter and one callback that reads [sampler.Sampler.Stats] when
// the meter's reader collects. It sits beside the adapters: the sampler
// itself imports no OpenTelemetry package, and a program that does not
// import this package links none of the metric API.
//
// Prometheus users export these metrics through the OpenTelemetry
// Prometheus exporter (go.opentelemetry.io/otel/exporters/prometheus),
// which serves them as lipservice_sampler_records_kept_total{reason="..."}
// and so on; OTLP users through an OTLP metric exporter.
//
// # Performance
//
// Nothing is done per record: the counters are the sampler's own. Each
// collection calls Stats once, which scans the sampler's pattern table
// (time and allocation proportional to [sampler.WithMaxPatterns]; under a
// millisecond for the default 4096 patterns), so collect every few seconds,
// not per record.
package samplermetrics

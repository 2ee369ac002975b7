// Package lipserviceprocessor is an OpenTelemetry Collector logs processor,
// of type "lipservice", that samples log records with LipService: the same
// sampler, policy and anomaly valve as the slogx and otelx adapters, applied
// to the plog records that flow through a collector, whatever language
// produced them.
//
// For each log record the processor builds a [sampler.Record]: the message
// is the body when it is a string (or the string value of a configured
// attribute), the level is the severity number mapped to the slog scale as
// otelx does (N → slog.Level(N−9), unset → INFO), the time is the record's
// timestamp or else its observed timestamp, and the trace ID is the record's.
// Dropped records are removed from the batch; a kept record whose effective
// rate is below 1 gets the weight 1/rate under the rate attribute
// ("sample_rate" by default). Scopes and resources left empty by sampling
// are removed too, and a batch left empty is not passed on.
//
// # Services
//
// Records are sampled per service, by the service.name resource attribute
// ("unknown_service" when absent). Each service gets its own sampler and
// anomaly detector, created on its first record, and, when a LipService
// server is configured, its own policy client that syncs the service's
// policy and reports its pattern statistics. The number of services is
// capped (max_services, 32 by default): the records of services beyond the
// cap share one overflow sampler that uses the static policy and has no
// policy client. Services are never evicted: a collector sees a stable set
// of services, and evicting one would lose its counters and anomaly
// baseline.
//
// # Goroutines and telemetry
//
// Policy clients are started lazily (on a service's first record) and only
// between Start and Shutdown; Shutdown stops every client, sampler and
// detector and waits for them, bounded by its context. The counters (records
// seen, kept, dropped by reason) are exposed as asynchronous counters through
// the component's MeterProvider; the hot path only adds to atomics.
package lipserviceprocessor

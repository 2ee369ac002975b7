package samplermetrics

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/srex-dev/lipservice-go/sampler"
)

// The instruments' names. Counters are cumulative since the Sampler was
// built; the records decided under the kill switch are not counted.
const (
	// SeenName counts the decided records, by reason.
	SeenName = "lipservice.sampler.records.seen"
	// KeptName counts the kept records, by reason (in dry-run mode, those
	// the rules kept).
	KeptName = "lipservice.sampler.records.kept"
	// DroppedName counts the dropped records, by reason.
	DroppedName = "lipservice.sampler.records.dropped"
	// OverflowName counts the records counted in the shared overflow
	// bucket (see [sampler.WithMaxPatterns]).
	OverflowName = "lipservice.sampler.records.overflow"
	// AnomalousName counts the records decided by the anomaly valve.
	AnomalousName = "lipservice.sampler.records.anomalous"
	// ErrorsName counts the sampler's internal errors.
	ErrorsName = "lipservice.sampler.errors"
	// AnomaliesOpenName is the number of anomaly events open in the valve
	// (when it reports them, see [sampler.Snapshotter]).
	AnomaliesOpenName = "lipservice.sampler.anomalies.open"
	// PatternsName is the number of patterns the sampler tracks.
	PatternsName = "lipservice.sampler.patterns"
)

// ReasonKey is the attribute that carries the rule that decided, as
// [sampler.Reason.String] names it ("first_n", "global", ...), on the
// seen, kept and dropped counters.
const ReasonKey = attribute.Key("reason")

// Option configures [Register].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	attrs []attribute.KeyValue
}

// WithAttributes adds attributes to every observation, to tell apart
// several Samplers registered on one meter (each must then have its own
// attributes: observations of one instrument with the same attributes in
// one collection overwrite each other). The default is none.
func WithAttributes(kv ...attribute.KeyValue) Option {
	return optionFunc(func(c *config) { c.attrs = append(c.attrs, kv...) })
}

// Register registers on m the observable instruments named above and one
// callback that observes s's counters ([sampler.Sampler.Stats]) at each
// collection. It returns the registration, whose Unregister stops the
// observations (the instruments stay registered with the meter, as
// OpenTelemetry has no way to remove one), or the first error of m.
//
// Register panics if s is nil. It can be called concurrently; the callback
// may run concurrently with s's decisions and reads counters that are not
// a consistent snapshot (see [sampler.Stats]).
func Register(m metric.Meter, s *sampler.Sampler, opts ...Option) (metric.Registration, error) {
	if s == nil {
		panic("samplermetrics: nil sampler")
	}
	var c config
	for _, o := range opts {
		o.apply(&c)
	}
	const unit = "{record}"
	seen, err := m.Int64ObservableCounter(SeenName, metric.WithUnit(unit),
		metric.WithDescription("Records decided by the LipService sampler, by the rule that decided."))
	if err != nil {
		return nil, err
	}
	kept, err := m.Int64ObservableCounter(KeptName, metric.WithUnit(unit),
		metric.WithDescription("Records kept by the LipService sampler, by the rule that decided."))
	if err != nil {
		return nil, err
	}
	dropped, err := m.Int64ObservableCounter(DroppedName, metric.WithUnit(unit),
		metric.WithDescription("Records dropped by the LipService sampler, by the rule that decided."))
	if err != nil {
		return nil, err
	}
	overflow, err := m.Int64ObservableCounter(OverflowName, metric.WithUnit(unit),
		metric.WithDescription("Records of patterns beyond the sampler's table, counted together."))
	if err != nil {
		return nil, err
	}
	anomalous, err := m.Int64ObservableCounter(AnomalousName, metric.WithUnit(unit),
		metric.WithDescription("Records decided by the anomaly valve."))
	if err != nil {
		return nil, err
	}
	errs, err := m.Int64ObservableCounter(ErrorsName, metric.WithUnit("{error}"),
		metric.WithDescription("Internal errors of the LipService sampler (failed open)."))
	if err != nil {
		return nil, err
	}
	open, err := m.Int64ObservableUpDownCounter(AnomaliesOpenName, metric.WithUnit("{anomaly}"),
		metric.WithDescription("Anomaly events open in the sampler's valve."))
	if err != nil {
		return nil, err
	}
	patterns, err := m.Int64ObservableUpDownCounter(PatternsName, metric.WithUnit("{pattern}"),
		metric.WithDescription("Patterns tracked by the LipService sampler."))
	if err != nil {
		return nil, err
	}

	// The attribute sets are built once: the common one, and one per
	// reason (Reason is a uint8; its values are far below maxReasons).
	base := metric.WithAttributeSet(attribute.NewSet(c.attrs...))
	var byReason [maxReasons]metric.ObserveOption
	for r := range byReason {
		kv := append(append([]attribute.KeyValue(nil), c.attrs...), ReasonKey.String(sampler.Reason(r).String()))
		byReason[r] = metric.WithAttributeSet(attribute.NewSet(kv...))
	}

	return m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		st := s.Stats()
		for _, rs := range st.Reasons {
			if int(rs.Reason) >= maxReasons {
				continue
			}
			opt := byReason[rs.Reason]
			o.ObserveInt64(seen, clamp(rs.Decided), opt)
			o.ObserveInt64(kept, clamp(rs.Kept), opt)
			o.ObserveInt64(dropped, clamp(rs.Decided-rs.Kept), opt)
		}
		o.ObserveInt64(overflow, clamp(st.Overflow), base)
		o.ObserveInt64(anomalous, clamp(st.Anomalous), base)
		o.ObserveInt64(errs, clamp(st.Errors), base)
		o.ObserveInt64(open, int64(openAnomalies(&st)), base)
		o.ObserveInt64(patterns, int64(len(st.Patterns)), base)
		return nil
	}, seen, kept, dropped, overflow, anomalous, errs, open, patterns)
}

// openAnomalies returns the number of open anomaly events in st, 0 when the
// valve does not report them.
func openAnomalies(st *sampler.Stats) int {
	if st.Anomalies == nil {
		return 0
	}
	return len(st.Anomalies.Active)
}

// maxReasons bounds the reasons observed; the sampler has 10.
const maxReasons = 32

// clamp converts a count to int64, saturating.
func clamp(n uint64) int64 {
	if n > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(n)
}

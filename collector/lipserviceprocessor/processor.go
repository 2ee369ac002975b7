package lipserviceprocessor

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/sampler"
)

// maxAttrs is the number of record attributes the sampler sees when its
// policy needs them (exemptions on attributes, attribute keys in the
// pattern); the same bound as otelx.
const maxAttrs = 16

// numReasons bounds the per-reason counters; sampler.Reason values beyond it
// are counted under ReasonUnknown.
const numReasons = 16

// serviceSampler is the sampling state of one service.
type serviceSampler struct {
	s      *sampler.Sampler
	d      *anomaly.Detector // nil when the valve is off
	client *client.Client    // nil without a server
}

// logsProcessor is the lipservice processor. It is safe for concurrent use:
// the collector may call processLogs from several goroutines.
type logsProcessor struct {
	cfg    *Config
	static *policy.Policy
	logger *zap.Logger

	mu       sync.RWMutex
	services map[string]*serviceSampler // at most cfg.MaxServices
	overflow *serviceSampler            // shared beyond the cap
	started  bool                       // between start and shutdown
	closed   bool

	seen    atomic.Uint64
	dropped [numReasons]atomic.Uint64 // by sampler.Reason
	keptBy  [numReasons]atomic.Uint64

	reg metric.Registration

	scratch sync.Pool // *[maxAttrs]sampler.Attr
}

func newLogsProcessor(set processor.Settings, cfg *Config) (*logsProcessor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	static, err := cfg.staticPolicy()
	if err != nil {
		return nil, err
	}
	p := &logsProcessor{cfg: cfg, static: static, logger: set.Logger, services: make(map[string]*serviceSampler)}
	if p.logger == nil {
		p.logger = zap.NewNop()
	}
	p.scratch.New = func() any { return new([maxAttrs]sampler.Attr) }
	if err := p.registerMetrics(set.TelemetrySettings); err != nil {
		return nil, err
	}
	return p, nil
}

// registerMetrics registers the processor's counters as asynchronous
// instruments: the hot path adds to atomics, and the SDK reads them when it
// collects.
func (p *logsProcessor) registerMetrics(ts component.TelemetrySettings) error {
	if ts.MeterProvider == nil {
		return nil
	}
	m := ts.MeterProvider.Meter("github.com/srex-dev/lipservice-go/collector/lipserviceprocessor")
	seen, err1 := m.Int64ObservableCounter("otelcol_processor_lipservice_records_seen",
		metric.WithDescription("Log records the lipservice processor decided on."), metric.WithUnit("{records}"))
	kept, err2 := m.Int64ObservableCounter("otelcol_processor_lipservice_records_kept",
		metric.WithDescription("Log records kept, by the sampler rule that decided."), metric.WithUnit("{records}"))
	dropped, err3 := m.Int64ObservableCounter("otelcol_processor_lipservice_records_dropped",
		metric.WithDescription("Log records dropped, by the sampler rule that decided."), metric.WithUnit("{records}"))
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	var reasonAttrs [numReasons]metric.ObserveOption
	for i := range reasonAttrs {
		reasonAttrs[i] = metric.WithAttributes(reasonKey.String(sampler.Reason(i).String()))
	}
	reg, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		o.ObserveInt64(seen, int64(p.seen.Load()))
		for i := range numReasons {
			if n := p.keptBy[i].Load(); n > 0 {
				o.ObserveInt64(kept, int64(n), reasonAttrs[i])
			}
			if n := p.dropped[i].Load(); n > 0 {
				o.ObserveInt64(dropped, int64(n), reasonAttrs[i])
			}
		}
		return nil
	}, seen, kept, dropped)
	if err != nil {
		return err
	}
	p.reg = reg
	return nil
}

func (p *logsProcessor) start(context.Context, component.Host) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.started = true
	}
	return nil
}

// shutdown stops every policy client, sampler and detector, waiting for
// them within ctx. It is idempotent.
func (p *logsProcessor) shutdown(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed, p.started = true, false
	all := make([]*serviceSampler, 0, len(p.services)+1)
	for _, ss := range p.services {
		all = append(all, ss)
	}
	if p.overflow != nil {
		all = append(all, p.overflow)
	}
	p.mu.Unlock()

	var errs []error
	for _, ss := range all {
		if ss.client != nil {
			errs = append(errs, ss.client.Shutdown(ctx))
		}
		errs = append(errs, ss.s.Shutdown(ctx))
		if ss.d != nil {
			errs = append(errs, ss.d.Shutdown(ctx))
		}
	}
	if p.reg != nil {
		errs = append(errs, p.reg.Unregister())
	}
	return errors.Join(errs...)
}

// samplerFor returns the sampler of service, creating it (and its policy
// client, between start and shutdown) on first use. Beyond the cap, or when
// a sampler cannot be made, it returns the shared overflow sampler.
func (p *logsProcessor) samplerFor(service string) *serviceSampler {
	p.mu.RLock()
	ss := p.services[service]
	p.mu.RUnlock()
	if ss != nil {
		return ss
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ss = p.services[service]; ss != nil {
		return ss
	}
	if len(p.services) >= p.cfg.MaxServices {
		return p.overflowLocked()
	}
	ss, err := p.newServiceSampler(service, p.started && p.cfg.Server.Endpoint != "")
	if err != nil {
		p.logger.Warn("lipservice: cannot create the service's sampler; using the overflow sampler",
			zap.String("service", service), zap.Error(err))
		return p.overflowLocked()
	}
	p.services[service] = ss
	return ss
}

func (p *logsProcessor) overflowLocked() *serviceSampler {
	if p.overflow == nil {
		ss, err := p.newServiceSampler("", false)
		if err != nil {
			// Only a failing anomaly.New or sampler.New (with options
			// already validated) can get here; keep everything.
			p.logger.Error("lipservice: cannot create the overflow sampler", zap.Error(err))
			s, _ := sampler.New(sampler.WithPolicy(policy.KeepAll()))
			ss = &serviceSampler{s: s}
		}
		p.overflow = ss
	}
	return p.overflow
}

// newServiceSampler makes a sampler with the static policy and, if on, the
// anomaly valve and a policy client for service. A client is started only
// by a started processor, so that every goroutine it owns is stopped by
// shutdown.
func (p *logsProcessor) newServiceSampler(service string, withClient bool) (*serviceSampler, error) {
	ss := &serviceSampler{}
	opts := []sampler.Option{sampler.WithErrorHandler(p.samplerError)}
	if p.static != nil {
		opts = append(opts, sampler.WithPolicy(p.static))
	}
	if p.cfg.Anomaly {
		d, err := anomaly.New()
		if err != nil {
			return nil, err
		}
		ss.d = d
		opts = append(opts, sampler.WithValve(d))
	}
	s, err := sampler.New(opts...)
	if err != nil {
		return nil, err
	}
	ss.s = s
	if withClient {
		sc := p.cfg.Server
		copts := []client.Option{
			client.WithSetter(s), client.WithStatsSource(s),
			client.WithErrorHandler(func(err error) {
				p.logger.Warn("lipservice: policy client", zap.String("service", service), zap.Error(err))
			}),
		}
		if sc.APIKey != "" {
			copts = append(copts, client.WithAPIKey(string(sc.APIKey)))
		}
		if sc.TeamID != 0 {
			copts = append(copts, client.WithTeamID(sc.TeamID))
		}
		if sc.SyncInterval > 0 {
			copts = append(copts, client.WithInterval(sc.SyncInterval))
		}
		if sc.Timeout > 0 {
			copts = append(copts, client.WithTimeout(sc.Timeout))
		}
		c, err := client.New(sc.Endpoint, service, copts...)
		if err != nil {
			return nil, errors.Join(err, s.Shutdown(context.Background()))
		}
		ss.client = c
	}
	return ss, nil
}

func (p *logsProcessor) samplerError(err error) {
	p.logger.Warn("lipservice: sampler", zap.Error(err))
}

// processLogs samples ld in place.
func (p *logsProcessor) processLogs(_ context.Context, ld plog.Logs) (plog.Logs, error) {
	var c batchCounts
	rls := ld.ResourceLogs()
	rls.RemoveIf(func(rl plog.ResourceLogs) bool {
		service := UnknownService
		if v, ok := rl.Resource().Attributes().Get("service.name"); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
			service = v.Str()
		}
		ss := p.samplerFor(service)
		sls := rl.ScopeLogs()
		sls.RemoveIf(func(sl plog.ScopeLogs) bool {
			lrs := sl.LogRecords()
			if lrs.Len() == 0 {
				return false
			}
			lrs.RemoveIf(func(lr plog.LogRecord) bool { return !p.decide(ss.s, lr, &c) })
			return lrs.Len() == 0
		})
		// A resource is removed only when sampling emptied it, not when
		// it arrived without records.
		touched := c.touched()
		return touched && sls.Len() == 0
	})
	p.flush(&c)
	if rls.Len() == 0 && c.seen > 0 {
		return ld, processorhelper.ErrSkipProcessingData
	}
	return ld, nil
}

// batchCounts accumulates a batch's counters, added to the processor's
// atomics once per batch.
type batchCounts struct {
	seen         uint64
	keptBy, drop [numReasons]uint64
	// seenAtResource is seen at the start of the current resource.
	seenAtResource uint64
}

// touched reports whether the current resource had records, and starts the
// next one.
func (c *batchCounts) touched() bool {
	t := c.seen > c.seenAtResource
	c.seenAtResource = c.seen
	return t
}

func (p *logsProcessor) flush(c *batchCounts) {
	if c.seen == 0 {
		return
	}
	p.seen.Add(c.seen)
	for i := range numReasons {
		if c.keptBy[i] != 0 {
			p.keptBy[i].Add(c.keptBy[i])
		}
		if c.drop[i] != 0 {
			p.dropped[i].Add(c.drop[i])
		}
	}
}

// decide asks s about lr, stamps the rate attribute on a kept sampled
// record and reports whether to keep it.
func (p *logsProcessor) decide(s *sampler.Sampler, lr plog.LogRecord, c *batchCounts) bool {
	var rec sampler.Record
	ts := lr.Timestamp()
	if ts == 0 {
		ts = lr.ObservedTimestamp()
	}
	if ts != 0 {
		rec.Time = time.Unix(0, int64(ts))
	}
	rec.Level = level(lr.SeverityNumber())
	rec.TraceID = [16]byte(lr.TraceID())
	if p.cfg.MessageAttribute == "" {
		if b := lr.Body(); b.Type() == pcommon.ValueTypeStr {
			rec.Message = b.Str()
		}
	} else if v, ok := lr.Attributes().Get(p.cfg.MessageAttribute); ok && v.Type() == pcommon.ValueTypeStr {
		rec.Message = v.Str()
	}
	var d sampler.Decision
	if s.NeedsAttrs() {
		attrs := p.scratch.Get().(*[maxAttrs]sampler.Attr)
		n := 0
		for k, v := range lr.Attributes().All() {
			if n == maxAttrs {
				break
			}
			attrs[n] = sampler.Attr{Key: k}
			if v.Type() == pcommon.ValueTypeStr {
				attrs[n].Value = v.Str()
			}
			n++
		}
		rec.Attrs = attrs[:n]
		s.DecideInto(&rec, &d)
		clear(attrs[:n])
		p.scratch.Put(attrs)
	} else {
		s.DecideInto(&rec, &d)
	}
	r := d.Reason
	if int(r) >= numReasons {
		r = sampler.ReasonUnknown
	}
	c.seen++
	if !d.Keep {
		c.drop[r]++
		return false
	}
	c.keptBy[r]++
	if d.Rate < 1 && d.Rate > 0 && p.cfg.RateAttribute != "" {
		lr.Attributes().PutDouble(p.cfg.RateAttribute, 1/d.Rate)
	}
	return true
}

// level maps an OTel severity number to the slog scale as otelx does:
// N → slog.Level(N−9), with the unset severity treated as INFO.
func level(n plog.SeverityNumber) slog.Level {
	if n == plog.SeverityNumberUnspecified {
		return slog.LevelInfo
	}
	return slog.Level(int(n) - 9)
}

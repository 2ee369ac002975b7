package anomaly

import (
	"fmt"
	"log/slog"
	"math"
	"time"
)

// Option configures a [Detector]. Options are applied in order by [New]; a
// later option overrides an earlier one of the same kind.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Scope says which records an active error surge opens the valve for.
type Scope int

const (
	// ScopeService opens the valve for every record while a service-wide
	// error surge is active (and for the decay window after it): the
	// context around the errors is kept too. It is the default.
	ScopeService Scope = iota
	// ScopeErrors opens the valve only for records at or above the error
	// level (see [WithErrorLevel]) during a surge.
	ScopeErrors
)

// Defaults of the options and of the zero [Thresholds] fields. The threshold
// values were chosen from the measurements in the package documentation
// (section "Measurements").
const (
	DefaultInterval    = time.Second
	DefaultMaxPatterns = 4096
	DefaultRecent      = 64

	DefaultSpikeRatio             = 5.0
	DefaultSpikeZ                 = 6.0
	DefaultAlpha                  = 1e-6
	DefaultMinCount               = 10
	DefaultSmoothing              = 0.02
	DefaultMinHistoryIntervals    = 10
	DefaultWarmupIntervals        = 60
	DefaultNewWindowIntervals     = 10
	DefaultNewWarnWindowIntervals = 300
	DefaultNewWarnMaxRecords      = 1000
	DefaultDecayIntervals         = 10
	DefaultMinSilentIntervals     = 5
	DefaultMinPresence            = 0.5
	DefaultSurgeShareRatio        = 2.0
	DefaultMaxAnomalyIntervals    = 300
	DefaultMaxNewPerInterval      = 100
)

// Thresholds are the statistical knobs of the detectors. The zero value of
// every field means "use the default" (the Default* constant of the same
// name); negative values are invalid. Thresholds is plain data: it has JSON
// tags so that it can be stored next to a policy, and reaches a [Detector]
// through [WithThresholds].
//
// All durations are in intervals (see [WithInterval]).
type Thresholds struct {
	// SpikeRatio is the minimum ratio of an interval's count to the
	// pattern's baseline (EWMA mean) for a rate spike, and the rise r the
	// low-rate CUSUM tests for (see the package documentation; values ≤ 1
	// turn the CUSUM off). Default 5.
	SpikeRatio float64 `json:"spike_ratio,omitempty"`
	// SpikeZ is the minimum z-score (count − mean) / sd for a rate spike or
	// an error surge, where sd is the larger of the EWMA (patterns) or
	// MAD-based (service) standard deviation and the Poisson sd √mean.
	// Default 6.
	SpikeZ float64 `json:"spike_z,omitempty"`
	// Alpha is the Poisson tail probability: a count k is anomalous only if
	// P(X ≥ k | λ = baseline) ≤ Alpha. It is also the false-alarm
	// probability used for disappearance, and the low-rate CUSUM raises an
	// alarm at evidence ln(1/Alpha). Must be in (0, 0.5). Default 1e-6.
	Alpha float64 `json:"alpha,omitempty"`
	// MinCount is the minimum number of records in one interval for a rate
	// spike, and of error records for an error surge, so that low-volume
	// patterns never flap. Series with a baseline below MinCount/SpikeRatio
	// are also tested by the low-rate CUSUM, which has no per-interval
	// floor but counts only records beyond one per interval for a sparse
	// series, and needs about ln(1/Alpha)/ln(SpikeRatio) of them (10
	// records in one interval from a standing start at the defaults, or
	// 4 per interval for 3 intervals; see the package documentation).
	// Default 10.
	MinCount int `json:"min_count,omitempty"`
	// Smoothing is the EWMA weight w of the newest interval, in (0, 1).
	// Default 0.02 (half-life ≈ 34 intervals).
	Smoothing float64 `json:"smoothing,omitempty"`
	// MinHistoryIntervals is the number of completed intervals of history a
	// pattern (or the service) needs before it is tested for spikes
	// (surges) and disappearance, and of completed buckets at each coarse
	// scale (see [WithScales]) before that scale tests rises and drops; a
	// rise or drop open that many buckets is a level shift. Default 10.
	MinHistoryIntervals int `json:"min_history_intervals,omitempty"`
	// WarmupIntervals is how long after the first record no pattern counts
	// as new. Default 60.
	WarmupIntervals int `json:"warmup_intervals,omitempty"`
	// NewWindowIntervals is how long a new pattern's event stays active
	// (and keeps its records). Default 10.
	NewWindowIntervals int `json:"new_window_intervals,omitempty"`
	// NewWarnWindowIntervals is the longer first window of a new pattern
	// whose first record is at slog.LevelWarn or above: such a pattern
	// keeps its NewPattern event (and the valve) open for
	// NewWindowIntervals, and then on through NewWarnWindowIntervals for as
	// long as it has had fewer than NewWarnMaxRecords records. A value below
	// NewWindowIntervals is raised to it. Default 300.
	NewWarnWindowIntervals int `json:"new_warn_window_intervals,omitempty"`
	// NewWarnMaxRecords bounds the extension of NewWarnWindowIntervals: the
	// extra volume a new WARN or ERROR pattern costs beyond its first
	// NewWindowIntervals is at most about this many records (the window
	// closes at the end of the interval in which the count reaches it).
	// Default 1000.
	NewWarnMaxRecords int `json:"new_warn_max_records,omitempty"`
	// DecayIntervals is how long the valve stays open after a rate spike or
	// an error surge closes (or a disappeared pattern returns). Default 10.
	DecayIntervals int `json:"decay_intervals,omitempty"`
	// MinSilentIntervals is the minimum silence before a steady pattern is
	// reported as disappeared. Default 5.
	MinSilentIntervals int `json:"min_silent_intervals,omitempty"`
	// MinPresence is the minimum fraction of intervals (EWMA) in which a
	// pattern appeared for it to count as steady, in (0, 1]. Default 0.5.
	MinPresence float64 `json:"min_presence,omitempty"`
	// SurgeShareRatio is the minimum ratio of the interval's error share to
	// the baseline error share for an error surge, so that a traffic
	// increase that raises errors and non-errors alike is not a surge.
	// Default 2.
	SurgeShareRatio float64 `json:"surge_share_ratio,omitempty"`
	// MaxAnomalyIntervals bounds a rate spike or error surge: after that
	// many intervals it is a level shift, the event closes and the baseline
	// restarts from the current rate. Default 300.
	MaxAnomalyIntervals int `json:"max_anomaly_intervals,omitempty"`
	// MaxNewPerInterval caps the new-pattern events opened per interval
	// (a flood of unmasked ids would otherwise open one per record); the
	// excess is counted in [Stats].SuppressedNew. Default 100.
	MaxNewPerInterval int `json:"max_new_per_interval,omitempty"`
}

// Validate reports the first field outside its range, wrapping
// [ErrInvalidOption]. The zero Thresholds is valid.
func (th Thresholds) Validate() error {
	bad := func(name string, v any) error {
		return fmt.Errorf("%w: %s = %v", ErrInvalidOption, name, v)
	}
	neg := func(v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }
	switch {
	case neg(th.SpikeRatio):
		return bad("spike_ratio", th.SpikeRatio)
	case neg(th.SpikeZ):
		return bad("spike_z", th.SpikeZ)
	case neg(th.Alpha) || th.Alpha >= 0.5:
		return bad("alpha", th.Alpha)
	case th.MinCount < 0:
		return bad("min_count", th.MinCount)
	case neg(th.Smoothing) || th.Smoothing >= 1:
		return bad("smoothing", th.Smoothing)
	case th.MinHistoryIntervals < 0:
		return bad("min_history_intervals", th.MinHistoryIntervals)
	case th.WarmupIntervals < 0:
		return bad("warmup_intervals", th.WarmupIntervals)
	case th.NewWindowIntervals < 0:
		return bad("new_window_intervals", th.NewWindowIntervals)
	case th.NewWarnWindowIntervals < 0:
		return bad("new_warn_window_intervals", th.NewWarnWindowIntervals)
	case th.NewWarnMaxRecords < 0:
		return bad("new_warn_max_records", th.NewWarnMaxRecords)
	case th.DecayIntervals < 0:
		return bad("decay_intervals", th.DecayIntervals)
	case th.MinSilentIntervals < 0:
		return bad("min_silent_intervals", th.MinSilentIntervals)
	case neg(th.MinPresence) || th.MinPresence > 1:
		return bad("min_presence", th.MinPresence)
	case neg(th.SurgeShareRatio):
		return bad("surge_share_ratio", th.SurgeShareRatio)
	case th.MaxAnomalyIntervals < 0:
		return bad("max_anomaly_intervals", th.MaxAnomalyIntervals)
	case th.MaxNewPerInterval < 0:
		return bad("max_new_per_interval", th.MaxNewPerInterval)
	}
	return nil
}

// withDefaults returns th with every zero field replaced by its default.
func (th Thresholds) withDefaults() Thresholds {
	f := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	i := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	f(&th.SpikeRatio, DefaultSpikeRatio)
	f(&th.SpikeZ, DefaultSpikeZ)
	f(&th.Alpha, DefaultAlpha)
	i(&th.MinCount, DefaultMinCount)
	f(&th.Smoothing, DefaultSmoothing)
	i(&th.MinHistoryIntervals, DefaultMinHistoryIntervals)
	i(&th.WarmupIntervals, DefaultWarmupIntervals)
	i(&th.NewWindowIntervals, DefaultNewWindowIntervals)
	i(&th.NewWarnWindowIntervals, DefaultNewWarnWindowIntervals)
	th.NewWarnWindowIntervals = max(th.NewWarnWindowIntervals, th.NewWindowIntervals)
	i(&th.NewWarnMaxRecords, DefaultNewWarnMaxRecords)
	i(&th.DecayIntervals, DefaultDecayIntervals)
	i(&th.MinSilentIntervals, DefaultMinSilentIntervals)
	f(&th.MinPresence, DefaultMinPresence)
	f(&th.SurgeShareRatio, DefaultSurgeShareRatio)
	i(&th.MaxAnomalyIntervals, DefaultMaxAnomalyIntervals)
	i(&th.MaxNewPerInterval, DefaultMaxNewPerInterval)
	return th
}

type config struct {
	interval    time.Duration
	intervalSet bool
	scales      []time.Duration
	scalesSet   bool
	maxPatterns int
	recent      int
	eventBuffer int
	errLevel    slog.Level
	errLevelSet bool
	scope       Scope
	callback    func(Event)
	th          Thresholds
	err         error
}

// WithThresholds sets the statistical thresholds. Zero fields keep their
// defaults; [New] returns an error wrapping [ErrInvalidOption] when
// th.Validate fails.
func WithThresholds(th Thresholds) Option {
	return optionFunc(func(c *config) {
		if err := th.Validate(); err != nil && c.err == nil {
			c.err = err
		}
		c.th = th
	})
}

// WithInterval sets the length of the counting interval: records are
// counted per pattern per interval of record time (t.UnixNano() / d), and
// every threshold in [Thresholds] is per interval. The default is
// [DefaultInterval] (1 s); zero means the default and negative is invalid.
func WithInterval(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d < 0 && c.err == nil {
			c.err = fmt.Errorf("%w: interval = %v", ErrInvalidOption, d)
		}
		c.interval, c.intervalSet = d, true
	})
}

// WithScales sets the coarse time scales run besides the interval: for each
// scale, every pattern's records are also counted per bucket of that length,
// with a baseline of its own, and tested for rises (RateSpike) and drops
// (RateDrop) when a bucket ends (see the package documentation, section
// "Time scales"). Each scale must be a multiple of the interval, longer
// than it, and longer than the previous scale; at most 4. WithScales()
// with no scale runs the interval alone. The default is [DefaultScales]
// when [WithInterval] is not given, and no coarse scale when it is (an
// explicit interval is an override: one scale, as chosen).
func WithScales(scales ...time.Duration) Option {
	s := append([]time.Duration(nil), scales...)
	return optionFunc(func(c *config) { c.scales, c.scalesSet = s, true })
}

// WithMaxPatterns caps the number of patterns tracked at once. The table is
// split into shards by signature; when a shard is full, a new pattern evicts
// the least recently seen pattern of that shard that has no active event (or,
// if all have one, the least recently seen). The default is
// [DefaultMaxPatterns] (4096, about 3.6 MB: 879 bytes per pattern, see the
// package documentation, section "Memory and loss"); the memory is
// allocated by [New] for n patterns. Zero means the default and negative is
// invalid.
func WithMaxPatterns(n int) Option {
	return optionFunc(func(c *config) {
		if n < 0 && c.err == nil {
			c.err = fmt.Errorf("%w: max patterns = %d", ErrInvalidOption, n)
		}
		c.maxPatterns = n
	})
}

// WithRecent sets how many closed events [Detector.Snapshot] keeps (the
// oldest is overwritten first). The default is [DefaultRecent] (64); zero
// means the default and negative is invalid.
func WithRecent(n int) Option {
	return optionFunc(func(c *config) {
		if n < 0 && c.err == nil {
			c.err = fmt.Errorf("%w: recent = %d", ErrInvalidOption, n)
		}
		c.recent = n
	})
}

// WithEventBuffer makes [Detector.Events] return a channel buffered for n
// events. An event that does not fit is dropped and counted in
// [Stats].DroppedEvents: Observe never blocks. The channel is closed by
// [Detector.Shutdown]. The default, zero, is no channel; negative is invalid.
func WithEventBuffer(n int) Option {
	return optionFunc(func(c *config) {
		if n < 0 && c.err == nil {
			c.err = fmt.Errorf("%w: event buffer = %d", ErrInvalidOption, n)
		}
		c.eventBuffer = n
	})
}

// WithCallback registers f to be called for every event when it opens and
// again when it closes (End set). f is called on the goroutine of an
// Observe (or Advance) call, after every lock of the detector is released,
// and never concurrently with itself; events queue (up to 1024, then they are
// dropped and counted) while it runs. f must be fast and must not log
// through a logger that feeds this detector synchronously (such records are
// observed, but their events are delivered after f returns). A panic in f is
// recovered and counted in [Stats].CallbackPanics. A nil f means no callback.
func WithCallback(f func(Event)) Option {
	return optionFunc(func(c *config) { c.callback = f })
}

// WithErrorLevel sets the level at or above which a record counts as an
// error for the error-surge detector and for event severities. The default
// is [slog.LevelError].
func WithErrorLevel(level slog.Level) Option {
	return optionFunc(func(c *config) { c.errLevel, c.errLevelSet = level, true })
}

// WithSurgeScope sets which records an active error surge opens the valve
// for. The default is [ScopeService].
func WithSurgeScope(s Scope) Option {
	return optionFunc(func(c *config) {
		if (s != ScopeService && s != ScopeErrors) && c.err == nil {
			c.err = fmt.Errorf("%w: surge scope = %d", ErrInvalidOption, s)
		}
		c.scope = s
	})
}

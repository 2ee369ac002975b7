package server

import (
	"math"
	"time"
)

// Option configures a [Server].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	now          func() time.Time
	interval     time.Duration
	window       time.Duration
	recent       time.Duration
	defaultKeep  float64
	maxBody      int64
	maxPatterns  int
	retention    time.Duration
	errorHandler func(error)
	cacheTTL     time.Duration
	maxWrites    int
	maxQueued    int
	statsWriters int
	// changeThreshold is the relative rate change below which the scheduler
	// keeps the latest version; negative: always store.
	changeThreshold float64
}

func defaults() config {
	return config{
		now:         time.Now,
		interval:    5 * time.Minute,
		window:      time.Hour,
		recent:      5 * time.Minute,
		defaultKeep: 0.1,
		maxBody:     4 << 20,
		maxPatterns: 10000,
		retention:   7 * 24 * time.Hour,
		cacheTTL:    time.Second,
		maxQueued:   DefaultMaxQueuedPatterns,

		changeThreshold: DefaultRateChangeThreshold,
	}
}

// WithClock sets the clock used for report buckets, generation windows and
// timestamps. Nil means time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithScheduleInterval sets how often the scheduler regenerates the policies
// of services that reported stats since their last policy. The default is 5
// minutes; zero or negative turns the scheduler off, with its first-policy
// check ([FirstPolicyAfter]): policies are then generated only on demand.
func WithScheduleInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.interval = d })
}

// WithWindow sets the statistics window the generator looks at. The default
// is 1 hour; zero or negative means the default.
func WithWindow(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.window = d
		}
	})
}

// WithRecentWindow sets the window in which a pattern counts as new or
// spiking. The default is 5 minutes; zero or negative means the default.
func WithRecentWindow(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.recent = d
		}
	})
}

// WithDefaultKeep sets the kept fraction for services without a target of
// their own. The default is 0.1; values outside (0, 1] mean the default.
func WithDefaultKeep(f float64) Option {
	return optionFunc(func(c *config) {
		if f > 0 && f <= 1 {
			c.defaultKeep = f
		}
	})
}

// WithMaxBodyBytes caps request bodies; larger ones are answered 413. The
// default is 4 MiB; zero or negative means the default.
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	})
}

// WithMaxPatternsPerReport caps the patterns of one stats report; larger
// reports are answered 413 as soon as the decoder reaches the first pattern
// beyond the cap (the rest of the body is not decoded). The default is
// 10 000; zero or negative means the default.
func WithMaxPatternsPerReport(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxPatterns = n
		}
	})
}

// WithRetention sets how long per-minute volume is kept; the scheduler prunes
// older buckets. The default is 7 days; zero or negative means the default.
func WithRetention(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.retention = d
		}
	})
}

// WithErrorHandler sets a function called with internal errors (database
// failures, scheduler errors). By default they are only counted (see
// [Server.Stats]). The function may be called concurrently.
func WithErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) { c.errorHandler = f })
}

// DefaultRateChangeThreshold is the default of [WithRateChangeThreshold]:
// a scheduled run stores a new policy version only when some pattern rate
// moved by more than 10 % of its stored value.
const DefaultRateChangeThreshold = 0.1

// WithRateChangeThreshold sets when a scheduled run ([Server.RunScheduled])
// stores a new policy version. It stores one when the freshly generated
// policy differs from the latest stored version: a pattern enters or leaves
// pattern_rates, or some rate r differs from the stored rate r0 by more
// than f·r0 (relative change). Otherwise the latest version stays in force
// and clients keep getting 304 answers. The default is
// [DefaultRateChangeThreshold] (0.1); zero stores a version whenever any
// rate differs at all; a negative f stores a version on every run; NaN
// means the default.
// On-demand generation ([Server.Generate], POST .../generate) always stores
// a version.
func WithRateChangeThreshold(f float64) Option {
	return optionFunc(func(c *config) {
		if !math.IsNaN(f) {
			c.changeThreshold = f
		}
	})
}

// WithCacheTTL sets how long the Server serves, from memory, the team of an
// API key and the latest policy of a service once read from the store, so
// that fleet policy fetches do not wait for the database (on SQLite they
// would compete with the stats writes). A key's team is never served past
// d, so a revoked key is refused at most d later. For 30 s past d a cached
// policy is still served, stale, while one background read per entry
// refreshes it (stale-while-revalidate); after that a request reads the
// store itself. A version stored by another server replica so takes
// effect at most d+30 s later, and within d plus one database read for a
// policy requested at least once per d; versions this Server
// generates are served at once. At most 10 000 keys and 10 000 policies
// (64 MiB of policy bodies) are kept, and at most 16 background reads run
// at once; [Server.Shutdown] stops them. The default is 1 second; zero or
// negative turns the cache off.
func WithCacheTTL(d time.Duration) Option {
	return optionFunc(func(c *config) { c.cacheTTL = d })
}

// WithMaxConcurrentReports sets how many stats reports the Server decodes
// at once; further reports wait (without reading their body) for a slot,
// or until their request is cancelled. A decoded report goes to the write
// queue (see [WithMaxQueuedPatterns]) and frees its slot. The bound keeps a
// burst of reports from taking the CPU and memory that policy reads need.
// The default is 4 on SQLite and 16 on PostgreSQL; zero or negative means
// the default.
func WithMaxConcurrentReports(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxWrites = n
		}
	})
}

// WithMaxQueuedPatterns bounds the stats write queue. Decoded reports are
// queued and written in batches, many reports per transaction, by the
// Server's writer goroutines; a report is answered 202 only once its batch
// is committed. A report counts its patterns plus one while it is queued
// or being written; one that would take the queue beyond n (when the
// queue is not empty) is answered 503 with Retry-After: 1, and nothing of
// it is stored. The default is [DefaultMaxQueuedPatterns] (100 000, about
// 30 MB of queued reports); zero or negative means the default.
func WithMaxQueuedPatterns(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxQueued = n
		}
	})
}

// WithStatsWriters sets the number of writer goroutines of the stats write
// queue (see [WithMaxQueuedPatterns]); reports are spread over them by
// service, so one service's reports are written in order by one writer.
// SQLite has a single writer connection, so it always gets one writer.
// The default on PostgreSQL is 4; zero or negative means the default.
func WithStatsWriters(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.statsWriters = n
		}
	})
}

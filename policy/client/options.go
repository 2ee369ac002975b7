package client

import (
	"net/http"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
)

// Option configures a [Client].
type Option interface{ apply(*clientConfig) }

type clientOptionFunc func(*clientConfig)

func (f clientOptionFunc) apply(c *clientConfig) { f(c) }

type clientConfig struct {
	teamID         int64
	apiKey         string
	httpClient     *http.Client
	interval       time.Duration
	statsInterval  time.Duration
	jitter         float64
	timeout        time.Duration
	maxBytes       int64
	minBackoff     time.Duration
	maxBackoff     time.Duration
	cachePath      string
	setter         PolicySetter
	source         StatsSource
	maxPatterns    int
	errorHandler   func(error)
	userAgent      string
	maxTemplateLen int
}

func defaultClientConfig() clientConfig {
	return clientConfig{
		httpClient:     http.DefaultClient,
		interval:       DefaultSyncInterval,
		jitter:         0.1,
		timeout:        10 * time.Second,
		maxBytes:       policy.MaxDocumentBytes,
		minBackoff:     time.Second,
		maxBackoff:     5 * time.Minute,
		maxPatterns:    1000,
		userAgent:      "lipservice-go",
		maxTemplateLen: 512,
	}
}

// DefaultSyncInterval is the default period of policy fetches and stats
// reports.
const DefaultSyncInterval = 60 * time.Second

// WithTeamID sets the team_id sent with every request. Zero (the default)
// omits it; the server then uses the API key's team.
func WithTeamID(id int64) Option {
	return clientOptionFunc(func(c *clientConfig) { c.teamID = id })
}

// WithAPIKey sets the key sent as "Authorization: Bearer <key>". Empty (the
// default) sends no Authorization header.
func WithAPIKey(key string) Option {
	return clientOptionFunc(func(c *clientConfig) { c.apiKey = key })
}

// WithHTTPClient sets the HTTP client. Nil means http.DefaultClient. The
// per-request timeout ([WithTimeout]) applies in addition to the client's.
func WithHTTPClient(h *http.Client) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if h != nil {
			c.httpClient = h
		}
	})
}

// WithInterval sets the period between policy fetches, before jitter. The
// default is [DefaultSyncInterval] (60 s); zero or negative means the
// default.
func WithInterval(d time.Duration) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if d > 0 {
			c.interval = d
		}
	})
}

// WithStatsInterval sets the period between stats reports, before jitter.
// The default is the fetch interval; zero or negative means the default.
func WithStatsInterval(d time.Duration) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if d > 0 {
			c.statsInterval = d
		}
	})
}

// WithJitter sets the jitter of every wait as a fraction: a wait d becomes a
// uniform draw in [d·(1-f), d·(1+f)], so that a fleet started together
// spreads its requests. The default is 0.1; 0 disables jitter; values are
// clamped to [0, 1].
func WithJitter(f float64) Option {
	return clientOptionFunc(func(c *clientConfig) { c.jitter = min(max(f, 0), 1) })
}

// WithTimeout sets the timeout of one request (connect, send, read). The
// default is 10 s; zero or negative means the default.
func WithTimeout(d time.Duration) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if d > 0 {
			c.timeout = d
		}
	})
}

// WithMaxResponseBytes caps a policy response; a larger one is rejected and
// counted. The default is [policy.MaxDocumentBytes]; zero or negative means the
// default.
func WithMaxResponseBytes(n int64) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if n > 0 {
			c.maxBytes = n
		}
	})
}

// WithBackoff sets the retry delays after failures: the k-th consecutive
// failure waits min(maxDelay, minDelay·2^(k-1)), jittered. The defaults are
// 1 s and 5 min; zero or negative values mean the defaults.
func WithBackoff(minDelay, maxDelay time.Duration) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if minDelay > 0 {
			c.minBackoff = minDelay
		}
		if maxDelay > 0 {
			c.maxBackoff = maxDelay
		}
	})
}

// WithCachePath sets the file that holds the last-known-good policy. The
// client writes every policy it puts in force there (atomically, through a
// temporary file and a rename) and, in [New], puts the file's policy
// in force before the first fetch, so that an instance starting while the
// server is unreachable runs with the last policy it had. Empty (the
// default) disables the cache.
func WithCachePath(path string) Option {
	return clientOptionFunc(func(c *clientConfig) { c.cachePath = path })
}

// WithSetter sets where fetched policies go, typically the sampler. Nil (the
// default) only keeps them in the client ([Client.Policy]).
func WithSetter(s PolicySetter) Option {
	return clientOptionFunc(func(c *clientConfig) { c.setter = s })
}

// WithStatsSource sets where stats reports come from. Nil (the default)
// disables reporting.
func WithStatsSource(s StatsSource) Option {
	return clientOptionFunc(func(c *clientConfig) { c.source = s })
}

// WithMaxPatternsPerReport caps the patterns of one stats report: the
// patterns with the largest counts since the previous report are sent; the
// counts of the others go into total_logs only. The default is 1 000; zero
// or negative means the default.
func WithMaxPatternsPerReport(n int) Option {
	return clientOptionFunc(func(c *clientConfig) {
		if n > 0 {
			c.maxPatterns = n
		}
	})
}

// WithErrorHandler sets a function called, on the client's goroutine,
// with every fetch, report, validation and cache error. By default errors are
// only counted ([Client.Stats]). A panic in the handler is recovered.
func WithErrorHandler(f func(error)) Option {
	return clientOptionFunc(func(c *clientConfig) { c.errorHandler = f })
}

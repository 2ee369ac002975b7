package sampler

import (
	"time"

	"github.com/srex-dev/lipservice-go/policy"
)

// Option configures a [Sampler] built by [New]. Options are applied in order;
// a later option overrides an earlier one of the same kind.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// DefaultMaxPatterns is the number of patterns a Sampler tracks when
// [WithMaxPatterns] is not given.
const DefaultMaxPatterns = 4096

// Clock tells the time. Now must be safe for concurrent use.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

type config struct {
	policy      *policy.Policy
	clock       Clock
	valve       Valve
	onError     func(error)
	maxPatterns int
	attrKeys    bool
	valueKeys   []string
	summary     func(Summary)
	noCache     bool
	noMining    bool
	seed        uint64
	seeded      bool
	hook        Hook
	key         KeyFunc
}

// WithPolicy sets the policy in force when the Sampler starts. The default,
// and what nil means, is [policy.Default]. New returns the policy's
// validation error if it is invalid. The Sampler copies what it needs; p may
// be changed afterwards.
func WithPolicy(p *policy.Policy) Option {
	return optionFunc(func(c *config) { c.policy = p })
}

// WithSeed makes the sampler's draws for records without a trace ID
// reproducible: the random phase of each pattern's systematic accumulator
// (see [Sampler.Decide]) becomes a hash of seed, the pattern and the
// counter stripe. Replays of one stream on one goroutine with the same seed
// then make the same decisions. With a seed, a pattern's counters are not
// striped by goroutine (stripes follow goroutine stacks, which move), so
// concurrent logging contends more. The default is a random phase per
// pattern and striped counters. It is meant for replays (the CLI, tests); in
// a service, a fixed seed also makes every instance keep the same positions
// of a periodic pattern.
func WithSeed(seed uint64) Option {
	return optionFunc(func(c *config) { c.seed, c.seeded = seed, true })
}

// WithClock sets the clock used for records whose Time is zero. The default,
// and what nil means, is the system clock (time.Now).
func WithClock(clk Clock) Option {
	return optionFunc(func(c *config) { c.clock = clk })
}

// WithValve sets the anomaly valve consulted for every record (see [Valve]).
// The default, and what nil means, is no valve: the anomaly rule never
// applies. A valve that implements [SafeValve] is called without a
// deferred recover around it.
func WithValve(v Valve) Option {
	return optionFunc(func(c *config) { c.valve = v })
}

// WithErrorHandler sets a function that receives the sampler's internal
// errors (a panicking Valve, decision hook ([WithHook]), key function
// ([WithKey]) or summary hook, a summary dropped because the previous one
// was still being delivered). It is called
// synchronously, possibly on the logging goroutine, so it must be fast and
// must not log through a logger that this Sampler samples (that would
// recurse). A panic in it is recovered and ignored. The default, and what nil
// means, is to count the error ([Stats].Errors) and drop it.
func WithErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) { c.onError = f })
}

// WithMaxPatterns sets the number of patterns tracked with their own
// counters. It is rounded up to a power of two (at least 4). Zero means
// [DefaultMaxPatterns]; a negative value makes New fail. Memory is 236
// bytes per pattern (a 128-byte slot, 8 stripes of 8-byte counters, its
// tag and a 32-byte rate estimate; 944 KiB for the default), allocated once
// by New,
// plus each tracked pattern's template (at most 512 bytes), allocated when
// the pattern is first tracked. See [Sampler] for what happens to patterns
// beyond the cap. Patterns are placed in buckets of 4 slots by signature, and
// a pattern whose bucket is full overflows even when other buckets have
// room: with n distinct patterns at once, about 80 % of the cap is used
// before the first one overflows (3308 of 4096 in a measurement).
func WithMaxPatterns(n int) Option {
	return optionFunc(func(c *config) { c.maxPatterns = n })
}

// WithAttrKeys sets whether attribute keys enter the pattern ID (folded
// into the message's signature with signature.WithKey, so that
// log.Info("request", "user", u) and log.Info("request", "path", p) are
// different patterns).
//
// The default is false: the pattern is the message's template alone. In
// structured logging (slog, OpenTelemetry) the message names the event and
// the attributes carry its variables, so the keys rarely tell two events
// apart, while they do split one event into several patterns whenever an
// attribute is optional (an "err" added on failure) or comes from context
// (logger.With("request_id", id) in some code paths and not others), which
// divides its counts, its first N and its adaptive budget. Keys also cost
// the adapters a walk over every record's attributes (slogx: about 40 % of
// its per-record overhead, measured with BenchmarkHandler_interleaved);
// without them, and without attribute exemptions in the policy, the
// adapters skip the walk (see [Sampler.NeedsAttrs]). Turn it on for code
// that reuses one generic message ("failed", "done") at many call sites
// with different attributes.
func WithAttrKeys(on bool) Option {
	return optionFunc(func(c *config) { c.attrKeys = on })
}

// WithSummary sets a function that receives a [Summary] at the end of every
// window (the policy's window, 10 s by default): per pattern, how many
// records were seen, kept and dropped in it. Windows follow the records'
// own time, so a window ends when the first record of a later window
// arrives. The function is called on a goroutine owned by the Sampler, one
// summary at a time, and may block or log (even through this Sampler); a
// summary that arrives while the previous one is still being delivered is
// dropped and counted as an error. [Sampler.Shutdown] stops the goroutine.
// The default, and what nil means, is no summaries and no goroutine.
func WithSummary(f func(Summary)) Option {
	return optionFunc(func(c *config) { c.summary = f })
}

// WithSignatureCache turns the message-to-signature cache on or off. The
// default is on: a small table (about 64 KiB) that remembers the signature of
// recently seen messages, so that a constant message (the common slog style)
// is not normalized again. A cache hit is verified with a 64-bit hash of the
// whole message (hash/maphash, seeded per Sampler), so a wrong hit needs a
// 64-bit collision.
func WithSignatureCache(on bool) Option {
	return optionFunc(func(c *config) { c.noCache = !on })
}

package sampler_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// t0 is the start of a 10 s window.
var t0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

func newSampler(t testing.TB, opts ...sampler.Option) *sampler.Sampler {
	t.Helper()
	s, err := sampler.New(opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Shutdown(context.Background())) })
	return s
}

func rec(msg string, level slog.Level, at time.Time, attrs ...sampler.Attr) *sampler.Record {
	return &sampler.Record{Time: at, Level: level, Message: msg, Attrs: attrs}
}

// patternOf is the documented pattern ID: the message's signature folded
// with each attribute key.
func patternOf(msg string, keys ...string) signature.Sig {
	sig := signature.Of(msg)
	for _, k := range keys {
		sig = signature.WithKey(sig, k)
	}
	return sig
}

// fakeClock is a Clock whose time only moves when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// valveFunc adapts a function to sampler.Valve.
type valveFunc func(sig signature.Sig, msg string, level slog.Level, t time.Time) bool

func (f valveFunc) Observe(sig signature.Sig, msg string, level slog.Level, t time.Time) bool {
	return f(sig, msg, level, t)
}

var _ sampler.Valve = valveFunc(nil)

// dropAll is a policy that drops every record no other rule keeps: global
// rate 0, ERROR and CRITICAL too, first-N off.
func dropAll() *policy.Policy { return policy.Uniform(0) }

// letters returns a digit-free word for i, so that distinct i give distinct
// templates.
func letters(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			return string(b)
		}
	}
}

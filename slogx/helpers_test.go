package slogx_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// newSampler returns a Sampler with policy p, shut down at the end of the test.
func newSampler(t testing.TB, p *policy.Policy, opts ...sampler.Option) *sampler.Sampler {
	t.Helper()
	s, err := sampler.New(append([]sampler.Option{sampler.WithPolicy(p)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s
}

// Trace IDs whose decision is known at any rate in (0, 1): the sampler keeps
// a record with a trace ID when the last 8 bytes, shifted right by one, are
// below rate·2^63.
var (
	keepID = [16]byte{0: 1}
	dropID = [16]byte{0: 1, 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 13: 0xff, 14: 0xff, 15: 0xff}
)

type traceKey struct{}

func withTrace(ctx context.Context, id [16]byte) context.Context {
	return context.WithValue(ctx, traceKey{}, id)
}

func traceFromContext(ctx context.Context) [16]byte {
	id, _ := ctx.Value(traceKey{}).([16]byte)
	return id
}

// recorder is a downstream slog.Handler that records what it receives. It
// can return an error, panic, or block until released.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
	level   slog.Level
	err     error
	panics  bool
	entered chan struct{} // if not nil, Handle sends on it, then waits on release
	release chan struct{}
}

func (r *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	if r.panics {
		panic("downstream panic")
	}
	if r.entered != nil {
		r.entered <- struct{}{}
		<-r.release
	}
	r.mu.Lock()
	r.records = append(r.records, rec.Clone())
	r.mu.Unlock()
	return r.err
}

func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func (r *recorder) got() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]slog.Record(nil), r.records...)
}

// attrs returns the attributes of rec by key.
func attrs(rec slog.Record) map[string]slog.Value {
	m := map[string]slog.Value{}
	rec.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value
		return true
	})
	return m
}

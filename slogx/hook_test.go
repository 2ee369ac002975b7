package slogx_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

type hookCall struct {
	ctx   context.Context
	rec   slog.Record
	d     sampler.Decision
	attrs map[string]slog.Value
}

func TestWithHook(t *testing.T) {
	tests := []struct {
		name     string
		pol      *policy.Policy
		attrKeys bool
		wantKeep []bool
	}{
		// First N = 1, then nothing: the hook sees the kept record and
		// the dropped ones, with every attribute even when the sampler
		// reads none.
		{"sampler reads no attributes", &policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}, false, []bool{true, false, false}},
		{"sampler reads attributes", &policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}, true, []bool{true, false, false}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var calls []hookCall
			s := newSampler(t, test.pol, sampler.WithAttrKeys(test.attrKeys))
			next := &recorder{level: slog.LevelDebug}
			h := slogx.New(next, s, slogx.WithHook(func(ctx context.Context, r slog.Record, d sampler.Decision) {
				calls = append(calls, hookCall{ctx: ctx, rec: r.Clone(), d: d, attrs: attrs(r)})
			}))
			logger := slog.New(h.WithAttrs([]slog.Attr{slog.String("svc", "api")}))
			ctx := context.WithValue(context.Background(), traceKey{}, "marker")
			for i := range 3 {
				logger.InfoContext(ctx, "request served", "n", i)
			}
			require.Len(t, calls, 3, "one call per record")
			for i, c := range calls {
				assert.Equal(t, test.wantKeep[i], c.d.Keep, "record %d", i)
				assert.Equal(t, "request served", c.rec.Message)
				assert.Equal(t, int64(i), c.attrs["n"].Int64(), "record %d: the record's own attribute", i)
				assert.Equal(t, "marker", c.ctx.Value(traceKey{}), "the record's context")
			}
			assert.Len(t, next.got(), 1, "only the kept record is forwarded")
		})
	}
}

// A panicking hook is recovered and counted; the record is forwarded or
// dropped as decided.
func TestWithHook_panic(t *testing.T) {
	var reported []error
	s := newSampler(t, policy.KeepAll())
	next := &recorder{level: slog.LevelDebug}
	h := slogx.New(next, s,
		slogx.WithErrorHandler(func(err error) { reported = append(reported, err) }),
		slogx.WithHook(func(context.Context, slog.Record, sampler.Decision) { panic("boom") }))
	err := h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "kept", 0))
	require.NoError(t, err)
	assert.Len(t, next.got(), 1, "the kept record is forwarded")
	require.Len(t, reported, 1)
	assert.EqualError(t, reported[0], "slogx: hook panicked: boom")
	assert.Equal(t, uint64(1), h.Errors())
	assert.Zero(t, s.Stats().Errors, "the sampler's own errors are apart")
}

// Without a sampler, the Handler is a pass-through and calls no hook.
func TestWithHook_nilSampler(t *testing.T) {
	called := false
	next := &recorder{level: slog.LevelDebug}
	h := slogx.New(next, nil, slogx.WithHook(func(context.Context, slog.Record, sampler.Decision) { called = true }))
	require.NoError(t, h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "x", 0)))
	assert.False(t, called)
	assert.Len(t, next.got(), 1)
}

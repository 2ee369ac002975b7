package slogx_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/slogx"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestNew_nilNextPanics(t *testing.T) {
	assert.PanicsWithValue(t, "slogx: nil next handler", func() { slogx.New(nil, nil) })
}

func TestHandler_Handle(t *testing.T) {
	exemptGold := policy.Uniform(0)
	exemptGold.Exempt = &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "req.tier", Value: "gold"}}}

	six := []slog.Attr{slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Int("e", 5), slog.Int("f", 6)}
	tests := []struct {
		name     string
		policy   *policy.Policy
		trace    [16]byte
		group    string      // WithGroup before logging, if not empty
		with     []slog.Attr // WithAttrs before logging
		attrs    []slog.Attr
		wantKept bool
		wantRate float64 // the sample_rate attribute; 0 means absent
	}{
		{name: "keep-all keeps without a rate", policy: policy.KeepAll(), wantKept: true},
		{name: "uniform 0 drops", policy: policy.Uniform(0), trace: keepID},
		{name: "half, kept trace", policy: policy.Uniform(0.5), trace: keepID, wantKept: true, wantRate: 2},
		{name: "half, dropped trace", policy: policy.Uniform(0.5), trace: dropID},
		{name: "quarter, 6 attrs", policy: policy.Uniform(0.25), trace: keepID, attrs: six, wantKept: true, wantRate: 4},
		{
			name: "exempt via WithGroup", policy: exemptGold, group: "req",
			attrs: []slog.Attr{slog.String("tier", "gold")}, wantKept: true,
		},
		{
			name: "exempt via WithGroup and WithAttrs", policy: exemptGold, group: "req",
			with: []slog.Attr{slog.String("tier", "gold")}, wantKept: true,
		},
		{
			name: "exempt via a group value", policy: exemptGold,
			attrs: []slog.Attr{slog.Group("req", slog.String("tier", "gold"))}, wantKept: true,
		},
		{
			name: "not exempt: other value", policy: exemptGold, group: "req",
			attrs: []slog.Attr{slog.String("tier", "silver")},
		},
		{
			name: "not exempt: unqualified key", policy: exemptGold,
			attrs: []slog.Attr{slog.String("tier", "gold")},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rec := &recorder{level: slog.LevelDebug}
			var h slog.Handler = slogx.New(rec, newSampler(t, test.policy), slogx.WithTraceID(traceFromContext))
			if test.group != "" {
				h = h.WithGroup(test.group)
			}
			h = h.WithAttrs(test.with)
			r := slog.NewRecord(t0, slog.LevelInfo, "user logged in", 0)
			r.AddAttrs(test.attrs...)

			require.NoError(t, h.Handle(withTrace(context.Background(), test.trace), r))

			got := rec.got()
			if !test.wantKept {
				assert.Empty(t, got, "record should be dropped")
				return
			}
			require.Len(t, got, 1, "record should be kept")
			a := attrs(got[0])
			if test.wantRate == 0 {
				assert.NotContains(t, a, slogx.DefaultRateKey)
				assert.Equal(t, len(test.attrs), got[0].NumAttrs())
				return
			}
			require.Contains(t, a, slogx.DefaultRateKey)
			assert.Equal(t, slog.KindFloat64, a[slogx.DefaultRateKey].Kind())
			assert.InDelta(t, test.wantRate, a[slogx.DefaultRateKey].Float64(), 1e-12)
			assert.Equal(t, len(test.attrs)+1, got[0].NumAttrs())
		})
	}
}

func TestWithRateKey(t *testing.T) {
	tests := []struct {
		name    string
		opts    []slogx.Option
		wantKey string // "" means no rate attribute
	}{
		{name: "default", wantKey: "sample_rate"},
		{name: "custom", opts: []slogx.Option{slogx.WithRateKey("weight")}, wantKey: "weight"},
		{name: "empty disables", opts: []slogx.Option{slogx.WithRateKey("")}},
		{name: "last wins", opts: []slogx.Option{slogx.WithRateKey("a"), slogx.WithRateKey("b")}, wantKey: "b"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rec := &recorder{}
			opts := append([]slogx.Option{slogx.WithTraceID(traceFromContext)}, test.opts...)
			l := slog.New(slogx.New(rec, newSampler(t, policy.Uniform(0.1)), opts...))
			l.InfoContext(withTrace(context.Background(), keepID), "hello", "k", "v")
			got := rec.got()
			require.Len(t, got, 1)
			a := attrs(got[0])
			if test.wantKey == "" {
				assert.Equal(t, map[string]slog.Value{"k": slog.StringValue("v")}, a)
				return
			}
			require.Contains(t, a, test.wantKey)
			assert.InDelta(t, 10, a[test.wantKey].Float64(), 1e-9)
		})
	}
}

func TestHandler_nilSamplerPassesThrough(t *testing.T) {
	rec := &recorder{}
	h := slogx.New(rec, nil)
	l := slog.New(h.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("x", 1)}))
	for range 3 {
		l.Info("m", "k", "v")
	}
	got := rec.got()
	require.Len(t, got, 3)
	assert.Equal(t, map[string]slog.Value{"k": slog.StringValue("v")}, attrs(got[0]))
}

// The rate attribute goes on the forwarded copy only, even past slog's
// inline attribute array, where copies of a Record share a backing array.
func TestHandler_callerRecordUnchanged(t *testing.T) {
	rec := &recorder{}
	h := slogx.New(rec, newSampler(t, policy.Uniform(0.5)), slogx.WithTraceID(traceFromContext))
	ctx := withTrace(context.Background(), keepID)
	for _, n := range []int{0, 4, 5, 6, 12} {
		r := slog.NewRecord(t0, slog.LevelInfo, "m", 0)
		for i := range n {
			r.AddAttrs(slog.Int("a", i))
		}
		require.NoError(t, h.Handle(ctx, r))
		require.NoError(t, h.Handle(ctx, r))
		r2 := r // a copy that a fan-out handler might hold
		r2.AddAttrs(slog.String("own", "x"))
		assert.Equal(t, n, r.NumAttrs(), "caller's record changed (n=%d)", n)
		a := attrs(r2)
		assert.NotContains(t, a, "!BUG", "n=%d", n)
		assert.NotContains(t, a, slogx.DefaultRateKey, "n=%d", n)
	}
	for _, got := range rec.got() {
		a := attrs(got)
		assert.Contains(t, a, slogx.DefaultRateKey)
		assert.NotContains(t, a, "!BUG")
		assert.NotContains(t, a, "own")
	}
}

func TestHandler_errorPassesThrough(t *testing.T) {
	rec := &recorder{err: assert.AnError}
	h := slogx.New(rec, newSampler(t, policy.KeepAll()))
	err := h.Handle(context.Background(), slog.NewRecord(t0, slog.LevelInfo, "m", 0))
	assert.Same(t, assert.AnError, err, "the downstream error must be returned unchanged")
}

func TestHandler_Enabled(t *testing.T) {
	h := slogx.New(&recorder{level: slog.LevelWarn}, newSampler(t, policy.KeepAll()))
	assert.False(t, h.Enabled(context.Background(), slog.LevelInfo))
	assert.True(t, h.Enabled(context.Background(), slog.LevelWarn))
	assert.True(t, h.WithGroup("g").Enabled(context.Background(), slog.LevelError))
}

// A panicking downstream leaves the sampler consistent: the record was
// counted before the call, and later decisions are unaffected.
func TestHandler_panickingDownstream(t *testing.T) {
	p := policy.Uniform(0)
	p.FirstN = new(1)
	s := newSampler(t, p)
	bad := slogx.New(&recorder{panics: true}, s)
	rec := &recorder{}
	good := slogx.New(rec, s)

	r := slog.NewRecord(t0, slog.LevelInfo, "job done", 0)
	assert.PanicsWithValue(t, "downstream panic", func() { _ = bad.Handle(context.Background(), r) })
	require.NoError(t, good.Handle(context.Background(), r))
	require.NoError(t, good.Handle(context.Background(), r))

	assert.Empty(t, rec.got(), "first-N was used by the record whose downstream panicked; the rest are dropped")
	st := s.Stats()
	assert.Equal(t, uint64(3), st.Seen)
	assert.Equal(t, uint64(1), st.Kept)
	assert.Equal(t, uint64(2), st.Dropped)
	assert.Zero(t, st.Errors)
}

// A downstream blocked inside Handle holds no lock of ours: another
// goroutine's record is decided and forwarded meanwhile.
func TestHandler_slowDownstream(t *testing.T) {
	s := newSampler(t, policy.KeepAll())
	slow := &recorder{entered: make(chan struct{}), release: make(chan struct{})}
	fast := &recorder{}
	hs, hf := slogx.New(slow, s), slogx.New(fast, s)

	done := make(chan error)
	go func() { done <- hs.Handle(context.Background(), slog.NewRecord(t0, slog.LevelInfo, "slow", 0)) }()
	<-slow.entered
	require.NoError(t, hf.Handle(context.Background(), slog.NewRecord(t0, slog.LevelInfo, "fast", 0)))
	assert.Len(t, fast.got(), 1, "a blocked downstream must not block other records")
	close(slow.release)
	require.NoError(t, <-done)
	assert.Equal(t, uint64(2), s.Stats().Seen)
}

func TestWithTraceID_panicIsCounted(t *testing.T) {
	var reported []error
	var mu sync.Mutex
	rec := &recorder{}
	h := slogx.New(rec, newSampler(t, policy.KeepAll()),
		slogx.WithTraceID(func(context.Context) [16]byte { panic("boom") }),
		slogx.WithErrorHandler(func(err error) {
			mu.Lock()
			reported = append(reported, err)
			mu.Unlock()
			panic("the error handler may panic too")
		}))
	l := slog.New(h).With("k", "v")
	l.Info("one")
	l.Info("two")
	assert.Len(t, rec.got(), 2, "records are still handled")
	assert.Equal(t, uint64(2), h.Errors())
	require.Len(t, reported, 2)
	assert.ErrorContains(t, reported[0], "slogx: trace ID extractor panicked: boom")
}

// Handlers derived with WithAttrs and WithGroup share the sampler's
// per-pattern state: with first-N = 2, the third record of one pattern is
// dropped whichever handler logs it.
func TestHandler_derivedShareState(t *testing.T) {
	p := policy.Uniform(0)
	p.FirstN = new(2)
	s := newSampler(t, p)
	rec := &recorder{}
	root := slogx.New(rec, s)
	// No attributes, so all three log the same pattern.
	for _, h := range []slog.Handler{root, root.WithGroup("g"), root.WithGroup("g").WithGroup("h")} {
		require.NoError(t, h.Handle(context.Background(), slog.NewRecord(t0, slog.LevelInfo, "tick", 0)))
	}
	assert.Len(t, rec.got(), 2)
	st := s.Stats()
	assert.Equal(t, uint64(3), st.Seen)
	require.Len(t, st.Patterns, 1)
	assert.Equal(t, uint64(1), st.Patterns[0].Dropped)
}

// TestHandler_races logs from 16 goroutines through derived handlers while
// the policy is swapped; it is meant for -race.
func TestHandler_races(t *testing.T) {
	s := newSampler(t, policy.KeepAll())
	var mu sync.Mutex
	n := 0
	count := slog.Handler(countHandler{&mu, &n})
	h := slogx.New(count, s, slogx.WithTraceID(traceFromContext))
	const goroutines, each = 16, 200
	var wg sync.WaitGroup
	stop := make(chan struct{})
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		pols := []*policy.Policy{policy.Uniform(0.1), policy.KeepAll(), policy.Uniform(0.5)}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			assert.NoError(t, s.SetPolicy(pols[i%len(pols)]))
		}
	}()
	for g := range goroutines {
		wg.Go(func() {
			var l *slog.Logger
			if g%2 == 0 {
				l = slog.New(h.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("goroutine", g)}))
			} else {
				l = slog.New(h)
			}
			for i := range each {
				l.Info("request served", "path", "/api", "i", i)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-swapped
	st := s.Stats()
	assert.Equal(t, uint64(goroutines*each), st.Seen)
	mu.Lock()
	assert.Equal(t, int(st.Kept), n, "every kept record reaches the downstream")
	mu.Unlock()
}

type countHandler struct {
	mu *sync.Mutex
	n  *int
}

func (c countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (c countHandler) Handle(context.Context, slog.Record) error {
	c.mu.Lock()
	*c.n++
	c.mu.Unlock()
	return nil
}
func (c countHandler) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c countHandler) WithGroup(string) slog.Handler      { return c }

// A handler without a trace ID extractor must not see the trace ID of a
// record that another handler decided before it (scratch memory is pooled).
func TestHandler_noStaleTraceID(t *testing.T) {
	s := newSampler(t, policy.Uniform(0.5))
	withID := slogx.New(&recorder{}, s, slogx.WithTraceID(func(context.Context) [16]byte { return dropID }))
	rec := &recorder{}
	without := slogx.New(rec, s)
	ctx := context.Background()
	for range 200 {
		require.NoError(t, withID.Handle(ctx, slog.NewRecord(t0, slog.LevelInfo, "m", 0)))
		require.NoError(t, without.Handle(ctx, slog.NewRecord(t0, slog.LevelInfo, "m", 0)))
	}
	// Without a trace ID each record is kept with probability 1/2; with the
	// stale dropID none would be (P(0 of 200) = 2^-200).
	assert.NotEmpty(t, rec.got())
}

package anomaly

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// panicValve is a user Valve that panics: the reference for what the
// sampler does with a failing valve.
var st0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

type panicValve struct{}

func (panicValve) Observe(signature.Sig, string, slog.Level, time.Time) bool { panic("user boom") }

// within runs f and fails the test if it does not return in 10 s (a shard
// lock left held by a recovered panic would block it forever).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked: a lock left held after a panic?", what)
	}
}

// TestObserveSafe_panicThroughDecide forces a panic in the detector's full
// path, under its shard lock, through sampler.Decide: the record is kept
// as for a panicking user valve, the error is counted and reported, and
// the shard's lock is released (the next records of the pattern pass).
func TestObserveSafe_panicThroughDecide(t *testing.T) {
	d, err := New()
	require.NoError(t, err)
	var armed atomic.Bool
	d.panicHook = func() {
		if armed.Load() {
			panic("hook boom")
		}
	}
	var got []error
	s, err := sampler.New(sampler.WithPolicy(policy.Uniform(0)), sampler.WithValve(d),
		sampler.WithErrorHandler(func(err error) { got = append(got, err) }))
	require.NoError(t, err)
	user, err := sampler.New(sampler.WithPolicy(policy.Uniform(0)), sampler.WithValve(panicValve{}))
	require.NoError(t, err)

	rec := func(i int) *sampler.Record {
		return &sampler.Record{Level: slog.LevelInfo, Message: "request served",
			Time: st0.Add(time.Duration(i) * time.Millisecond)}
	}
	armed.Store(true)
	var dec sampler.Decision
	var st sampler.Stats // Stats takes every shard lock (the detector's snapshot)
	within(t, "the panicking Decide", func() { dec = s.Decide(rec(0)); st = s.Stats() })
	ref := user.Decide(rec(0))
	assert.Equal(t, ref.Reason, dec.Reason, "the reason of a panicking user valve")
	assert.Equal(t, sampler.ReasonError, dec.Reason)
	assert.True(t, dec.Keep)
	assert.Equal(t, 1.0, dec.Rate)
	assert.Equal(t, uint64(1), st.Errors, "the panic is counted")
	require.Len(t, got, 1)
	assert.ErrorContains(t, got[0], "hook boom")

	armed.Store(false)
	within(t, "Decide after the panic", func() {
		for i := 1; i < 2000; i++ { // past the first interval: the shard rolls too
			dec = s.Decide(rec(i))
			require.NotEqual(t, sampler.ReasonError, dec.Reason, "record %d", i)
		}
		st = s.Stats()
	})
	assert.Equal(t, uint64(1), st.Errors)
}

// TestObserve_panicReleasesLocks: Observe itself still panics on a failure
// of its full path (ObserveSafe reports it instead), with its locks
// released; both wrap an error panic value.
func TestObserve_panicReleasesLocks(t *testing.T) {
	d, err := New()
	require.NoError(t, err)
	boom := errors.New("typed boom")
	var armed atomic.Bool
	d.panicHook = func() {
		if armed.Load() {
			panic(boom)
		}
	}
	sig := signature.Sig(42)
	armed.Store(true)
	within(t, "Observe", func() {
		assert.PanicsWithError(t, "anomaly: panic: typed boom", func() { d.Observe(sig, "m", slog.LevelInfo, st0) })
		open, err := d.ObserveSafe(sig, "m", slog.LevelError, st0)
		assert.False(t, open)
		assert.ErrorIs(t, err, boom)
	})
	armed.Store(false)
	within(t, "Observe after the panics", func() {
		for i := range 3000 {
			_, err := d.ObserveSafe(sig, "m", slog.LevelInfo, st0.Add(time.Duration(i)*time.Millisecond))
			require.NoError(t, err)
		}
		_ = d.Snapshot()
	})
}

// TestObserveSafe_SameAsObserve feeds one stream to two detectors, one
// through Observe and one through ObserveSafe: Observe's contract is
// ObserveSafe's, and the answers and counters must agree record for record.
func TestObserveSafe_SameAsObserve(t *testing.T) {
	var evA, evB []Event
	a, err := New(WithCallback(func(e Event) { evA = append(evA, e) }))
	require.NoError(t, err)
	b, err := New(WithCallback(func(e Event) { evB = append(evB, e) }))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(11, 12))
	const patterns = 300
	at := st0
	for i := range 400_000 {
		p := rng.IntN(patterns)
		if i > 300_000 && i < 310_000 {
			p = 7 // a burst of one pattern
		}
		if i > 200_000 && p > 250 {
			continue // some patterns go silent
		}
		lvl := slog.LevelInfo
		if rng.IntN(50) == 0 || (i > 350_000 && i < 352_000) {
			lvl = slog.LevelError
		}
		at = at.Add(time.Duration(rng.IntN(20)) * time.Millisecond)
		sig := signature.Sig(1000 + p)
		msg := "pattern " + strconv.Itoa(p)
		oa := a.Observe(sig, msg, lvl, at)
		ob, err := b.ObserveSafe(sig, msg, lvl, at)
		require.NoError(t, err)
		require.Equal(t, oa, ob, "record %d", i)
	}
	sa, sb := a.Snapshot(), b.Snapshot()
	assert.Equal(t, sa.Stats, sb.Stats)
	assert.Equal(t, len(evA), len(evB))
	assert.NotZero(t, sa.Stats.EventsOpened, "the stream opens events")
}

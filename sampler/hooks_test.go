package sampler_test

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// hookLog records the calls of a hook.
type hookLog struct {
	mu    sync.Mutex
	recs  []sampler.Record
	decs  []sampler.Decision
	calls atomic.Int64
}

func (l *hookLog) hook(r sampler.Record, d sampler.Decision) {
	l.calls.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
	l.decs = append(l.decs, d)
}

func TestWithHook(t *testing.T) {
	tests := []struct {
		name    string
		pol     *policy.Policy
		disable bool
		// wantReasons are the reasons the hook sees for the records
		// "a 1", "a 2", "a 3", "b" (ERROR), in order.
		wantReasons []sampler.Reason
		wantKeep    []bool
		wantDryRun  bool
	}{
		{"first N then global", &policy.Policy{GlobalRate: new(0.0), FirstN: new(2)},
			false,
			[]sampler.Reason{sampler.ReasonFirstN, sampler.ReasonFirstN, sampler.ReasonGlobal, sampler.ReasonFirstN},
			[]bool{true, true, false, true}, false},
		{"severity exemption", &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), Exempt: &policy.Exemptions{Levels: []string{"ERROR"}}},
			false,
			[]sampler.Reason{sampler.ReasonGlobal, sampler.ReasonGlobal, sampler.ReasonGlobal, sampler.ReasonExempt},
			[]bool{false, false, false, true}, false},
		{"kill switch", policy.Uniform(0), true,
			[]sampler.Reason{sampler.ReasonDisabled, sampler.ReasonDisabled, sampler.ReasonDisabled, sampler.ReasonDisabled},
			[]bool{true, true, true, true}, false},
		{"dry run", &policy.Policy{GlobalRate: new(0.0), FirstN: new(0), DryRun: true}, false,
			[]sampler.Reason{sampler.ReasonGlobal, sampler.ReasonGlobal, sampler.ReasonGlobal, sampler.ReasonSeverity},
			[]bool{true, true, true, true}, true},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var l hookLog
			s := newSampler(t, sampler.WithPolicy(test.pol), sampler.WithHook(l.hook))
			if test.disable {
				s.Disable()
			}
			recs := []*sampler.Record{
				rec("a 1", slog.LevelInfo, t0, sampler.Attr{Key: "k", Value: "v"}),
				rec("a 2", slog.LevelInfo, t0),
				rec("a 3", slog.LevelInfo, t0),
				rec("b", slog.LevelError, t0),
			}
			var got []sampler.Decision
			for _, r := range recs {
				got = append(got, s.Decide(r))
			}
			require.Len(t, l.decs, len(recs), "one hook call per record")
			for i := range recs {
				assert.Equal(t, got[i], l.decs[i], "record %d: the hook sees the returned decision", i)
				assert.Equal(t, test.wantReasons[i], l.decs[i].Reason, "record %d", i)
				assert.Equal(t, test.wantKeep[i], l.decs[i].Keep, "record %d", i)
				assert.Equal(t, test.wantDryRun, l.decs[i].DryRun, "record %d", i)
				assert.Equal(t, *recs[i], l.recs[i], "record %d: the hook sees the record", i)
			}
			if test.wantDryRun {
				assert.True(t, l.decs[0].WouldDrop, "dry run: the hook sees WouldDrop")
			}
			assert.Zero(t, s.Stats().Errors)
		})
	}
}

// The hook's counts by decision equal the sampler's own counters.
func TestWithHook_countsMatchStats(t *testing.T) {
	var kept, dropped atomic.Uint64
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.25), FirstN: new(3)}),
		sampler.WithHook(func(_ sampler.Record, d sampler.Decision) {
			if d.Keep {
				kept.Add(1)
			} else {
				dropped.Add(1)
			}
		}))
	for i := range 1000 {
		s.Decide(rec(letters(i%7), slog.LevelInfo, t0))
	}
	st := s.Stats()
	assert.Equal(t, st.Kept, kept.Load(), "kept")
	assert.Equal(t, st.Dropped, dropped.Load(), "dropped")
	assert.Equal(t, uint64(1000), kept.Load()+dropped.Load())
}

// A panicking hook is recovered, counted and reported; the decision is the
// one made, and the next record is decided as usual.
func TestWithHook_panic(t *testing.T) {
	var reported []error
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithErrorHandler(func(err error) { reported = append(reported, err) }),
		sampler.WithHook(func(_ sampler.Record, d sampler.Decision) {
			if !d.Keep {
				panic(assert.AnError)
			}
		}))
	d1 := s.Decide(rec("x", slog.LevelInfo, t0))
	d2 := s.Decide(rec("x", slog.LevelInfo, t0))
	assert.True(t, d1.Keep)
	assert.Equal(t, sampler.ReasonFirstN, d1.Reason)
	assert.False(t, d2.Keep, "the decision survives the hook's panic")
	assert.Equal(t, sampler.ReasonGlobal, d2.Reason)
	require.Len(t, reported, 1)
	assert.True(t, errors.Is(reported[0], assert.AnError), "the panic value is wrapped: %v", reported[0])
	assert.Contains(t, reported[0].Error(), "sampler: hook panicked")
	st := s.Stats()
	assert.Equal(t, uint64(1), st.Errors)
	assert.Equal(t, uint64(2), st.Seen)
	assert.Equal(t, uint64(1), st.Dropped)
}

// A nil record is not passed to the hook.
func TestWithHook_nilRecord(t *testing.T) {
	var l hookLog
	s := newSampler(t, sampler.WithHook(l.hook))
	d := s.Decide(nil)
	assert.Equal(t, sampler.ReasonError, d.Reason)
	assert.Zero(t, l.calls.Load())
}

func TestWithKey(t *testing.T) {
	route := func(_ slog.Level, msg string, attrs []sampler.Attr) signature.Sig {
		k := signature.OfTemplate(msg)
		for _, a := range attrs {
			if a.Key == "route" {
				k = signature.WithKey(k, a.Value)
			}
		}
		return k
	}
	s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}), sampler.WithKey(route))
	assert.True(t, s.NeedsAttrs(), "a key function reads the attributes")
	tests := []struct {
		name   string
		r      *sampler.Record
		reason sampler.Reason
	}{
		{"first of /a", rec("served", slog.LevelInfo, t0, sampler.Attr{Key: "route", Value: "/a"}), sampler.ReasonFirstN},
		{"first of /b", rec("served", slog.LevelInfo, t0, sampler.Attr{Key: "route", Value: "/b"}), sampler.ReasonFirstN},
		{"second of /a", rec("served", slog.LevelInfo, t0, sampler.Attr{Key: "route", Value: "/a"}), sampler.ReasonGlobal},
		// The exact message is the key: another number is another key,
		// where the template key would have merged them.
		{"served 1", rec("served 1", slog.LevelInfo, t0), sampler.ReasonFirstN},
		{"served 2", rec("served 2", slog.LevelInfo, t0), sampler.ReasonFirstN},
		{"served 2 again", rec("served 2", slog.LevelInfo, t0), sampler.ReasonGlobal},
	}
	for _, test := range tests {
		d := s.Decide(test.r)
		assert.Equal(t, test.reason, d.Reason, test.name)
		want := route(test.r.Level, test.r.Message, test.r.Attrs)
		assert.Equal(t, want, d.Pattern, "%s: the pattern ID is the key", test.name)
		assert.Equal(t, want, d.Signature, "%s: the signature is the key", test.name)
	}
	st := s.Stats()
	assert.Len(t, st.Patterns, 4, "four keys: /a, /b, served 1, served 2")
	for _, p := range st.Patterns {
		if p.Pattern == route(0, "served", []sampler.Attr{{Key: "route", Value: "/a"}}) {
			assert.Equal(t, uint64(2), p.Seen)
			assert.Equal(t, "served", p.Template, "the template of the key's first record")
		}
	}
}

// Without a key function the template is the key: the control for
// TestWithKey.
func TestWithKey_nilIsTemplate(t *testing.T) {
	s := newSampler(t, sampler.WithKey(nil), sampler.WithPatternMining(false))
	d := s.Decide(rec("served 1", slog.LevelInfo, t0, sampler.Attr{Key: "route", Value: "/a"}))
	assert.Equal(t, signature.Of("served 1"), d.Pattern)
	assert.Equal(t, signature.Of("served 2"), d.Pattern)
	assert.False(t, s.NeedsAttrs())
}

// A policy's pattern rate applies to a custom key.
func TestWithKey_patternRate(t *testing.T) {
	byLevel := func(l slog.Level, _ string, _ []sampler.Attr) signature.Sig { return signature.OfTemplate(l.String()) }
	s := newSampler(t, sampler.WithKey(byLevel), sampler.WithPolicy(&policy.Policy{
		GlobalRate: new(1.0), FirstN: new(0),
		PatternRates: map[signature.Sig]float64{signature.OfTemplate("DEBUG"): 0}}))
	assert.False(t, s.Decide(rec("anything 1", slog.LevelDebug, t0)).Keep)
	d := s.Decide(rec("anything 1", slog.LevelInfo, t0))
	assert.True(t, d.Keep)
	assert.Equal(t, sampler.ReasonGlobal, d.Reason)
}

// A panicking key function is recovered and counted; the record is keyed
// by its template.
func TestWithKey_panic(t *testing.T) {
	var reported []error
	s := newSampler(t, sampler.WithPatternMining(false),
		sampler.WithErrorHandler(func(err error) { reported = append(reported, err) }),
		sampler.WithKey(func(slog.Level, string, []sampler.Attr) signature.Sig { panic("boom") }))
	d := s.Decide(rec("served 1", slog.LevelInfo, t0))
	assert.True(t, d.Keep)
	assert.Equal(t, signature.Of("served 7"), d.Pattern, "keyed by the template")
	require.Len(t, reported, 1)
	assert.EqualError(t, reported[0], "sampler: key function panicked: boom")
	assert.Equal(t, uint64(1), s.Stats().Errors)
}

// TestHookRaces decides from several goroutines with a hook and a key
// function; it exists to be run under -race, and checks that every
// decision reaches the hook once.
func TestHookRaces(t *testing.T) {
	var calls, kept atomic.Uint64
	s := newSampler(t, sampler.WithPolicy(policy.Uniform(0.5)),
		sampler.WithKey(func(l slog.Level, msg string, _ []sampler.Attr) signature.Sig {
			return signature.WithKey(signature.OfTemplate(msg), l.String())
		}),
		sampler.WithHook(func(_ sampler.Record, d sampler.Decision) {
			calls.Add(1)
			if d.Keep {
				kept.Add(1)
			}
		}))
	const goroutines, each = 4, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				s.Decide(rec(letters(i%5), slog.Level(4*(g%3)), t0))
			}
		})
	}
	wg.Wait()
	st := s.Stats()
	assert.Equal(t, uint64(goroutines*each), calls.Load())
	assert.Equal(t, st.Seen, calls.Load())
	assert.Equal(t, st.Kept, kept.Load())
}

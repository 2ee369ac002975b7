package sampler_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// freeText returns n messages of one event whose variables the normalizer
// does not mask: an e-mail local part and a quoted free-text value.
func freeText(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "email sent to " + letters(i) + ".miller@example.com note=\"" + letters(i+3) + " " + letters(i*7) + "\" template=welcome"
	}
	return out
}

// TestPatterns_freeText checks that a family of signatures is sampled as
// one pattern: one first-N, one ID in Decisions and Stats, and a template
// without the raw values.
func TestPatterns_freeText(t *testing.T) {
	tests := []struct {
		name  string
		cache bool
	}{{"cache", true}, {"no cache", false}}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			s := newSampler(t, sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(5)}),
				sampler.WithSignatureCache(test.cache))
			msgs := freeText(200)
			sigs := map[signature.Sig]bool{}
			ids := map[signature.Sig]bool{}
			kept := 0
			for _, msg := range msgs {
				d := s.Decide(rec(msg, slog.LevelInfo, t0))
				assert.Equal(t, signature.Of(msg), d.Signature, "Decision.Signature is the exact signature")
				sigs[d.Signature], ids[d.Pattern] = true, true
				if d.Keep {
					kept++
				}
			}
			// Signature v3 masks the e-mail and the quoted note itself, so
			// the messages may share signatures; the pattern layer must
			// give one family either way.
			assert.NotEmpty(t, sigs)
			assert.LessOrEqual(t, len(ids), 2, "the first record's exact ID, then the family's")
			assert.LessOrEqual(t, kept, 5+1, "one first-N for the family (plus the first record's own)")
			want := signature.OfTemplate(`email sent to <*> note=<*> template=welcome`)
			d := s.Decide(rec(msgs[0], slog.LevelInfo, t0))
			assert.Equal(t, want, d.Pattern, "the first message maps to the family's ID once learned")
			var found bool
			for _, ps := range s.Stats().Patterns {
				if ps.Pattern == want {
					found = true
					assert.Equal(t, `email sent to <*> note=<*> template=welcome`, ps.Template)
					assert.Equal(t, uint64(len(msgs)+1), ps.Seen)
				}
			}
			assert.True(t, found, "the family's pattern is in Stats")
		})
	}
}

// TestPatterns_policyMap checks that a policy's pattern_map overrides the
// miner, and that pattern_rates apply to the mapped ID.
func TestPatterns_policyMap(t *testing.T) {
	a, b := "job 12 started", "job 12 finished"
	target := signature.Sig(0x5eed)
	p := &policy.Policy{
		FirstN:       new(0),
		PatternMap:   map[signature.Sig]signature.Sig{signature.Of(a): target, signature.Of(b): target},
		PatternRates: map[signature.Sig]float64{target: 0},
	}
	s := newSampler(t, sampler.WithPolicy(policy.KeepAll()))
	d := s.Decide(rec(a, slog.LevelInfo, t0))
	require.Equal(t, signature.Of(a), d.Pattern, "no map: the miner's ID")
	require.NoError(t, s.SetPolicy(p))
	for _, msg := range []string{a, b} {
		d = s.Decide(rec(msg, slog.LevelInfo, t0))
		assert.Equal(t, target, d.Pattern, "%s: the mapped ID", msg)
		assert.Equal(t, signature.Of(msg), d.Signature)
		assert.Equal(t, sampler.ReasonPattern, d.Reason)
		assert.False(t, d.Keep, "the mapped ID's rate applies")
	}
	require.NoError(t, s.SetPolicy(policy.KeepAll()))
	assert.Equal(t, signature.Of(a), s.Decide(rec(a, slog.LevelInfo, t0)).Pattern, "the map is gone with the policy")
}

// TestPatterns_miningOff checks that without mining the pattern is the
// signature.
func TestPatterns_miningOff(t *testing.T) {
	s := newSampler(t, sampler.WithPatternMining(false))
	for _, msg := range freeText(20) {
		d := s.Decide(rec(msg, slog.LevelInfo, t0))
		assert.Equal(t, signature.Of(msg), d.Pattern)
		assert.Equal(t, d.Pattern, d.Signature)
	}
}

// TestPatterns_noRawValues checks that once a family is learned, the
// templates in Stats of patterns that saw more than their first record
// carry none of the family's raw values.
func TestPatterns_noRawValues(t *testing.T) {
	s := newSampler(t)
	msgs := freeText(100)
	for _, msg := range msgs {
		s.Decide(rec(msg, slog.LevelInfo, t0))
	}
	for _, ps := range s.PatternStats() {
		if ps.Seen < 2 {
			continue // the first record of a family, under its exact template (see WithPatternMining)
		}
		for i := 5; i < len(msgs); i++ {
			assert.NotContains(t, ps.Template, letters(i)+".miller", "template %q", ps.Template)
		}
		assert.False(t, strings.Contains(ps.Template, `note="`), "template %q", ps.Template)
	}
}

// TestPatterns_races decides free-text families from several goroutines
// while policies with pattern maps are swapped in (run with -race).
func TestPatterns_races(t *testing.T) {
	s := newSampler(t, sampler.WithMaxPatterns(64))
	msgs := freeText(400)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range msgs {
				d := s.Decide(rec(msgs[(i*(g+1))%len(msgs)], slog.LevelInfo, t0))
				if d.Signature == 0 {
					t.Error("no signature")
				}
				if g == 0 && i%50 == 0 {
					_ = s.SetPolicy(&policy.Policy{PatternMap: map[signature.Sig]signature.Sig{signature.Of(msgs[i]): 7}})
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, uint64(4*len(msgs)), s.Stats().Seen)
}

// TestPatterns_valveKeyStable checks that the valve observes a pattern under
// the ID it was created with (pattern.Miner.Origin): when the pattern
// generalizes, Decision.Pattern changes but the valve's key does not, so a
// known event is not a new pattern to the anomaly detector.
func TestPatterns_valveKeyStable(t *testing.T) {
	for _, cache := range []bool{true, false} {
		var keys []signature.Sig
		v := valveFunc(func(sig signature.Sig, _ string, _ slog.Level, _ time.Time) bool {
			keys = append(keys, sig)
			return false
		})
		s := newSampler(t, sampler.WithValve(v), sampler.WithSignatureCache(cache))
		first := s.Decide(rec(`handler main.(*Server).Get failed`, slog.LevelInfo, t0))
		second := s.Decide(rec(`handler main.(*Server).Put failed`, slog.LevelInfo, t0))
		again := s.Decide(rec(`handler main.(*Server).Get failed`, slog.LevelInfo, t0))
		require.NotEqual(t, first.Pattern, second.Pattern, "cache %v: the pattern generalized", cache)
		assert.Equal(t, signature.OfTemplate("handler <*> failed"), second.Pattern)
		assert.Equal(t, second.Pattern, again.Pattern, "cache %v: the first message follows", cache)
		assert.Equal(t, []signature.Sig{first.Pattern, first.Pattern, first.Pattern}, keys,
			"cache %v: the valve sees the pattern's first ID throughout", cache)
	}
}

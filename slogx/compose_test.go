package slogx_test

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// messages returns the messages of recs.
func messages(recs []slog.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Message
	}
	return out
}

// TestCompose_fanOut proves the counts of the documented wirings of one
// Sampler with a fan-out handler (slog.MultiHandler): decided once before
// the fan-out, every record is counted once and every branch gets the same
// records; wrapping each branch with the same Sampler counts every record
// once per branch, which is why the package doc warns against it.
func TestCompose_fanOut(t *testing.T) {
	const n = 400
	tests := []struct {
		name string
		wire func(s *sampler.Sampler, a, b *recorder) slog.Handler
		// wantSeen is the sampler's count of the n records; wantSame
		// reports that both branches get the same records.
		wantSeen uint64
		wantSame bool
		// wantAllB reports that branch b, unsampled, gets all n records.
		wantAllB bool
	}{
		{"decide once before the fan-out", func(s *sampler.Sampler, a, b *recorder) slog.Handler {
			return slogx.New(slog.NewMultiHandler(a, b), s)
		}, n, true, false},
		{"one sampled branch", func(s *sampler.Sampler, a, b *recorder) slog.Handler {
			return slog.NewMultiHandler(slogx.New(a, s), b)
		}, n, false, true},
		{"same sampler in each branch (double count)", func(s *sampler.Sampler, a, b *recorder) slog.Handler {
			return slog.NewMultiHandler(slogx.New(a, s), slogx.New(b, s))
		}, 2 * n, false, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var hookCalls atomic.Uint64
			s := newSampler(t, &policy.Policy{GlobalRate: new(0.25), FirstN: new(2)},
				sampler.WithHook(func(sampler.Record, sampler.Decision) { hookCalls.Add(1) }))
			a, b := &recorder{level: slog.LevelDebug}, &recorder{level: slog.LevelDebug}
			logger := slog.New(test.wire(s, a, b))
			for i := range n {
				logger.Info("request " + strconv.Itoa(i%4) + " served")
			}
			st := s.Stats()
			assert.Equal(t, test.wantSeen, st.Seen, "records counted by the sampler")
			assert.Equal(t, test.wantSeen, hookCalls.Load(), "decisions made")
			ga, gb := a.got(), b.got()
			if test.wantSeen == n {
				assert.Less(t, len(ga), n/2, "branch a is sampled")
				assert.Greater(t, len(ga), n/8, "branch a keeps about a quarter")
			}
			if test.wantSame {
				assert.Equal(t, messages(ga), messages(gb), "both branches get the same records")
				assert.Equal(t, st.Kept, uint64(len(ga)), "kept = what each branch got")
			}
			if test.wantAllB {
				assert.Len(t, gb, n, "the unsampled branch gets every record")
				assert.Equal(t, st.Kept, uint64(len(ga)))
			}
			if !test.wantSame && !test.wantAllB {
				// Each record is decided twice, so a quarter of 2n
				// decisions are kept, split between the branches by
				// the accumulator's phase (with two decisions per
				// record at rate 1/4, often all in one branch).
				assert.Equal(t, st.Kept, uint64(len(ga)+len(gb)), "kept counts both branches' records")
				assert.InDelta(t, 2*n/4+2, len(ga)+len(gb), 4, "a quarter of the 2n decisions, plus first N")
			}
		})
	}
}

// Branches with different levels behind one decision: a record below a
// branch's level is decided once and reaches only the branches that take
// it; a record no branch takes is rejected by Enabled before the sampler.
func TestCompose_levels(t *testing.T) {
	s := newSampler(t, policy.KeepAll())
	info, debug := &recorder{level: slog.LevelInfo}, &recorder{level: slog.LevelDebug}
	logger := slog.New(slogx.New(slog.NewMultiHandler(info, debug), s))
	logger.Debug("cache hit")
	logger.Info("request served")
	logger.Log(context.Background(), slog.LevelDebug-4, "trace detail")
	assert.Equal(t, uint64(2), s.Stats().Seen, "the record no branch takes is not decided")
	assert.Equal(t, []string{"request served"}, messages(info.got()))
	assert.Equal(t, []string{"cache hit", "request served"}, messages(debug.got()))
}

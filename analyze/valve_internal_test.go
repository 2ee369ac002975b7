package analyze

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestReplayProjection_valve checks how the projection accounts for the
// anomaly valve (issue 20), with the replay stubbed: a replay returns what
// the stub says the sampler kept, so each case fixes the valve's and the
// exemption's share and checks the policy that follows, the reason given
// for a missed target and the alternative. 1 000 records of two INFO
// signatures (A 900, B 100), target 10 % (100 records).
func TestReplayProjection_valve(t *testing.T) {
	const sigA, sigB = signature.Sig(0xa), signature.Sig(0xb)
	tests := []struct {
		name       string
		valve      map[signature.Sig]uint64 // records the valve decides
		exempt     uint64                   // records kept by the exemption
		wantRuns   int                      // replays: first, regenerated, alternative
		reachable  bool
		wantReason string // substring of Unreachable; "" when reachable
		wantAlt    bool
	}{
		{name: "no valve: one replay", wantRuns: 1, reachable: true},
		{name: "valve within the budget: regenerated and met", valve: map[signature.Sig]uint64{sigA: 40}, wantRuns: 2, reachable: true},
		{name: "valve over the budget: reason and alternative", valve: map[signature.Sig]uint64{sigA: 300}, wantRuns: 3,
			wantReason: "the anomaly valve keeps 30.0%", wantAlt: true},
		{name: "exemption over the budget: reason, no alternative", valve: map[signature.Sig]uint64{sigA: 10}, exempt: 200, wantRuns: 2,
			wantReason: "ERROR and CRITICAL lines"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rep := &Report{Input: InputSummary{Lines: 1000, Bytes: 1000}}
			rep.plan = &plan{
				vols: []generate.PatternVolume{
					{Pattern: sigA, Count: 900 - test.exempt, Levels: policy.LevelCounts{Info: 900 - test.exempt}},
					{Pattern: sigB, Count: 100, Levels: policy.LevelCounts{Info: 100}},
				},
				window: time.Hour,
			}
			if test.exempt > 0 {
				rep.plan.vols = append(rep.plan.vols, generate.PatternVolume{Pattern: 0xe, Count: test.exempt, Levels: policy.LevelCounts{Error: test.exempt}})
			}
			cfg := &config{target: 0.1, pricePerGB: 1}
			gen, err := rep.generate(cfg, nil)
			require.NoError(t, err)
			rep.setPolicy(cfg, gen, nil)

			var policies []*policy.Policy
			run := func(p *policy.Policy) (replayResult, error) {
				policies = append(policies, p)
				var valve uint64
				for _, n := range test.valve {
					valve += n
				}
				res := replayResult{lines: 1000, bytes: 1000, valve: test.valve, byReason: map[string]uint64{}}
				if p.AnomalyBoost == 1 {
					// The valve bounded: its records are sampled.
					res.kept = 100
					res.byReason["pattern"] = 100
				} else {
					res.kept = valve + test.exempt + 50
					res.byReason["anomaly"], res.byReason["exempt"], res.byReason["pattern"] = valve, test.exempt, 50
				}
				res.keptBytes = res.kept
				return res, nil
			}
			require.NoError(t, rep.replayProjection(cfg, run))
			pr := rep.Projection
			require.Len(t, policies, test.wantRuns, "replays")
			assert.Equal(t, methodReplay, pr.Method)
			assert.Equal(t, test.reachable, pr.Reachable)
			assert.Same(t, rep.Policy, policies[min(1, len(policies)-1)], "the report's policy is the one replayed for the projection")
			if test.wantRuns >= 2 {
				assert.Contains(t, rep.Policy.Reasoning, "the anomaly valve keeps", "the regenerated policy charges the valve first")
				assert.LessOrEqual(t, rep.Policy.PatternRates[sigA], policies[0].PatternRates[sigA],
					"with the valve's records charged first, the chatty signature is cut no less")
				if test.reachable {
					assert.Less(t, rep.Policy.PatternRates[sigA], policies[0].PatternRates[sigA],
						"with the valve's records charged first, the chatty signature is cut harder")
				}
			}
			if test.wantReason == "" {
				assert.Empty(t, pr.Unreachable)
			} else {
				assert.Contains(t, pr.Unreachable, test.wantReason)
			}
			if !test.wantAlt {
				assert.Nil(t, pr.Alternative)
				return
			}
			require.NotNil(t, pr.Alternative)
			assert.Same(t, pr.Alternative.Policy, policies[2], "the alternative is what was replayed")
			assert.Equal(t, 1.0, pr.Alternative.Policy.AnomalyBoost, "the alternative bounds the valve")
			assert.Equal(t, policies[0].PatternRates, pr.Alternative.Policy.PatternRates, "the alternative's rates are the counts' own")
			assert.InDelta(t, 100, pr.Alternative.KeptLines, 1e-9)
			assert.InDelta(t, 0.9, pr.Alternative.LineReduction, 1e-9)
		})
	}
}

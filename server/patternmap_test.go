package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

// instanceReport is the stats report of one instance that logged each of
// msgs count times, as a sampler reports a template it never merged: the
// exact signature and the normalizer's template.
func instanceReport(service string, at time.Time, count uint64, msgs ...string) policy.StatsReport {
	r := policy.StatsReport{ServiceName: service, TeamID: 1, Timestamp: at}
	for _, msg := range msgs {
		r.Patterns = append(r.Patterns, policy.PatternReport{
			Signature: signature.Of(msg), Template: signature.Normalize(msg), Count: count, SampledCount: count,
			FirstSeen: at.Add(-30 * time.Minute), LastSeen: at, LevelCounts: policy.LevelCounts{Info: count},
		})
		r.TotalLogs += count
	}
	r.UniquePatterns = len(r.Patterns)
	return r
}

// TestGenerate_fleetPatternMap has two instances each see one variant of
// an event whose free-text value neither the normalizer nor a miner that
// saw one variant masks (a name with non-ASCII letters in key=value): each
// reports its exact signature. The generated policy
// groups both into one pattern, rated once, and maps both signatures to
// it; a sampler that loads the policy keys both messages on that pattern
// from their first record. Events that differ in a plain word (a closed
// set: login and logout) stay apart, unmapped.
func TestGenerate_fleetPatternMap(t *testing.T) {
	const (
		jose   = `payment card_holder=José failed`
		zoe    = `payment card_holder=Zoë failed`
		login  = `user session login complete`
		logout = `user session logout complete`
	)
	// The miner's template for the family: the differing tokens are
	// key=value with the same key, so the token becomes key=<*> (pattern
	// package doc, Miner.ID).
	want := signature.OfTemplate(`payment card_holder=<*> failed`)
	sigJose, sigZoe := signature.Of(jose), signature.Of(zoe)
	require.NotEqual(t, sigJose, sigZoe, "the normalizer keeps the names: two exact signatures")

	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		for _, r := range []policy.StatsReport{
			instanceReport("shop", t0, 1000, jose, login), // instance 1
			instanceReport("shop", t0, 3000, zoe, logout), // instance 2
		} {
			code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, r)
			require.Equal(t, http.StatusAccepted, code, "%s", body)
		}
		svc, err := e.st.Service(ctx, 1, "shop")
		require.NoError(t, err)
		res, err := e.srv.Generate(ctx, svc, generate.Target{KeepFraction: 0.5})
		require.NoError(t, err)
		p, err := policy.Parse(res.Record.Body)
		require.NoError(t, err, "the stored policy is valid: %s", res.Record.Body)

		assert.Equal(t, map[signature.Sig]signature.Sig{sigJose: want, sigZoe: want}, p.PatternMap,
			"both names map to the family's pattern; login and logout keep their own IDs")
		assert.Contains(t, p.PatternRates, want, "the family is rated under its pattern ID")
		for _, sig := range []signature.Sig{sigJose, sigZoe} {
			assert.NotContains(t, p.PatternRates, sig, "no rate under a mapped signature")
		}
		for _, msg := range []string{login, logout} {
			assert.Contains(t, p.PatternRates, signature.Of(msg), "a plain-word event is rated on its own: %s", msg)
		}
		counts := map[signature.Sig]uint64{}
		for _, r := range res.Generated.Rates {
			counts[r.Pattern] = r.Count
		}
		assert.Equal(t, uint64(4000), counts[want], "the family's volume is the sum of both instances'")

		// A fresh instance: without the map its first record of a name
		// would be keyed on the exact signature, until its own miner saw
		// a second name.
		// first_n off, so that the first records meet the pattern's rate.
		p.FirstN = new(0)
		s, err := sampler.New(sampler.WithPolicy(p))
		require.NoError(t, err)
		for _, msg := range []string{zoe, jose} {
			d := s.Decide(&sampler.Record{Message: msg, Time: t0})
			assert.Equal(t, want, d.Pattern, "keyed on the fleet pattern: %s", msg)
			assert.Equal(t, signature.Of(msg), d.Signature, "the exact signature is kept: %s", msg)
			assert.Equal(t, sampler.ReasonPattern, d.Reason, "the pattern's rate applies: %s", msg)
		}
		d := s.Decide(&sampler.Record{Message: login, Time: t0})
		assert.Equal(t, signature.Of(login), d.Pattern, "an unmapped event keeps its ID")
	})
}

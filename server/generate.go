package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/signature"
)

// spikeRule is the rate-spike rule of the server-side generator run
// (documented on [Server.Generate]): the anomaly package's rule
// ([anomaly.Thresholds.Spike]), with a floor of 100 recent records, since
// the recent window aggregates several minutes.
var spikeRule = anomaly.Thresholds{SpikeRatio: 5, MinCount: 100}

// GenerateError is a generation request the server refuses (no statistics,
// an invalid target); Status is the HTTP status to answer.
type GenerateError struct {
	Status int
	Msg    string
}

// Error returns "server: generate: <msg>".
func (e *GenerateError) Error() string { return "server: generate: " + e.Msg }

// GenerateResult is a stored policy and the generator output it came from.
type GenerateResult struct {
	// Record is the stored policy: the new version, or the latest one when
	// Unchanged.
	Record store.PolicyRecord
	// Generated is the generator output. When Unchanged it was not stored,
	// and its Policy.Version is one above Record.Version.
	Generated *generate.Result
	// Anomalies are the patterns flagged new or spiking (stored either way).
	Anomalies []store.Anomaly
	// Unchanged reports that a scheduled run found the rates within the
	// change threshold of the latest version and stored nothing.
	Unchanged bool
}

// JSON returns the API form of r.
func (r *GenerateResult) JSON() any {
	return map[string]any{
		"version":   r.Record.Version,
		"etag":      r.Record.ETag,
		"policy":    json.RawMessage(r.Record.Body),
		"rates":     r.Generated.Rates,
		"anomalies": len(r.Anomalies),
		"projected": map[string]any{
			"total": r.Generated.Total, "kept": r.Generated.Kept,
			"kept_fraction": r.Generated.KeptFraction, "savings": r.Generated.Savings,
			"reachable": r.Generated.Reachable,
		},
	}
}

// Generate computes and stores a new policy version for svc from its
// statistics over the window ([WithWindow]). A non-zero target overrides the
// service's own (TargetPerSecond, then TargetKeep, then [WithDefaultKeep]).
//
// The reported signatures are first grouped into patterns the way every
// sampler groups them, by a pattern.Miner fed the reported templates (see
// groupFleet; at most [MaxFleetSignatures] signatures, by window volume):
// signatures whose templates differ only in variable positions, reported
// by instances that each saw one variant, become one pattern whose ID is
// the signature of the merged template. The policy rates those patterns,
// and its pattern_map (policy.Policy.PatternMap) maps each reported
// signature to its pattern's ID where the two differ, so that every
// instance keys those records on the same pattern from their first record,
// whatever its own miner has seen. Counts are summed over a pattern's
// signatures, and its flags below are computed on the sums.
//
// Patterns are flagged for [generate.Policy] as follows, when the service
// has at least twice the recent window ([WithRecentWindow]) of history:
// new when first seen within the recent window; anomalous when their recent
// count is a rate spike against the count their rate before it predicts,
// by the anomaly package's rule ([anomaly.Thresholds.Spike]: at least 5×
// and 100 records, z ≥ 6 and Poisson tail ≤ 1e-6). Flagged patterns are
// stored as anomalies.
//
// It returns a *[GenerateError] when the service has no statistics in the
// window or the target is invalid.
//
// Generate always stores a new version (it serves explicit requests); the
// scheduler ([Server.RunScheduled]) stores one only when the rates moved
// (see [WithRateChangeThreshold]).
func (s *Server) Generate(ctx context.Context, svc store.Service, target generate.Target) (*GenerateResult, error) {
	return s.generate(ctx, svc, target, false)
}

// generate is [Server.Generate]; with keepSimilar it returns the latest
// stored policy, Unchanged, instead of storing one whose rates are within
// the change threshold of it.
func (s *Server) generate(ctx context.Context, svc store.Service, target generate.Target, keepSimilar bool) (*GenerateResult, error) {
	now := s.cfg.now()
	since := now.Add(-s.cfg.window)
	recentSince := now.Add(-s.cfg.recent)
	vol, err := s.st.Volume(ctx, svc.ID, since)
	if err != nil {
		return nil, err
	}
	if len(vol) == 0 {
		return nil, &GenerateError{http.StatusConflict, "no statistics reported for service " + svc.Name + " in the last " + s.cfg.window.String()}
	}
	start := vol[0].Bucket
	window := max(now.Sub(start), store.BucketWidth)
	ps, err := s.st.Patterns(ctx, svc.ID, store.PatternQuery{Since: since, RecentSince: recentSince, Limit: policy.MaxPatternRates})
	if err != nil {
		return nil, err
	}
	history := now.Sub(start) >= 2*s.cfg.recent
	baseMinutes := (window - s.cfg.recent).Minutes()
	recentMinutes := s.cfg.recent.Minutes()
	groups, patternMap := groupFleet(ps)
	in := generate.Input{Window: window, Target: target, Patterns: make([]generate.PatternVolume, 0, len(groups))}
	var anomalies []store.Anomaly
	for _, fp := range groups {
		// Level counts are posted apart from the record count, so the
		// errors may exceed it; groupFleet caps them at it.
		pv := generate.PatternVolume{Pattern: fp.id, Template: fp.template, Count: uint64(fp.count),
			Levels: policy.LevelCounts{Info: uint64(fp.count - fp.errors), Error: uint64(fp.errors)}}
		if history {
			base := float64(fp.count-fp.recent) / baseMinutes
			recent := float64(fp.recent) / recentMinutes
			switch {
			case !fp.firstSeen.Before(recentSince):
				pv.New = true
				anomalies = append(anomalies, store.Anomaly{Signature: fp.id.String(), Template: fp.template, Kind: "new_pattern", Value: recent, DetectedAt: now})
			case spikeRule.Spike(float64(fp.recent), base*recentMinutes):
				pv.Anomalous = true
				anomalies = append(anomalies, store.Anomaly{Signature: fp.id.String(), Template: fp.template, Kind: "rate_spike", Value: recent, Baseline: base, DetectedAt: now})
			}
		}
		in.Patterns = append(in.Patterns, pv)
	}
	if in.Target == (generate.Target{}) {
		switch {
		case svc.TargetPerSecond > 0:
			in.Target.RecordsPerSecond = svc.TargetPerSecond
		case svc.TargetKeep > 0:
			in.Target.KeepFraction = svc.TargetKeep
		default:
			in.Target.KeepFraction = s.cfg.defaultKeep
		}
	}
	for attempt := 0; ; attempt++ {
		latest, err := s.st.LatestPolicy(ctx, svc.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		in.Version = latest.Version + 1
		g, err := generate.Policy(in)
		if err != nil {
			return nil, &GenerateError{http.StatusBadRequest, err.Error()}
		}
		// The stored and served policy states the signature version its
		// keys were computed with, so that an instance on another version
		// refuses it (policy.Policy.Validate) instead of matching nothing.
		g.Policy.SignatureVersion = signature.Version
		if len(patternMap) > 0 {
			g.Policy.PatternMap = patternMap
		}
		if keepSimilar && latest.Version > 0 && similar(latest.Body, g.Policy, s.cfg.changeThreshold) {
			s.unchanged.Add(1)
			if err := s.st.AddAnomalies(ctx, svc.ID, anomalies); err != nil {
				s.fail(err)
			}
			return &GenerateResult{Record: latest, Generated: g, Anomalies: anomalies, Unchanged: true}, nil
		}
		body, err := json.Marshal(g.Policy)
		if err != nil {
			return nil, err
		}
		rec, err := s.st.AddPolicy(ctx, store.PolicyRecord{ServiceID: svc.ID, Version: in.Version, Body: body,
			GeneratedBy: g.Policy.GeneratedBy, ProjectedKeep: g.KeptFraction})
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue // another replica stored this version first
		}
		if err != nil {
			return nil, err
		}
		s.generated.Add(1)
		s.cache.putPolicy(svc, rec)
		if err := s.st.AddAnomalies(ctx, svc.ID, anomalies); err != nil {
			s.fail(err)
		}
		return &GenerateResult{Record: rec, Generated: g, Anomalies: anomalies}, nil
	}
}

// FirstPolicyAfter is how much statistics a new service needs before the
// scheduler generates its first policy, without waiting for the next
// regeneration pass ([WithScheduleInterval]): the service was created (by
// its first stats report, or by POST /api/v1/services) at least
// FirstPolicyAfter ago, and its first one-minute volume bucket started at
// least FirstPolicyAfter ago. The scheduler looks for such services every
// [FirstPolicyCheck], so a client that reports from its start has a policy
// within FirstPolicyAfter + FirstPolicyCheck of its first report.
const FirstPolicyAfter = time.Minute

// FirstPolicyCheck is how often the scheduler looks for services that have
// statistics for [FirstPolicyAfter] and no policy yet: one query, whatever
// the number of services.
const FirstPolicyCheck = 10 * time.Second

// schedule is the scheduler goroutine: every interval it regenerates the
// policies of services with statistics newer than their latest policy, and
// prunes old volume; every FirstPolicyCheck it generates the first policy
// of the services that have had statistics for FirstPolicyAfter.
func (s *Server) schedule() {
	defer close(s.done)
	t := time.NewTicker(s.cfg.interval)
	defer t.Stop()
	first := time.NewTicker(FirstPolicyCheck)
	defer first.Stop()
	for {
		pass := s.RunScheduled
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-first.C:
			pass = s.runFirstPolicies
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			select {
			case <-s.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		pass(ctx)
		cancel()
	}
}

// runFirstPolicies generates and stores the first policy of every service
// (all teams) that has had statistics for FirstPolicyAfter and has no
// policy yet. Errors go to the error handler; the number of policies
// stored is returned.
func (s *Server) runFirstPolicies(ctx context.Context) int {
	now := s.cfg.now()
	svcs, err := s.st.ServicesAwaitingPolicy(ctx, now.Add(-FirstPolicyAfter), now.Add(-s.cfg.window))
	if err != nil {
		s.fail(err)
		return 0
	}
	n := 0
	for _, svc := range svcs {
		if ctx.Err() != nil {
			break
		}
		if _, err := s.generate(ctx, svc, generate.Target{}, false); err != nil {
			s.fail(fmt.Errorf("server: first policy for service %d: %w", svc.ID, err))
			continue
		}
		n++
	}
	return n
}

// RunScheduled runs one scheduler pass now: it regenerates the policy of
// every service (all teams) whose latest statistics are newer than its
// latest policy, and prunes volume older than the retention. A regenerated
// policy is stored as a new version only when it differs from the latest
// one by more than the change threshold ([WithRateChangeThreshold]);
// otherwise the latest version stays (counted in [Stats].Unchanged), so that
// steady traffic does not make a new version, and a fleet-wide refetch,
// every pass. Errors go to the error handler; the number of new versions
// stored is returned.
func (s *Server) RunScheduled(ctx context.Context) int {
	defer s.schedulerRuns.Add(1)
	now := s.cfg.now()
	if _, err := s.st.Prune(ctx, now.Add(-s.cfg.retention)); err != nil {
		s.fail(err)
	}
	svcs, err := s.st.AllServices(ctx)
	if err != nil {
		s.fail(err)
		return 0
	}
	n := 0
	for _, svc := range svcs {
		if ctx.Err() != nil {
			break
		}
		if svc.StatsAt.IsZero() {
			continue
		}
		latest, err := s.st.LatestPolicy(ctx, svc.ID)
		if err == nil && !svc.StatsAt.After(latest.CreatedAt) {
			continue
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.fail(err)
			continue
		}
		res, err := s.generate(ctx, svc, generate.Target{}, s.cfg.changeThreshold >= 0)
		if err != nil {
			var ge *GenerateError
			if !errors.As(err, &ge) || ge.Status != http.StatusConflict {
				s.fail(fmt.Errorf("server: scheduled generation for service %d: %w", svc.ID, err))
			}
			continue
		}
		if !res.Unchanged {
			n++
		}
	}
	return n
}

// similar reports whether the generated policy p is close enough to the
// stored policy body old to keep old: old was made by the generator, both
// list the same patterns in pattern_rates and have the same pattern_map,
// and no rate r moved from the
// stored r0 by more than threshold·r0. The other fields of a generated
// policy do not depend on the statistics (a change of the service's target
// shows in the rates). An unreadable old body is never similar.
func similar(old []byte, p *policy.Policy, threshold float64) bool {
	o, err := policy.Parse(old)
	if err != nil || o.GeneratedBy != p.GeneratedBy || len(o.PatternRates) != len(p.PatternRates) || !maps.Equal(o.PatternMap, p.PatternMap) {
		return false
	}
	for sig, r := range p.PatternRates {
		r0, ok := o.PatternRates[sig]
		if !ok || math.Abs(r-r0) > threshold*r0 {
			return false
		}
	}
	return true
}

// parseReasoning extracts the reasoning field of a stored policy body.
func parseReasoning(body []byte) (string, error) {
	var v struct {
		Reasoning string `json:"reasoning"`
	}
	err := json.Unmarshal(body, &v)
	return v.Reasoning, err
}

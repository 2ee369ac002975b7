package sampler

import "github.com/srex-dev/lipservice-go/policy"

// PatternStats returns the cumulative counters of the tracked patterns in
// the form the control-plane client (package policy/client) reports: the
// Sampler implements client.PolicySetter and client.StatsSource, asserted in
// the tests so that the sampler does not import the client. It is
// [Sampler.Stats] without the totals; patterns counted in the overflow
// bucket are not listed. The caller owns the slice. This method can be
// called concurrently.
func (s *Sampler) PatternStats() []policy.PatternStat {
	st := s.Stats()
	out := make([]policy.PatternStat, len(st.Patterns))
	for i, p := range st.Patterns {
		out[i] = policy.PatternStat{
			Pattern:   p.Pattern,
			Template:  p.Template,
			Seen:      p.Seen,
			Kept:      p.Kept,
			FirstSeen: p.FirstSeen,
			LastSeen:  p.LastSeen,
			Levels: policy.LevelCounts{
				Debug: p.Levels[0], Info: p.Levels[1], Warning: p.Levels[2], Error: p.Levels[3], Critical: p.Levels[4],
			},
		}
	}
	return out
}

package sampler

import "github.com/srex-dev/lipservice-go/policy"

// The Sampler is what a policy.Client drives: it puts fetched policies in
// force and reads the pattern counters to report.
var (
	_ policy.PolicySetter = (*Sampler)(nil)
	_ policy.StatsSource  = (*Sampler)(nil)
)

// PatternStats returns the cumulative counters of the tracked patterns in
// the form a policy.Client reports (it implements policy.StatsSource). It is
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

package policy

import (
	"time"

	"github.com/srex-dev/lipservice-go/signature"
)

// StatsReport is the body of POST /api/v1/patterns/stats: one instance's
// pattern counts since its previous report. Counts are deltas. Templates are
// masked (see [signature.Normalize]); raw log text never appears.
type StatsReport struct {
	ServiceName    string          `json:"service_name"`
	TeamID         int64           `json:"team_id"`
	Timestamp      time.Time       `json:"timestamp"`
	Patterns       []PatternReport `json:"patterns"`
	TotalLogs      uint64          `json:"total_logs"`
	UniquePatterns int             `json:"unique_patterns"`
}

// PatternReport is one pattern's counts in a [StatsReport].
type PatternReport struct {
	Signature    signature.Sig `json:"signature"`
	Template     string        `json:"template"`
	Count        uint64        `json:"count"`
	SampledCount uint64        `json:"sampled_count"`
	FirstSeen    time.Time     `json:"first_seen"`
	LastSeen     time.Time     `json:"last_seen"`
	LevelCounts  LevelCounts   `json:"level_counts"`
}

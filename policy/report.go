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
	// SignatureVersion is the [signature.Version] the instance computed
	// its pattern signatures with. A server refuses a report of another
	// version (its signatures would not match the server's); zero means
	// unstated (an older SDK).
	SignatureVersion int `json:"signature_version,omitempty"`
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

// PatternStat is one pattern's cumulative counters, as the sampler reports
// them to the control-plane client (policy/client).
type PatternStat struct {
	Pattern signature.Sig
	// Template is the pattern's template. The client masks it again before
	// it leaves the process (see client.MaskTemplate in package policy/client).
	Template string
	// Seen counts the pattern's records; Kept those the sampler kept.
	Seen, Kept uint64
	// FirstSeen and LastSeen are the times of the first and latest record.
	FirstSeen, LastSeen time.Time
	// Levels is the level mix of the Seen records.
	Levels LevelCounts
}

// LevelCounts counts records per severity. In JSON the keys are the
// severity names; absent keys are zero.
type LevelCounts struct {
	Debug    uint64 `json:"DEBUG,omitempty"`
	Info     uint64 `json:"INFO,omitempty"`
	Warning  uint64 `json:"WARNING,omitempty"`
	Error    uint64 `json:"ERROR,omitempty"`
	Critical uint64 `json:"CRITICAL,omitempty"`
}

// Add returns the element-wise sum of l and o.
func (l LevelCounts) Add(o LevelCounts) LevelCounts {
	return LevelCounts{l.Debug + o.Debug, l.Info + o.Info, l.Warning + o.Warning, l.Error + o.Error, l.Critical + o.Critical}
}

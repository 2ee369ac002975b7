package analyze_test

import (
	"encoding/json"
	"time"
)

// jsonReport is the --json schema as the usage text documents it; tests
// decode with DisallowUnknownFields, so an undocumented key fails them.
type jsonReport struct {
	Input      jsonInput       `json:"input"`
	Patterns   []jsonPattern   `json:"patterns"`
	Clusters   []jsonCluster   `json:"clusters"`
	Anomalies  []jsonAnomaly   `json:"anomalies"`
	Timeline   *jsonTimeline   `json:"timeline"`
	Policy     json.RawMessage `json:"policy"`
	Projection jsonProjection  `json:"projection"`
}

type jsonInput struct {
	Files             []string  `json:"files"`
	Lines             uint64    `json:"lines"`
	Bytes             uint64    `json:"bytes"`
	BlankLines        uint64    `json:"blank_lines"`
	UnmatchedLines    uint64    `json:"unmatched_lines"`
	StructuredLines   uint64    `json:"structured_lines"`
	MalformedLines    uint64    `json:"malformed_lines"`
	ContinuationLines uint64    `json:"continuation_lines"`
	TimedLines        uint64    `json:"timed_lines"`
	FirstSeen         time.Time `json:"first_seen"`
	LastSeen          time.Time `json:"last_seen"`
	DurationSeconds   float64   `json:"duration_seconds"`
	Patterns          int       `json:"patterns"`
	Signatures        int       `json:"signatures"`
	EvictedSignatures uint64    `json:"evicted_signatures"`
	EvictedLines      uint64    `json:"evicted_lines"`
	AnomalyEvents     int       `json:"anomaly_events"`
	AnomalyInterval   float64   `json:"anomaly_interval_seconds"`
	IntervalAuto      bool      `json:"anomaly_interval_auto"`
	Interrupted       bool      `json:"interrupted"`
}

type jsonPattern struct {
	ID             string            `json:"id"`
	Template       string            `json:"template"`
	Count          uint64            `json:"count"`
	Share          float64           `json:"share"`
	Bytes          uint64            `json:"bytes"`
	ByteShare      float64           `json:"byte_share"`
	Levels         map[string]uint64 `json:"levels"`
	ErrorTypes     map[string]uint64 `json:"error_types"`
	FirstSeen      time.Time         `json:"first_seen"`
	LastSeen       time.Time         `json:"last_seen"`
	Example        string            `json:"example"`
	Signatures     []string          `json:"signatures"`
	SignatureCount int               `json:"signature_count"`
	ClusterID      *string           `json:"cluster_id"`
	Anomalies      int               `json:"anomalies"`
	Rate           float64           `json:"recommended_rate"`
	Kept           float64           `json:"projected_kept"`
	Series         []uint32          `json:"series"`
}

type jsonCluster struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Template   string            `json:"template"`
	Patterns   []string          `json:"patterns"`
	Count      uint64            `json:"count"`
	Levels     map[string]uint64 `json:"levels"`
	ErrorTypes map[string]uint64 `json:"error_types"`
	FirstSeen  time.Time         `json:"first_seen"`
	LastSeen   time.Time         `json:"last_seen"`
}

type jsonAnomaly struct {
	ID         uint64    `json:"id"`
	Type       string    `json:"type"`
	Severity   string    `json:"severity"`
	Signature  *string   `json:"signature"`
	PatternID  *string   `json:"pattern_id"`
	Template   string    `json:"template"`
	Level      string    `json:"level"`
	Scale      float64   `json:"scale_seconds"`
	Value      float64   `json:"value"`
	Baseline   float64   `json:"baseline"`
	Score      float64   `json:"score"`
	Confidence float64   `json:"confidence"`
	Start      time.Time `json:"start"`
	Detected   time.Time `json:"detected"`
	End        time.Time `json:"end"`
}

type jsonTimeline struct {
	Start         time.Time `json:"start"`
	BucketSeconds int64     `json:"bucket_seconds"`
	Total         []uint32  `json:"total"`
	Errors        []uint32  `json:"errors"`
}

type jsonProjection struct {
	TargetKeepFraction float64           `json:"target_keep_fraction"`
	Method             string            `json:"method"`
	KeptByReason       map[string]uint64 `json:"kept_by_reason"`
	Reachable          bool              `json:"reachable"`
	Lines              uint64            `json:"lines"`
	KeptLines          float64           `json:"projected_kept_lines"`
	LineReduction      float64           `json:"line_reduction"`
	Bytes              uint64            `json:"bytes"`
	KeptBytes          float64           `json:"projected_kept_bytes"`
	ByteReduction      float64           `json:"byte_reduction"`
	PricePerGB         float64           `json:"price_per_gb"`
	Cost               float64           `json:"cost"`
	KeptCost           float64           `json:"projected_cost"`
	Savings            float64           `json:"projected_savings"`
	Per30Days          *jsonRates        `json:"per_30_days"`
	Unreachable        string            `json:"unreachable_reason"`
	Alternative        *jsonAlternative  `json:"alternative"`
}

type jsonAlternative struct {
	Change        string            `json:"change"`
	Policy        json.RawMessage   `json:"policy"`
	KeptLines     float64           `json:"projected_kept_lines"`
	LineReduction float64           `json:"line_reduction"`
	KeptByReason  map[string]uint64 `json:"kept_by_reason"`
}

type jsonRates struct {
	Bytes     float64 `json:"bytes"`
	KeptBytes float64 `json:"projected_kept_bytes"`
	Cost      float64 `json:"cost"`
	KeptCost  float64 `json:"projected_cost"`
	Savings   float64 `json:"projected_savings"`
}

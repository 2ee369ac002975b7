package analyze

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/cluster"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/signature"
)

// Report limits.
const (
	// maxClusterPatterns caps the patterns given to cluster.Analyze: the most
	// frequent ones. Its neighbourhood search is quadratic in the worst case.
	maxClusterPatterns = 2000
	// maxPatternSignatures caps the signatures listed per pattern.
	maxPatternSignatures = 16
	// gigabyte is the unit of --price-per-gb: 10^9 bytes.
	gigabyte = 1e9
	// costPeriod is the period of the extrapolated cost.
	costPeriod = 30 * 24 * time.Hour
	// minCostWindow is the shortest input time span that is extrapolated to
	// costPeriod.
	minCostWindow = time.Minute
)

// Report is the result of an analysis. Its JSON encoding ([Report.WriteJSON])
// is exactly what `lipservice analyze --json` prints: the keys are the
// command's stable interface, listed in its usage text (`lipservice analyze
// -h`); every field below carries its key in its struct tag. Times are UTC
// and encode as RFC 3339.
type Report struct {
	Input      InputSummary   `json:"input"`
	Patterns   []Pattern      `json:"patterns"`
	Clusters   []Cluster      `json:"clusters"`
	Anomalies  []Anomaly      `json:"anomalies"`
	Timeline   *Timeline      `json:"timeline,omitempty"`
	Policy     *policy.Policy `json:"policy"`
	Projection Projection     `json:"projection"`

	incidents int // anomaly events other than new patterns, for --exit-code

	plan *plan // what the policy is generated from; nil once the projection is final
}

// plan is what a report's policy is generated from, kept until the
// projection is final, to generate the policy again with the records the
// anomaly valve keeps (see Report.replayProjection).
type plan struct {
	vols    []generate.PatternVolume
	window  time.Duration // the input's time span
	evicted [2]uint64     // lines and bytes of signatures evicted from the table
	all     []Pattern     // every pattern; Report.Patterns is its first Top
}

// InputSummary summarizes the input: line and byte counts, how the lines
// were read, their time span and the table's evictions (JSON key "input").
type InputSummary struct {
	Files          []string `json:"files"`
	Lines          uint64   `json:"lines"`
	Bytes          uint64   `json:"bytes"`
	BlankLines     uint64   `json:"blank_lines"`
	UnmatchedLines uint64   `json:"unmatched_lines"`
	// StructuredLines counts the JSON and logfmt lines, whose message,
	// time and level came from their fields; MalformedLines the lines that
	// started like one but broke its syntax, read as plain lines.
	StructuredLines uint64 `json:"structured_lines"`
	MalformedLines  uint64 `json:"malformed_lines"`
	// ContinuationLines counts the lines joined to the record above them
	// (stack traces, dumps; see logline.Continues): they count in lines
	// and bytes, and in the bytes of their record's pattern, but are not
	// records of their own.
	ContinuationLines uint64    `json:"continuation_lines"`
	TimedLines        uint64    `json:"timed_lines"`
	FirstSeen         time.Time `json:"first_seen,omitzero"`
	LastSeen          time.Time `json:"last_seen,omitzero"`
	DurationSeconds   float64   `json:"duration_seconds"`
	Patterns          int       `json:"patterns"`
	Signatures        int       `json:"signatures"`
	EvictedSignatures uint64    `json:"evicted_signatures"`
	EvictedLines      uint64    `json:"evicted_lines"`
	AnomalyEvents     int       `json:"anomaly_events"`
	// AnomalyInterval is the interval the detectors count lines per (the
	// unit of an anomaly's value and baseline); AnomalyIntervalAuto is set
	// when it was chosen from the input instead of given by --interval.
	AnomalyInterval     float64 `json:"anomaly_interval_seconds"`
	AnomalyIntervalAuto bool    `json:"anomaly_interval_auto"`
	Interrupted         bool    `json:"interrupted"`
}

// Pattern is one mined pattern (JSON key "patterns"): its template (<*>
// marks variable parts), volume, level mix, error types, first and last
// time seen, the signatures of its lines (the keys of the policy's
// pattern_rates) and its recommended rate.
type Pattern struct {
	ID             signature.Sig     `json:"id"`
	Template       string            `json:"template"`
	Count          uint64            `json:"count"`
	Share          float64           `json:"share"`
	Bytes          uint64            `json:"bytes"`
	ByteShare      float64           `json:"byte_share"`
	Levels         map[string]uint64 `json:"levels"`
	ErrorTypes     map[string]uint64 `json:"error_types,omitempty"`
	FirstSeen      time.Time         `json:"first_seen,omitzero"`
	LastSeen       time.Time         `json:"last_seen,omitzero"`
	Example        string            `json:"example"`
	Signatures     []signature.Sig   `json:"signatures"`
	SignatureCount int               `json:"signature_count"`
	ClusterID      *signature.Sig    `json:"cluster_id,omitempty"`
	Anomalies      int               `json:"anomalies"`
	// Rate is the policy's rate for the pattern: the mean of its
	// signatures' rates over the records they apply to (not those the
	// anomaly valve keeps), weighted by count. Kept is the projected kept
	// records, the valve's included.
	Rate   float64  `json:"recommended_rate"`
	Kept   float64  `json:"projected_kept"`
	Series []uint32 `json:"series,omitempty"`

	levels [numLevels]uint64
	sigs   []*sigStat // by decreasing count
}

// Cluster is a group of two or more related patterns (JSON key
// "clusters"), found by cluster.Analyze over the templates.
type Cluster struct {
	ID         signature.Sig     `json:"id"`
	Label      string            `json:"label"`
	Template   string            `json:"template"`
	Patterns   []signature.Sig   `json:"patterns"`
	Count      uint64            `json:"count"`
	Levels     map[string]uint64 `json:"levels,omitempty"`
	ErrorTypes map[string]uint64 `json:"error_types,omitempty"`
	FirstSeen  time.Time         `json:"first_seen,omitzero"`
	LastSeen   time.Time         `json:"last_seen,omitzero"`
}

// Anomaly is one event of the anomaly detectors (JSON key "anomalies");
// Value and Baseline are lines per bucket of its time scale (Scale, in
// seconds).
type Anomaly struct {
	ID         uint64         `json:"id"`
	Type       string         `json:"type"`
	Severity   string         `json:"severity"`
	Signature  *signature.Sig `json:"signature,omitempty"`
	PatternID  *signature.Sig `json:"pattern_id,omitempty"`
	Template   string         `json:"template,omitempty"`
	Level      string         `json:"level"`
	Scale      float64        `json:"scale_seconds"` // the time scale of Value and Baseline
	Value      float64        `json:"value"`
	Baseline   float64        `json:"baseline"`
	Score      float64        `json:"score"`
	Confidence float64        `json:"confidence"`
	Start      time.Time      `json:"start"`
	Detected   time.Time      `json:"detected"`
	End        time.Time      `json:"end,omitzero"`
}

// Timeline is the common time axis of every Series (JSON key "timeline"):
// line counts per bucket of all lines and of the error lines.
type Timeline struct {
	Start         time.Time `json:"start"`
	BucketSeconds int64     `json:"bucket_seconds"`
	Total         []uint32  `json:"total"`
	Errors        []uint32  `json:"errors"`
}

// Projection is the effect of the recommended policy on the input (JSON key
// "projection"): lines, bytes and cost with and without it.
type Projection struct {
	TargetKeepFraction float64 `json:"target_keep_fraction"`
	// Method is how the projection was computed: "replay" (the input
	// replayed through a sampler with the policy) or "rates" (the rates
	// times the counts, when the input cannot be read twice).
	Method string `json:"method"`
	// KeptByReason splits the kept lines by the sampler's reason (replay
	// only).
	KeptByReason  map[string]uint64 `json:"kept_by_reason,omitempty"`
	Reachable     bool              `json:"reachable"`
	Lines         uint64            `json:"lines"`
	KeptLines     float64           `json:"projected_kept_lines"`
	LineReduction float64           `json:"line_reduction"`
	Bytes         uint64            `json:"bytes"`
	KeptBytes     float64           `json:"projected_kept_bytes"`
	ByteReduction float64           `json:"byte_reduction"`
	PricePerGB    float64           `json:"price_per_gb"`
	Cost          float64           `json:"cost"`
	KeptCost      float64           `json:"projected_cost"`
	Savings       float64           `json:"projected_savings"`
	Per30Days     *CostRates        `json:"per_30_days,omitempty"`
	// Unreachable says why the policy keeps more than the target when
	// Reachable is false (replay only): the exempt ERROR and CRITICAL
	// lines, the lines the anomaly valve keeps in full, or the minimum
	// rate.
	Unreachable string `json:"unreachable_reason,omitempty"`
	// Alternative is a policy that keeps less than Policy when the anomaly
	// valve is what keeps the policy above the target (replay only).
	Alternative *Alternative `json:"alternative,omitempty"`
}

// Alternative is the policy that bounds the anomaly valve when the
// recommended one cannot reach the target because of it (JSON key
// "alternative" of the projection), and its replayed effect. It is not
// recommended: it gives up keeping anomalies in full, which is the valve's
// purpose; the report shows it so that a user can choose.
type Alternative struct {
	// Change says how the policy differs from the recommended one.
	Change string         `json:"change"`
	Policy *policy.Policy `json:"policy"`
	// KeptLines is what `lipservice sample --seed 1 --policy` keeps with
	// Policy, KeptByReason the same split by the sampler's reason.
	KeptLines     float64           `json:"projected_kept_lines"`
	LineReduction float64           `json:"line_reduction"`
	KeptByReason  map[string]uint64 `json:"kept_by_reason"`
}

// CostRates extrapolates the input's volume and cost to 30 days (JSON key
// "per_30_days" of the projection).
type CostRates struct {
	Bytes     float64 `json:"bytes"`
	KeptBytes float64 `json:"projected_kept_bytes"`
	Cost      float64 `json:"cost"`
	KeptCost  float64 `json:"projected_cost"`
	Savings   float64 `json:"projected_savings"`
}

// buildReport turns the aggregated input into the report.
func buildReport(a *aggregator, cfg *config) (*Report, error) {
	rep := &Report{
		Input: InputSummary{
			Files:               cfg.files,
			Lines:               a.lines,
			Bytes:               a.bytes,
			BlankLines:          a.blank,
			UnmatchedLines:      a.unmatched,
			StructuredLines:     a.structured,
			MalformedLines:      a.malformed,
			ContinuationLines:   a.joined,
			TimedLines:          a.timed,
			FirstSeen:           a.first,
			LastSeen:            a.last,
			DurationSeconds:     a.last.Sub(a.first).Seconds(),
			Signatures:          len(a.tb.m),
			EvictedSignatures:   a.tb.evicted.sigs,
			EvictedLines:        a.tb.evicted.lines,
			AnomalyEvents:       a.eventsTotal,
			AnomalyInterval:     a.interval.Seconds(),
			AnomalyIntervalAuto: a.intervalAuto,
		},
		Patterns:  []Pattern{},
		Clusters:  []Cluster{},
		Anomalies: []Anomaly{},
	}
	pats, bySig := a.patterns()
	rep.Input.Patterns = len(pats)

	// Policy: one volume per signature, the key the sampler matches.
	pl := &plan{vols: make([]generate.PatternVolume, 0, len(a.tb.m))}
	for _, p := range pats {
		for _, s := range p.sigs {
			pl.vols = append(pl.vols, generate.PatternVolume{
				Pattern:  s.sig,
				Template: s.template,
				Count:    s.count,
				Bytes:    s.bytes,
				Levels: policy.LevelCounts{
					Debug: s.levels[levelDebug], Info: s.levels[levelInfo], Warning: s.levels[levelWarning],
					Error: s.levels[levelError], Critical: s.levels[levelCritical],
				},
			})
		}
	}
	pl.window = a.last.Sub(a.first)
	pl.evicted = [2]uint64{a.tb.evicted.lines, a.tb.evicted.bytes}
	pl.all = pats
	rep.plan = pl
	gen, err := rep.generate(cfg, nil)
	if err != nil {
		return nil, err
	}
	rep.setPolicy(cfg, gen, nil)

	// Clusters over the most frequent patterns.
	n := min(len(pats), maxClusterPatterns)
	sums := make([]cluster.PatternSummary, n)
	for i, p := range pats[:n] {
		sums[i] = cluster.PatternSummary{
			ID: p.ID, Template: p.Template, Count: p.Count, Severity: p.Levels,
			FirstSeen: p.FirstSeen, LastSeen: p.LastSeen, Example: p.Example, ErrorTypes: p.ErrorTypes,
		}
	}
	cls, err := cluster.Analyze(sums)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	patIndex := make(map[signature.Sig]int, len(pats))
	for i, p := range pats {
		patIndex[p.ID] = i
	}
	for _, c := range cls {
		if c.Noise || len(c.Members) < 2 {
			continue
		}
		id := c.ID
		for _, m := range c.Members {
			pats[patIndex[m]].ClusterID = &id
		}
		rep.Clusters = append(rep.Clusters, Cluster{
			ID: c.ID, Label: c.Label, Template: c.Template, Patterns: c.Members, Count: c.Count,
			Levels: c.Severity, ErrorTypes: c.ErrorTypes, FirstSeen: c.FirstSeen, LastSeen: c.LastSeen,
		})
	}

	// Anomalies, by start time.
	for _, e := range a.events {
		ar := Anomaly{
			ID: e.ID, Type: e.Type.String(), Severity: e.Severity.String(), Template: e.Template,
			Level: policy.SeverityOf(e.Level), Scale: e.Scale.Seconds(), Value: e.Value, Baseline: e.Baseline, Score: e.Score, Confidence: e.Confidence,
			Start: a.reportTime(e.Start), Detected: a.reportTime(e.Detected),
		}
		if !e.End.IsZero() {
			ar.End = a.reportTime(e.End)
		}
		if e.Type != anomaly.ErrorSurge {
			sig := e.Pattern
			ar.Signature = &sig
			if i, ok := bySig[sig]; ok {
				pid := pats[i].ID
				ar.PatternID = &pid
				pats[i].Anomalies++
				if ar.Template == "" {
					ar.Template = pats[i].Template
				}
			}
		}
		rep.Anomalies = append(rep.Anomalies, ar)
	}
	slices.SortStableFunc(rep.Anomalies, func(x, y Anomaly) int {
		if c := x.Start.Compare(y.Start); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})

	if a.tb.tl.set {
		// Series end at the bucket of the last time: the axis, a power of
		// two seconds wide per bucket, may extend past it.
		n, _ := a.tb.tl.index(a.last.Unix())
		n++
		rep.Timeline = &Timeline{
			Start:         time.Unix(a.tb.tl.origin, 0).UTC(),
			BucketSeconds: a.tb.tl.width,
			Total:         a.tb.total[:n],
			Errors:        a.tb.errs[:n],
		}
		for i := range pats {
			if pats[i].Series != nil {
				pats[i].Series = pats[i].Series[:n]
			}
		}
	}
	rep.Patterns = pats
	if cfg.top > 0 && len(pats) > cfg.top {
		rep.Patterns = pats[:cfg.top]
	}
	if cfg.top > 0 && len(rep.Clusters) > cfg.top {
		rep.Clusters = rep.Clusters[:cfg.top]
	}
	return rep, nil
}

// patterns groups the signatures into the miner's final patterns, by
// decreasing count (ties by ID), and maps every signature to its pattern's
// index. A pattern is a mined message template and, for JSON/logfmt
// lines, a set of attribute keys (sigStat.keys): its ID is
// signature.OfTemplate of the template plus the keys' fold.
func (a *aggregator) patterns() ([]Pattern, map[signature.Sig]int) {
	byID := make(map[signature.Sig]*Pattern)
	for _, s := range a.tb.m {
		tmpl := s.template
		// A cut template is not the miner's: its signature is its own
		// pattern.
		if !s.clipped && !s.keysOnly {
			if p, ok := a.miner.Match(s.template); ok {
				tmpl = p.Template
			}
		}
		// A structured line's pattern is its message's plus its keys (and
		// value keys), as sample keys it: lines whose messages share a
		// template but whose key sets differ are different events. A line
		// without a message is its keys alone: its signature.
		id := signature.OfTemplate(tmpl) + s.keys
		if s.keysOnly {
			id = s.sig
		}
		p := byID[id]
		if p == nil {
			p = &Pattern{ID: id, Template: tmpl}
			byID[id] = p
		}
		p.sigs = append(p.sigs, s)
	}
	pats := make([]Pattern, 0, len(byID))
	for _, p := range byID {
		slices.SortFunc(p.sigs, func(x, y *sigStat) int {
			if c := cmp.Compare(y.count, x.count); c != 0 {
				return c
			}
			return cmp.Compare(x.sig, y.sig)
		})
		var errs map[string]uint64
		firstSeq := p.sigs[0].seq
		p.Example = p.sigs[0].example
		for _, s := range p.sigs {
			p.Count += s.count
			p.Bytes += s.bytes
			for l, n := range s.levels {
				p.levels[l] += n
			}
			if !s.first.IsZero() && (p.FirstSeen.IsZero() || s.first.Before(p.FirstSeen)) {
				p.FirstSeen = s.first
			}
			if !s.last.IsZero() && (p.LastSeen.IsZero() || s.last.After(p.LastSeen)) {
				p.LastSeen = s.last
			}
			if s.seq < firstSeq {
				firstSeq, p.Example = s.seq, s.example
			}
			for _, e := range s.errTypes {
				if errs == nil {
					errs = make(map[string]uint64)
				}
				errs[e.name] += e.count
			}
			if s.errOther > 0 {
				if errs == nil {
					errs = make(map[string]uint64)
				}
				errs["other"] += s.errOther
			}
			if s.series != nil {
				if p.Series == nil {
					p.Series = make([]uint32, maxBuckets)
				}
				for i, n := range s.series {
					p.Series[i] = satAdd32(p.Series[i], n)
				}
			}
		}
		p.ErrorTypes = errs
		p.Levels = make(map[string]uint64)
		for l, n := range p.levels {
			if n > 0 {
				p.Levels[levelNames[l]] = n
			}
		}
		if a.lines > 0 {
			p.Share = float64(p.Count) / float64(a.lines)
		}
		if a.bytes > 0 {
			p.ByteShare = float64(p.Bytes) / float64(a.bytes)
		}
		p.SignatureCount = len(p.sigs)
		k := min(len(p.sigs), maxPatternSignatures)
		p.Signatures = make([]signature.Sig, k)
		for i, s := range p.sigs[:k] {
			p.Signatures[i] = s.sig
		}
		pats = append(pats, *p)
	}
	slices.SortFunc(pats, func(x, y Pattern) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	bySig := make(map[signature.Sig]int, len(a.tb.m))
	for i, p := range pats {
		for _, s := range p.sigs {
			bySig[s.sig] = i
		}
	}
	return pats, bySig
}

// generate generates the policy for the report's target from the
// signatures' volumes, with reserved[sig] of each signature's records
// charged first as kept by the anomaly valve (nil: none).
func (rep *Report) generate(cfg *config, reserved map[signature.Sig]uint64) (*generate.Result, error) {
	vols := rep.plan.vols
	if reserved != nil {
		vols = slices.Clone(vols)
		for i := range vols {
			vols[i].Reserved = reserved[vols[i].Pattern]
		}
	}
	gen, err := generate.Policy(generate.Input{
		Patterns: vols,
		Window:   rep.plan.window,
		Target:   generate.Target{KeepFraction: cfg.target},
	})
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	pinPolicy(gen.Policy)
	return gen, nil
}

// setPolicy makes gen's policy the report's: the policy, each pattern's
// rate and projected kept lines, and the projection by the rates (which a
// replay replaces when the input can be read again). reserved is what gen
// was generated with.
func (rep *Report) setPolicy(cfg *config, gen *generate.Result, reserved map[signature.Sig]uint64) {
	rep.Policy = gen.Policy
	bySig := make(map[signature.Sig]*generate.PatternRate, len(gen.Rates))
	for i := range gen.Rates {
		bySig[gen.Rates[i].Pattern] = &gen.Rates[i]
	}
	for i := range rep.plan.all {
		p := &rep.plan.all[i]
		// Rate is the mean rate over the records it applies to (those
		// the valve does not keep), weighted by count.
		var kept, rated, ratedKept float64
		for _, s := range p.sigs {
			r := bySig[s.sig]
			if r == nil {
				continue
			}
			kept += r.Kept
			c := float64(r.Count - min(reserved[s.sig], r.Count))
			rated += c
			ratedKept += r.Rate * c
		}
		p.Kept, p.Rate = kept, 1
		if rated > 0 {
			p.Rate = ratedKept / rated
		}
	}
	rep.Projection = rep.projection(cfg, gen)
}

// projection computes the volume and cost of the input with and without
// the generated policy. Evicted signatures are not in the policy and count
// as kept in full.
func (rep *Report) projection(cfg *config, gen *generate.Result) Projection {
	pr := Projection{
		TargetKeepFraction: cfg.target,
		Reachable:          gen.Reachable,
		Lines:              rep.Input.Lines,
		Method:             methodRates,
		KeptLines:          gen.Kept + float64(rep.plan.evicted[0]),
		Bytes:              rep.Input.Bytes,
		KeptBytes:          gen.KeptBytes + float64(rep.plan.evicted[1]),
		PricePerGB:         cfg.pricePerGB,
	}
	pr.derive(rep.plan.window)
	return pr
}

// derive computes the reductions and costs from the line, byte and kept
// counts; w is the time the input spans.
func (pr *Projection) derive(w time.Duration) {
	if pr.Lines > 0 {
		pr.LineReduction = 1 - pr.KeptLines/float64(pr.Lines)
	}
	if pr.Bytes > 0 {
		pr.ByteReduction = 1 - pr.KeptBytes/float64(pr.Bytes)
	}
	pr.Cost = float64(pr.Bytes) / gigabyte * pr.PricePerGB
	pr.KeptCost = pr.KeptBytes / gigabyte * pr.PricePerGB
	pr.Savings = pr.Cost - pr.KeptCost
	if w >= minCostWindow {
		f := float64(costPeriod) / float64(w)
		pr.Per30Days = &CostRates{
			Bytes: float64(pr.Bytes) * f, KeptBytes: pr.KeptBytes * f,
			Cost: pr.Cost * f, KeptCost: pr.KeptCost * f, Savings: pr.Savings * f,
		}
	}
}

package quality

import (
	"context"
	"errors"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// LipService is the method under test: a sampler.Sampler with an
// anomaly.Detector as its valve, fed one sampler.Record per line (time,
// level and message from the line; no attributes).
//
// Records carry no trace ID (the generator's lines are not requests), so
// the sampler samples each pattern systematically; sampler.WithSeed with
// the constructor's seed makes a replay deterministic.
//
// A LipService is not safe for concurrent use (the harness replays one
// stream on one goroutine). Call [LipService.Shutdown] when done.
type LipService struct {
	name    string
	s       *sampler.Sampler
	d       *anomaly.Detector
	events  []Event
	rec     sampler.Record
	reasons [256][2]int // per Reason: decided, kept
}

var (
	_ Method   = (*LipService)(nil)
	_ Detector = (*LipService)(nil)
)

// NewLipService returns the method with policy p (nil means
// policy.Default) and a detector built with detectorOpts. Opened events
// are collected through anomaly.WithCallback; do not pass another callback.
func NewLipService(seed uint64, p *policy.Policy, detectorOpts ...anomaly.Option) (*LipService, error) {
	return newLipService("lipservice", seed, p, nil, detectorOpts)
}

// NewLipServiceExact is [NewLipService] with the sampler's pattern mining
// off (sampler.WithPatternMining(false)): records are keyed on their exact
// signature, as before the pattern layer. Its name is "lipservice-exact".
func NewLipServiceExact(seed uint64, p *policy.Policy, detectorOpts ...anomaly.Option) (*LipService, error) {
	return newLipService("lipservice-exact", seed, p, []sampler.Option{sampler.WithPatternMining(false)}, detectorOpts)
}

func newLipService(name string, seed uint64, p *policy.Policy, sopts []sampler.Option, detectorOpts []anomaly.Option) (*LipService, error) {
	ls := &LipService{name: name}
	opts := append([]anomaly.Option{anomaly.WithCallback(ls.onEvent)}, detectorOpts...)
	d, err := anomaly.New(opts...)
	if err != nil {
		return nil, err
	}
	sopts = append([]sampler.Option{sampler.WithPolicy(p), sampler.WithValve(d), sampler.WithSeed(seed)}, sopts...)
	s, err := sampler.New(sopts...)
	if err != nil {
		return nil, errors.Join(err, d.Shutdown(context.Background()))
	}
	ls.s, ls.d = s, d
	return ls, nil
}

// Name returns "lipservice" (or "lipservice-exact", see [NewLipServiceExact]).
func (ls *LipService) Name() string { return ls.name }

// Decide runs the sampler on l.
func (ls *LipService) Decide(l *loggen.Line) Outcome {
	ls.rec = sampler.Record{Time: l.Time, Level: l.Level, Message: l.Message}
	d := ls.s.Decide(&ls.rec)
	n := &ls.reasons[d.Reason]
	n[0]++
	if d.Keep {
		n[1]++
	}
	return Outcome{Keep: d.Keep, Rate: d.Rate, Pattern: d.Pattern, HasPattern: true}
}

func (ls *LipService) onEvent(e anomaly.Event) {
	if !e.Active() {
		return // the close delivery of an event already recorded
	}
	var k loggen.Kind
	switch e.Type {
	case anomaly.RateSpike:
		k = loggen.Spike
	case anomaly.ErrorSurge:
		k = loggen.ErrorSurge
	case anomaly.NewPattern:
		k = loggen.NewPattern
	case anomaly.Disappeared:
		k = loggen.Silence
	default:
		return
	}
	ls.events = append(ls.events, Event{Kind: k, Pattern: e.Pattern, At: e.Detected})
}

// Events returns the opened anomaly events, with At the detection time
// (anomaly.Event.Detected, the record time at which the event opened).
func (ls *LipService) Events() []Event { return ls.events }

// Reasons returns, per decision reason, how many lines it decided and how
// many of those were kept. The caller owns the map.
func (ls *LipService) Reasons() map[sampler.Reason][2]int {
	m := map[sampler.Reason][2]int{}
	for r, n := range ls.reasons {
		if n[0] > 0 {
			m[sampler.Reason(r)] = n
		}
	}
	return m
}

// Sampler returns the sampler, for its Stats.
func (ls *LipService) Sampler() *sampler.Sampler { return ls.s }

// Detector returns the anomaly detector, for its Snapshot and Stats.
func (ls *LipService) Detector() *anomaly.Detector { return ls.d }

// Shutdown shuts the sampler and the detector down.
func (ls *LipService) Shutdown(ctx context.Context) error {
	return errors.Join(ls.s.Shutdown(ctx), ls.d.Shutdown(ctx))
}

package analyze

import (
	"context"
	"os"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/quality"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// replaySeed seeds the sampler of the replay, so that the projection is
// reproducible; `lipservice sample --seed 1` makes the same draws.
const replaySeed = 1

// Projection methods (projection.Method).
const (
	methodReplay = "replay" // the input replayed through a sampler.Sampler
	methodRates  = "rates"  // the policy's rates times the counts (stdin)
)

// replayable reports whether the inputs can be read a second time: every
// one is a regular file (stdin and pipes cannot).
func replayable(names []string) bool {
	for _, n := range names {
		if n == "-" {
			return false
		}
		fi, err := os.Stat(n)
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return len(names) > 0
}

// replayResult is what the replay kept.
type replayResult struct {
	lines, kept      uint64            // non-blank lines, continuation lines included
	bytes, keptBytes uint64            // their bytes
	byReason         map[string]uint64 // kept lines by the sampler's reason
	// valve counts, by signature, the records the anomaly valve decided
	// (sampler.ReasonAnomaly), continuation lines not included.
	valve map[signature.Sig]uint64
}

// replay reads the inputs again and decides every record with a real
// sampler.Sampler configured as `lipservice sample --policy` configures it
// (the policy, an anomaly.Detector as its valve with the same options, the
// attribute keys in the pattern, seed replaySeed), so that the projection
// simulates every rule the sampler applies: first-N per window, the
// window, exemptions, the pattern, severity and global rates and the
// anomaly valve. Records are cut as in the first pass: a continuation
// line (--join) is kept or dropped with its record; a line without a time
// takes its predecessor's; year-less times go through the same
// logline.YearRoller and logline.YearShift as sample's. Lines that the
// first pass counted are counted again here, so a file that changes
// between the passes gives a projection of the second reading.
func replay(ctx context.Context, cfg *config, lp *lineParser, pol *policy.Policy, workers, chunkBytes, maxLine int) (replayResult, error) {
	res := replayResult{byReason: map[string]uint64{}, valve: map[signature.Sig]uint64{}}
	d, err := anomaly.New(quality.DetectorOptions()...)
	if err != nil {
		return res, err
	}
	defer d.Shutdown(context.Background())
	s, err := sampler.New(sampler.WithPolicy(pol), sampler.WithValve(d), sampler.WithAttrKeys(true), sampler.WithSeed(replaySeed))
	if err != nil {
		return res, err
	}
	defer s.Shutdown(context.Background())

	var (
		joiner   logline.Joiner
		years    logline.YearRoller
		shift    logline.YearShift
		last     = false // keep of the current record
		reason   string  // its reason
		inRecord = false
		lastT    time.Time
		rec      sampler.Record
	)
	p := newPipeline(cfg.files, nil, workers, chunkBytes, maxLine, lp.parseChunk)
	defer func() { p.stop(ctx.Err() == nil) }()
	for {
		c := p.next(ctx)
		if c == nil {
			return res, context.Cause(ctx)
		}
		if c.err != nil {
			err := c.err
			p.release(c)
			return res, err
		}
		for i := range c.recs {
			r := &c.recs[i]
			if r.blank {
				continue
			}
			res.lines++
			res.bytes += uint64(r.bytes)
			if !cfg.noJoin && joiner.Next(int(r.bytes), false, r.cont) && inRecord {
				if last {
					res.kept++
					res.keptBytes += uint64(r.bytes)
					res.byReason[reason]++
				}
				continue
			}
			if t := years.Roll(r.t); !t.IsZero() {
				lastT = t
			}
			rec = sampler.Record{Time: shift.Shift(lastT), Level: r.lvl.slog(), Message: r.content}
			dec := s.Decide(&rec)
			last, reason, inRecord = dec.Keep, dec.Reason.String(), true
			if dec.Reason == sampler.ReasonAnomaly {
				res.valve[dec.Signature]++
			}
			if last {
				res.kept++
				res.keptBytes += uint64(r.bytes)
				res.byReason[reason]++
			}
		}
		p.release(c)
	}
}

// pinPolicy adjusts the generated policy to what the sampler does with it:
//
//   - first_n 0. The generator's rates already keep rare patterns in full
//     (policy.Generate), and a first-N of 10 per 10 s window keeps nearly
//     every line of a log whose patterns each log fewer than 10 lines in 10
//     s: the HDFS sample logs 1998 of its 2000 lines by first-N. With first-N
//     the recommended policy could not reach its --target.
//   - pattern_map pins every signature it rates to itself. The sampler keys
//     its rates by the pattern ID its online pattern layer learns
//     (sampler.WithPatterns); without the pin, lines whose learned ID is not
//     the exact signature analyze rated fall through to the global rate 1.
//
// Both are general: they follow from how the sampler applies a policy, not
// from a corpus. policy.MaxPatternMap equals policy.MaxPatternRates, so
// every rated signature is pinned.
func pinPolicy(p *policy.Policy) {
	if p == nil {
		return
	}
	p.FirstN = new(0)
	if len(p.PatternRates) == 0 {
		return
	}
	p.PatternMap = make(map[signature.Sig]signature.Sig, len(p.PatternRates))
	for sig := range p.PatternRates {
		p.PatternMap[sig] = sig
	}
}

// replayProjection replaces the report's projection by replays of the
// input through a sampler (run replays one policy), and makes the policy
// account for the anomaly valve:
//
//  1. the policy generated from the counts is replayed; the records for
//     which the valve opened (new-pattern windows, rate spikes and their
//     decay) are kept whatever the pattern's rate;
//  2. when there are any, the policy is generated again with them charged
//     to the budget first (generate.PatternVolume.Reserved), so that the
//     rates cut the other records harder and the kept total meets the
//     target where the valve and the exemptions leave room, and replayed
//     again: the projection is that replay, what `sample --policy` does;
//  3. when the valve and the exemptions alone keep more than the target,
//     the projection says why (Projection.Unreachable) and, when the valve
//     is what fills the budget, replays the alternative that meets it:
//     the first policy with anomaly_boost 1, so that the valve no longer
//     raises rates (Projection.Alternative).
//
// The valve's records do not depend on the rates (the valve observes
// every record whichever rule decides), only on the pattern IDs, which the
// policy's pattern_map pins; a regenerated policy that rates other
// signatures pins them too, so the second replay's valve may differ a
// little from the first one's: the projection is the second replay, never
// the plan.
func (rep *Report) replayProjection(cfg *config, run func(*policy.Policy) (replayResult, error)) error {
	first := rep.Policy
	res, err := run(first)
	if err != nil {
		return err
	}
	reachable := rep.Projection.Reachable
	if len(res.valve) > 0 {
		gen, err := rep.generate(cfg, res.valve)
		if err != nil {
			return err
		}
		rep.setPolicy(cfg, gen, res.valve)
		reachable = gen.Reachable
		if res, err = run(rep.Policy); err != nil {
			return err
		}
	}
	pr := &rep.Projection
	pr.setReplay(res, rep.plan.window)
	pr.Reachable = reachable
	if reachable {
		return nil
	}
	budget := cfg.target * float64(res.lines)
	exempt, valve := float64(res.byReason[sampler.ReasonExempt.String()]), float64(res.byReason[sampler.ReasonAnomaly.String()])
	switch {
	case exempt > budget:
		pr.Unreachable = "ERROR and CRITICAL lines, kept in full by the policy's exemption, are " +
			formatPercent(exempt/float64(res.lines)) + " of the lines, more than the target"
		return nil
	case exempt+valve <= budget:
		pr.Unreachable = "the minimum rate " + formatSignificant(generate.DefaultMinRate) + " of the chatty patterns keeps more than the target"
		return nil
	}
	pr.Unreachable = "the anomaly valve keeps " + formatPercent(valve/float64(res.lines)) +
		" of the lines in full (records of a pattern in its new-pattern window, a rate spike or its decay)"
	if exempt > 0 {
		pr.Unreachable += " and the exemption of ERROR and CRITICAL " + formatPercent(exempt/float64(res.lines))
	}
	pr.Unreachable += ": more than the target, and no rate cuts them"
	alt := *first
	alt.AnomalyBoost = 1
	alt.Reasoning = first.Reasoning + " Valve bounded: anomaly_boost 1 keeps the records for which the anomaly valve is open at their pattern's rate."
	ares, err := run(&alt)
	if err != nil {
		return err
	}
	a := &Alternative{
		Change:       "anomaly_boost 1: the records for which the anomaly valve is open are kept at their pattern's rate instead of in full",
		Policy:       &alt,
		KeptLines:    float64(ares.kept),
		KeptByReason: ares.byReason,
	}
	if ares.lines > 0 {
		a.LineReduction = 1 - a.KeptLines/float64(ares.lines)
	}
	pr.Alternative = a
	return nil
}

// setReplay sets the projection's volumes from a replay; w is the time the
// input spans.
func (pr *Projection) setReplay(res replayResult, w time.Duration) {
	pr.Method, pr.Lines, pr.Bytes = methodReplay, res.lines, res.bytes
	pr.KeptLines, pr.KeptBytes = float64(res.kept), float64(res.keptBytes)
	pr.KeptByReason = res.byReason
	pr.derive(w)
}

package analyze

import (
	"context"
	"os"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/quality"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/policy"
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
	res := replayResult{byReason: map[string]uint64{}}
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

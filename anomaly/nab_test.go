package anomaly_test

import (
	"flag"
	"log/slog"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

var nabVerbose = flag.Bool("nab", false, "print the per-stream NAB table of TestNAB")

// This file is the labelled benchmark of the detectors: generated count
// series with known anomalies, turned into one pattern's record stream each,
// run through a Detector with its defaults and scored with the Numenta
// Anomaly Benchmark's standard profile (Lavin & Ahmad 2015, "Evaluating
// real-time anomaly detection algorithms – the Numenta Anomaly Benchmark";
// github.com/numenta/NAB, nab/sweeper.py). nabScore implements the scoring:
//
//   - Each labelled anomaly gets a window centred on its onset; the windows
//     of a stream share 10 % of its span: length = 0.1·span / #anomalies.
//   - The first 15 % of a stream is probationary: detections there are
//     ignored (NAB: min(15 %, 750 points); our streams have no points, so
//     the share alone is used).
//   - Only the first detection inside a window counts, as a true positive
//     scored A_tp·σ̃(y), with y = −(windowEnd − t)/length ∈ [−1, 0] and the
//     scaled sigmoid σ̃(y) = 2/(1 + e^(5y)) − 1 (about 0.987 at the window's
//     start, 0 at its end). Later detections in the same window are ignored.
//   - A detection outside every window is a false positive scored
//     A_fp·σ̃(y) with y = (t − end of the previous window)/length (so
//     −A_fp·0.987 or less one window-length after it), or −A_fp when no
//     window precedes it.
//   - A window without a detection scores −A_fn.
//
// The standard profile is A_tp = 1, A_fp = 0.11, A_fn = 1. Raw scores are
// summed over the streams of a set (pooled) and normalized as NAB does,
//
//	score = 100 · (raw − raw_null) / (raw_perfect − raw_null)
//
// where the null detector detects nothing (−A_fn per window) and the
// perfect one detects each anomaly at the start of its window (A_tp·σ̃(−1)
// per window). Anomaly-free streams have no window: they only subtract
// their false positives, which is how they weigh in the pooled score.

// NAB standard profile weights.
const (
	nabTP = 1.0
	nabFP = 0.11
	nabFN = 1.0
)

// scaledSigmoid is NAB's σ̃: 2·sigmoid(−5y) − 1, and −1 beyond y > 3.
func scaledSigmoid(y float64) float64 {
	if y > 3 {
		return -1
	}
	return 2/(1+math.Exp(5*y)) - 1
}

// nabResult is the raw NAB score of one stream (or a pooled set).
type nabResult struct {
	raw, null, perfect float64
	tp, fn, fp         int
	fpDays             float64 // scored span (after probation) of anomaly-free streams, in days
	fpFree             int     // false positives on anomaly-free streams
}

func (r *nabResult) add(o nabResult) {
	r.raw += o.raw
	r.null += o.null
	r.perfect += o.perfect
	r.tp += o.tp
	r.fn += o.fn
	r.fp += o.fp
	r.fpDays += o.fpDays
	r.fpFree += o.fpFree
}

// normalized returns 100·(raw − null)/(perfect − null), or NaN without
// windows.
func (r nabResult) normalized() float64 {
	if r.perfect == r.null {
		return math.NaN()
	}
	return 100 * (r.raw - r.null) / (r.perfect - r.null)
}

// nabScore scores the detection times dets of a stream [start, start+span)
// with anomaly onsets labels, as described above.
func nabScore(start time.Time, span time.Duration, labels []time.Time, dets []time.Time) nabResult {
	var r nabResult
	prob := start.Add(time.Duration(0.15 * float64(span)))
	type window struct {
		s, e time.Time
		hit  bool
	}
	var ws []window
	var wl time.Duration
	if len(labels) > 0 {
		wl = time.Duration(0.1 * float64(span) / float64(len(labels)))
		for _, l := range labels {
			ws = append(ws, window{s: l.Add(-wl / 2), e: l.Add(wl / 2)})
		}
		sort.Slice(ws, func(i, j int) bool { return ws[i].s.Before(ws[j].s) })
	}
	sort.Slice(dets, func(i, j int) bool { return dets[i].Before(dets[j]) })
	for _, t := range dets {
		if t.Before(prob) {
			continue
		}
		in, prev := -1, -1
		for i, w := range ws {
			if !t.Before(w.s) && !t.After(w.e) {
				in = i
			}
			if t.After(w.e) {
				prev = i
			}
		}
		switch {
		case in >= 0:
			if !ws[in].hit {
				ws[in].hit = true
				r.tp++
				r.raw += nabTP * scaledSigmoid(-float64(ws[in].e.Sub(t))/float64(wl))
			}
		case prev >= 0:
			r.fp++
			r.raw += nabFP * scaledSigmoid(float64(t.Sub(ws[prev].e))/float64(wl))
		default:
			r.fp++
			r.raw -= nabFP
		}
	}
	for _, w := range ws {
		if !w.hit {
			r.fn++
			r.raw -= nabFN
		}
		r.null -= nabFN
		r.perfect += nabTP * scaledSigmoid(-1)
	}
	if len(labels) == 0 {
		r.fpFree = r.fp
		r.fpDays = (span - prob.Sub(start)).Hours() / 24
	}
	return r
}

func TestNABScore(t *testing.T) {
	start := t0
	span := 100 * time.Hour // windows of 10 h for one label
	label := []time.Time{start.Add(50 * time.Hour)}
	at := func(h float64) time.Time { return start.Add(time.Duration(h * float64(time.Hour))) }
	tests := []struct {
		name   string
		labels []time.Time
		dets   []time.Time
		raw    float64
	}{
		{"null", label, nil, -1},
		{"at window start", label, []time.Time{at(45)}, 2/(1+math.Exp(-5)) - 1},
		{"at window end", label, []time.Time{at(55)}, 0},
		{"only the first in a window", label, []time.Time{at(45), at(50), at(54)}, 2/(1+math.Exp(-5)) - 1},
		{"fp with no window before", label, []time.Time{at(20)}, -1 - 0.11},
		{"in probation: ignored", label, []time.Time{at(10)}, -1},
		{"fp one window after", label, []time.Time{at(55), at(65)}, 0.11 * (2/(1+math.Exp(5)) - 1)},
		{"fp far after", label, []time.Time{at(55), at(95)}, -0.11},
		{"anomaly-free fp", nil, []time.Time{at(50)}, -0.11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := nabScore(start, span, tc.labels, tc.dets)
			assert.InDelta(t, tc.raw, r.raw, 1e-12, "raw score")
		})
	}
	perfect := nabScore(start, span, label, []time.Time{at(45)})
	assert.InDelta(t, 100, perfect.normalized(), 1e-9, "perfect detector normalizes to 100")
	null := nabScore(start, span, label, nil)
	assert.InDelta(t, 0, null.normalized(), 1e-9, "null detector normalizes to 0")
}

// nabStream is one generated stream: the rate of its single pattern per
// second of [t0, t0+span) and the onsets of its labelled anomalies.
type nabStream struct {
	name   string
	span   time.Duration
	rate   func(sec int64) float64 // records per second in second sec
	labels []time.Time
}

// nabKinds are the stream kinds. Each returns a stream for base rate base
// (records per second) and span; rng draws the anomaly's onset and size.
// Onsets are drawn in [30 %, 85 %] of the span, after the probationary
// 15 % and the detectors' history.
var nabKinds = map[string]func(rng *rand.Rand, base float64, span time.Duration) nabStream{
	"flat": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		return nabStream{rate: func(int64) float64 { return base }}
	},
	"dispersed": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		return nabStream{rate: dispersed(rng, base, span, 0.3)}
	},
	// A burst at the same minute of every hour (8× for 2 min): normal.
	"hourly": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		return nabStream{rate: hourly(rng, base)}
	},
	// A daily wave with quiet nights: normal.
	"daily": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		return nabStream{rate: daily(base)}
	},
	"spike": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		on, f, d := onset(rng, span), 4+4*rng.Float64(), int64(120+rng.IntN(480))
		return change(on, func(sec int64, r float64) float64 {
			if sec < on+d {
				return r * f
			}
			return r
		}, base, span)
	},
	"drop": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		on, f := onset(rng, span), 0.6+0.15*rng.Float64()
		d := int64(min(3*3600, max(1800, 0.1*span.Seconds())))
		return change(on, func(sec int64, r float64) float64 {
			if sec < on+d {
				return r * f
			}
			return r
		}, base, span)
	},
	"shift": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		on, f := onset(rng, span), []float64{0.5, 1.8, 2.5}[rng.IntN(3)]
		return change(on, func(_ int64, r float64) float64 { return r * f }, base, span)
	},
	"ramp": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		on := onset(rng, span)
		d := max(1800, 0.1*span.Seconds())
		return change(on, func(sec int64, r float64) float64 {
			return r * (1 + 2*min(1, float64(sec-on)/d))
		}, base, span)
	},
	"missing": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		on, d := onset(rng, span), int64(600+rng.IntN(3000))
		return change(on, func(sec int64, r float64) float64 {
			if sec < on+d {
				return 0
			}
			return r
		}, base, span)
	},
	// Held-out mixes: a normal season with an anomaly on top.
	"hourly+spike": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		h := hourly(rng, base)
		on, f, d := onset(rng, span), 4+4*rng.Float64(), int64(120+rng.IntN(480))
		s := change(on, func(sec int64, r float64) float64 {
			if sec < on+d {
				return r * f
			}
			return r
		}, base, span)
		inner := s.rate
		s.rate = func(sec int64) float64 { return inner(sec) * h(sec) / base }
		return s
	},
	"dispersed+drop": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		dr := dispersed(rng, base, span, 0.3)
		on, f := onset(rng, span), 0.6+0.15*rng.Float64()
		d := int64(min(3*3600, max(1800, 0.1*span.Seconds())))
		s := change(on, func(sec int64, r float64) float64 {
			if sec < on+d {
				return r * f
			}
			return r
		}, base, span)
		inner := s.rate
		s.rate = func(sec int64) float64 { return inner(sec) * dr(sec) / base }
		return s
	},
	"daily+shift": func(rng *rand.Rand, base float64, span time.Duration) nabStream {
		dl := daily(base)
		on, f := onset(rng, span), []float64{0.5, 2.5}[rng.IntN(2)]
		s := change(on, func(_ int64, r float64) float64 { return r * f }, base, span)
		inner := s.rate
		s.rate = func(sec int64) float64 { return inner(sec) * dl(sec) / base }
		return s
	},
}

func onset(rng *rand.Rand, span time.Duration) int64 {
	return int64((0.3 + 0.55*rng.Float64()) * span.Seconds())
}

// change returns a stream whose rate is base before onset on and f(sec, base)
// from it, labelled at on.
func change(on int64, f func(sec int64, r float64) float64, base float64, span time.Duration) nabStream {
	return nabStream{
		rate: func(sec int64) float64 {
			if sec < on {
				return base
			}
			return f(sec, base)
		},
		labels: []time.Time{t0.Add(time.Duration(on) * time.Second)},
	}
}

// dispersed multiplies base by a gamma factor (mean 1, coefficient of
// variation cv) drawn per minute.
func dispersed(rng *rand.Rand, base float64, span time.Duration, cv float64) func(int64) float64 {
	g := distuv.Gamma{Alpha: 1 / (cv * cv), Beta: 1 / (cv * cv), Src: rng}
	f := make([]float64, int(span.Minutes())+1)
	for i := range f {
		f[i] = g.Rand()
	}
	return func(sec int64) float64 { return base * f[min(int(sec/60), len(f)-1)] }
}

// hourly is base with an 8× burst in 2 minutes at a fixed minute of every
// hour.
func hourly(rng *rand.Rand, base float64) func(int64) float64 {
	m := int64(rng.IntN(58))
	return func(sec int64) float64 {
		if x := sec % 3600 / 60; x == m || x == m+1 {
			return base * 8
		}
		return base
	}
}

// daily is base times a daily wave (±50 % sine over the day) with quiet
// nights (×0.2 from 01:00 to 05:00).
func daily(base float64) func(int64) float64 {
	return func(sec int64) float64 {
		h := float64(sec%86400) / 3600
		r := base * (1 + 0.5*math.Sin(2*math.Pi*(h-9)/24))
		if h >= 1 && h < 5 {
			r *= 0.2
		}
		return r
	}
}

// nabCase is one stream of a set: kind, base rate, span and seed.
type nabCase struct {
	kind string
	base float64
	span time.Duration
	seed uint64
}

// nabSet returns the streams of seeds × kinds × (rate, span) grid. Daily
// kinds run over 10 days at a low rate (their season needs days of
// history); the others over 1 h to 2 days at rates chosen to keep the test
// within seconds.
func nabSet(seeds []uint64, kinds []string) []nabCase {
	var cs []nabCase
	for _, seed := range seeds {
		for _, k := range kinds {
			if k == "daily" || k == "daily+shift" {
				cs = append(cs, nabCase{k, 0.2, 10 * 24 * time.Hour, seed})
				continue
			}
			for _, g := range []struct {
				base float64
				span time.Duration
			}{{5, time.Hour}, {20, time.Hour}, {0.5, 6 * time.Hour}, {5, 6 * time.Hour}, {0.2, 48 * time.Hour}, {1, 48 * time.Hour}} {
				if (k == "hourly" || k == "hourly+spike") && g.span < 6*time.Hour {
					continue // hourly seasons need hours of history
				}
				cs = append(cs, nabCase{k, g.base, g.span, seed})
			}
		}
	}
	return cs
}

// runNAB generates the stream of c, runs it through a Detector built with
// opts and returns its NAB result.
func runNAB(t testing.TB, c nabCase, opts ...anomaly.Option) nabResult {
	rng := rand.New(rand.NewPCG(c.seed, uint64(len(c.kind))*7919+uint64(c.base*1000)+uint64(c.span.Seconds())))
	s := nabKinds[c.kind](rng, c.base, c.span)
	var dets []time.Time
	d, err := anomaly.New(append([]anomaly.Option{anomaly.WithMaxPatterns(64), anomaly.WithCallback(func(e anomaly.Event) {
		if e.Active() && e.Type != anomaly.NewPattern {
			dets = append(dets, e.Detected)
			if *nabVerbose {
				t.Logf("  %s %s/%v/%.0fs: %v scale %v value %.1f baseline %.1f score %.1f at %.2fh", c.kind, c.span, c.base, 0.0, e.Type, e.Scale, e.Value, e.Baseline, e.Score, e.Detected.Sub(t0).Hours())
			}
		}
	})}, opts...)...)
	require.NoError(t, err)
	sig := signature.OfTemplate("payment <*> settled for account <*>")
	msg := "payment 81 settled for account 7"
	secs := int64(c.span.Seconds())
	pois := distuv.Poisson{Src: rng}
	for sec := range secs {
		lam := s.rate(sec)
		if !(lam > 0) {
			continue
		}
		pois.Lambda = lam
		n := int(pois.Rand())
		base := t0.Add(time.Duration(sec) * time.Second)
		for i := range n {
			d.Observe(sig, msg, slog.LevelInfo, base.Add(time.Duration(i)*time.Second/time.Duration(n)))
		}
	}
	d.Advance(t0.Add(c.span))
	return nabScore(t0, c.span, s.labels, dets)
}

var (
	nabTrainSeeds   = []uint64{1, 2}
	nabHoldoutSeeds = []uint64{3, 4}
	nabTrainKinds   = []string{"flat", "dispersed", "hourly", "daily", "spike", "drop", "shift", "ramp", "missing"}
	nabHoldoutKinds = []string{"flat", "dispersed", "hourly", "daily", "spike", "drop", "shift", "ramp", "missing", "hourly+spike", "dispersed+drop", "daily+shift"}
)

// TestNAB runs the labelled benchmark with the defaults on the tuning set
// (seeds 1–2, single kinds) and on the held-out set (seeds 3–4, all kinds
// including the mixes never used for tuning), and ratchets the scores.
func TestNAB(t *testing.T) {
	if testing.Short() {
		t.Skip("long: generates about 30 M records")
	}
	sets := []struct {
		name     string
		cases    []nabCase
		minScore float64
	}{
		{"tuning", nabSet(nabTrainSeeds, nabTrainKinds), 74},
		{"held-out", nabSet(nabHoldoutSeeds, nabHoldoutKinds), 63},
	}
	for _, set := range sets {
		var pooled nabResult
		byKind := map[string]*nabResult{}
		for _, c := range set.cases {
			r := runNAB(t, c)
			pooled.add(r)
			if byKind[c.kind] == nil {
				byKind[c.kind] = &nabResult{}
			}
			byKind[c.kind].add(r)
			switch {
			case r.fpDays > 0:
				// Every anomaly-free stream: its false alarms per day.
				t.Logf("%-8s %-15s base %5.1f/s span %-8v anomaly-free: %d false alarms = %.2f/day", set.name, c.kind, c.base, c.span, r.fp, float64(r.fp)/r.fpDays)
			case *nabVerbose:
				t.Logf("%-8s %-15s base %5.1f/s span %-8v tp %d fn %d fp %d raw %+.3f", set.name, c.kind, c.base, c.span, r.tp, r.fn, r.fp, r.raw)
			}
		}
		kinds := make([]string, 0, len(byKind))
		for k := range byKind {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			r := byKind[k]
			t.Logf("%-8s %-15s tp %3d fn %3d fp %3d score %s", set.name, k, r.tp, r.fn, r.fp, fmtScore(r.normalized()))
		}
		fad := float64(pooled.fpFree) / pooled.fpDays
		t.Logf("%-8s pooled: %d streams, score %.1f (tp %d, fn %d, fp %d); anomaly-free: %d false alarms in %.1f days = %.2f/day",
			set.name, len(set.cases), pooled.normalized(), pooled.tp, pooled.fn, pooled.fp, pooled.fpFree, pooled.fpDays, fad)
		assert.GreaterOrEqual(t, pooled.normalized(), set.minScore, "%s: pooled NAB standard score", set.name)
		assert.LessOrEqual(t, fad, 0.5, "%s: false alarms per day on anomaly-free streams", set.name)
	}
}

func fmtScore(x float64) string {
	if math.IsNaN(x) {
		return "   –"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

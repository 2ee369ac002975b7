package anomaly_test

import (
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/anomaly"
)

// measure runs the long measurement tables recorded in the package
// documentation: go test ./anomaly -run Measure -measure -v.
var measure = flag.Bool("measure", false, "run the long false-positive and latency measurements")

// scenario is one simulated stream.
type scenario struct {
	seed      uint64
	patterns  int
	lo, hi    float64 // base rates, records/s
	seconds   int
	cv, amp   float64 // over-dispersion (0 = pure Poisson)
	spikePat  int     // pattern to spike (−1: none)
	spikeRate float64 // its base rate, overriding the generated one
	surge     bool    // multiply every ERROR pattern instead
	errRate   float64 // base rate of every ERROR pattern, overriding the generated ones (0: keep)
	factor    float64
	from, to  int // incident seconds [from, to)
	th        anomaly.Thresholds
}

type outcome struct {
	events       collector
	records      int
	incident     int // records of the incident (spiked pattern / error records) in [from, to)
	kept         int // of those, with the valve open
	afterDetect  int // incident records at or after detection
	keptAfter    int
	detected     time.Time
	detectedOK   bool
	patternHours float64
}

func run(t testing.TB, sc scenario) outcome {
	t.Helper()
	var out outcome
	d, err := anomaly.New(anomaly.WithThresholds(sc.th), anomaly.WithCallback(out.events.add))
	require.NoError(t, err)
	g := newGenerator(sc.seed)
	ps := newPatterns(g.rng, sc.patterns, sc.lo, sc.hi)
	if sc.spikePat >= 0 && sc.spikeRate > 0 {
		ps[sc.spikePat].rate = sc.spikeRate
	}
	if sc.errRate > 0 {
		for i := range ps {
			if ps[i].level >= slog.LevelError {
				ps[i].rate = sc.errRate
			}
		}
	}
	noise := func(p, sec int) float64 { return 1 }
	if sc.cv > 0 || sc.amp > 0 {
		noise = dispersion(g.rng, sc.cv, sc.amp)
	}
	inIncident := func(p, sec int) bool {
		if sec < sc.from || sec >= sc.to {
			return false
		}
		if sc.surge {
			return ps[p].level >= 8
		}
		return p == sc.spikePat
	}
	rateAt := func(p, sec int) float64 {
		r := ps[p].rate * noise(p, sec)
		if inIncident(p, sec) {
			r *= sc.factor
		}
		return r
	}
	start := t0.Add(time.Duration(sc.from) * time.Second)
	for sec := range sc.seconds {
		g.second(len(ps), sec, rateAt, func(r genRec) {
			p := ps[r.pat]
			open := d.Observe(p.sig, p.msg, p.level, r.t)
			out.records++
			if !inIncident(r.pat, sec) {
				return
			}
			out.incident++
			if open {
				out.kept++
			}
			if !out.detectedOK {
				typ, sig := anomaly.RateSpike, ps[sc.spikePat%len(ps)].sig
				if sc.surge {
					typ, sig = anomaly.ErrorSurge, 0
				}
				if e, ok := out.events.first(typ, sig, start); ok {
					out.detected, out.detectedOK = e.Detected, true
				}
			}
			if out.detectedOK {
				out.afterDetect++
				if open {
					out.keptAfter++
				}
			}
		})
	}
	d.Advance(t0.Add(time.Duration(sc.seconds) * time.Second))
	require.NoError(t, d.Shutdown(t.Context()))
	out.patternHours = float64(sc.patterns*sc.seconds) / 3600
	return out
}

// falseEvents counts events other than the injected incident's.
func falseEvents(o outcome, sc scenario, typ anomaly.Type) int {
	n := 0
	start := t0.Add(time.Duration(sc.from) * time.Second)
	end := t0.Add(time.Duration(sc.to+30) * time.Second)
	for _, e := range o.events.opened {
		if e.Type != typ {
			continue
		}
		inWindow := !e.Detected.Before(start) && e.Detected.Before(end)
		if sc.from < sc.to && inWindow && (sc.surge && typ == anomaly.ErrorSurge || !sc.surge && typ == anomaly.RateSpike) {
			continue
		}
		n++
	}
	return n
}

// TestMeasure_FalsePositives runs steady traffic (no incident) and asserts
// that no rate spike or error surge is reported. With -measure it runs the
// long version and prints the table quoted in the package documentation.
func TestMeasure_FalsePositives(t *testing.T) {
	seconds, seeds := 600, 1
	if raceEnabled {
		seconds = 300
	}
	if *measure {
		seconds, seeds = 3600, 4
	}
	tests := []struct {
		name    string
		cv, amp float64
		errRate float64 // per ERROR pattern (4 of them); 0 keeps the generated rates
		assert  bool
	}{
		{name: "poisson", assert: true},
		{name: "dispersed-cv0.3-sin0.3", cv: 0.3, amp: 0.3},
		{name: "dispersed-cv0.5-sin0.5", cv: 0.5, amp: 0.5},
		// Errors at 0.2/s in all, where the error-surge test is the
		// low-rate CUSUM (as in the quality harness).
		{name: "poisson-err0.2", errRate: 0.05, assert: true},
		{name: "dispersed-cv0.5-err0.2", cv: 0.5, amp: 0.5, errRate: 0.05},
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-24s %10s %8s %8s %8s %8s %10s\n", "traffic", "pat-hours", "spikes", "surges", "gone", "new", "spikes/p-h")
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var spikes, surges, gone, news int
			var ph float64
			for seed := range uint64(seeds) {
				sc := scenario{seed: seed + 1, patterns: 40, lo: 0.2, hi: 200, seconds: seconds,
					cv: test.cv, amp: test.amp, errRate: test.errRate, spikePat: -1}
				o := run(t, sc)
				spikes += falseEvents(o, sc, anomaly.RateSpike)
				surges += falseEvents(o, sc, anomaly.ErrorSurge)
				gone += falseEvents(o, sc, anomaly.Disappeared)
				news += falseEvents(o, sc, anomaly.NewPattern)
				ph += o.patternHours
			}
			fmt.Fprintf(&tb, "%-24s %10.1f %8d %8d %8d %8d %10.4f\n", test.name, ph, spikes, surges, gone, news, float64(spikes)/ph)
			if test.assert {
				// Pure Poisson traffic matches the model: at Alpha = 1e-6
				// and the ratio/z floors, a false alarm in a few
				// pattern-hours would be a bug.
				assert.Zero(t, spikes, "false rate spikes on steady Poisson traffic")
				assert.Zero(t, surges, "false error surges on steady Poisson traffic")
				assert.Zero(t, gone, "false disappearances on steady Poisson traffic")
			}
		})
	}
	t.Log(tb.String())
}

// TestMeasure_Latency injects 20× rate spikes into patterns of several base
// rates, and a 20× error surge, and measures detection latency and the share
// of incident records the valve kept.
func TestMeasure_Latency(t *testing.T) {
	seeds := 2
	if raceEnabled {
		seeds = 1
	}
	if *measure {
		seeds = 10
	}
	tests := []struct {
		name    string
		rate    float64
		surge   bool
		errRate float64 // per ERROR pattern (3 of them); 0 keeps the generated rates
		factor  float64 // 0 means 20
		// maxLatency is asserted: a 20× spike of a pattern whose spiked
		// interval count (20·rate) clears MinCount several times over must
		// be seen within its first interval or two.
		maxLatency time.Duration
	}{
		// Low-rate series: their spiked count per interval stays under
		// MinCount, so the low-rate CUSUM must find them within 10 s.
		{name: "spike-rate0.2", rate: 0.2, maxLatency: 10 * time.Second},
		{name: "spike-rate0.5", rate: 0.5, maxLatency: 10 * time.Second},
		{name: "spike-rate2", rate: 2, maxLatency: 3 * time.Second},
		{name: "spike-rate10", rate: 10, maxLatency: 2 * time.Second},
		{name: "spike-rate50", rate: 50, maxLatency: 2 * time.Second},
		{name: "spike-rate200", rate: 200, maxLatency: 2 * time.Second},
		{name: "error-surge", surge: true, maxLatency: 3 * time.Second},
		// The quality harness's surge: errors from about 0.2/s to 5/s.
		{name: "error-surge-low", surge: true, errRate: 0.2 / 3, factor: 25, maxLatency: 10 * time.Second},
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-16s %6s %10s %10s %10s %10s %12s\n", "incident", "runs", "detected", "lat-mean", "lat-max", "kept", "kept-after")
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var det int
			var latSum, latMax time.Duration
			var inc, kept, after, keptAfter int
			for seed := range uint64(seeds) {
				rng := rand.New(rand.NewPCG(seed, 7))
				from := 240 + rng.IntN(60)
				factor := test.factor
				if factor == 0 {
					factor = 20
				}
				sc := scenario{seed: seed + 100, patterns: 30, lo: 0.5, hi: 100, seconds: from + 120,
					spikePat: 3, spikeRate: test.rate, surge: test.surge, errRate: test.errRate, factor: factor, from: from, to: from + 30}
				o := run(t, sc)
				inc += o.incident
				kept += o.kept
				after += o.afterDetect
				keptAfter += o.keptAfter
				if o.detectedOK {
					det++
					lat := o.detected.Sub(t0.Add(time.Duration(from) * time.Second))
					latSum += lat
					latMax = max(latMax, lat)
				}
				if test.maxLatency > 0 {
					require.True(t, o.detectedOK, "seed %d: incident not detected", seed)
				}
			}
			mean := time.Duration(0)
			if det > 0 {
				mean = latSum / time.Duration(det)
			}
			fmt.Fprintf(&tb, "%-16s %6d %10d %10v %10v %9.1f%% %11.2f%%\n", test.name, seeds, det,
				mean.Round(time.Millisecond), latMax.Round(time.Millisecond),
				100*float64(kept)/float64(max(inc, 1)), 100*float64(keptAfter)/float64(max(after, 1)))
			if test.maxLatency > 0 {
				assert.LessOrEqual(t, latMax, test.maxLatency, "detection latency")
				assert.Equal(t, after, keptAfter, "every incident record after detection is kept")
			}
		})
	}
	t.Log(tb.String())
}

// TestMeasure_Sweep (with -measure only) compares threshold settings on
// over-dispersed traffic (false spikes) and on 20× spikes of a 2/s pattern
// (latency), which is how the defaults were chosen.
func TestMeasure_Sweep(t *testing.T) {
	if !*measure {
		t.Skip("run with -measure")
	}
	grid := []anomaly.Thresholds{
		{SpikeRatio: 2, SpikeZ: 4},
		{SpikeRatio: 2, SpikeZ: 6},
		{SpikeRatio: 3, SpikeZ: 4},
		{SpikeRatio: 3, SpikeZ: 6},
		{SpikeRatio: 3, SpikeZ: 8},
		{SpikeRatio: 5, SpikeZ: 6},
		{SpikeRatio: 3, SpikeZ: 6, Smoothing: 0.02},
		{SpikeRatio: 3, SpikeZ: 6, Smoothing: 0.1},
		{SpikeRatio: 3, SpikeZ: 6, MinCount: 5},
		{SpikeRatio: 5, SpikeZ: 6, Smoothing: 0.02},
		{SpikeRatio: 4, SpikeZ: 6, Smoothing: 0.02},
	}
	var tb strings.Builder
	fmt.Fprintf(&tb, "\n%-26s %12s %12s %12s %12s\n", "thresholds", "fp/p-h cv.3", "fp/p-h cv.5", "lat 2/s", "lat 0.5/s")
	for _, th := range grid {
		var fp3, fp5 int
		var ph float64
		for seed := range uint64(4) {
			for _, cv := range []float64{0.3, 0.5} {
				sc := scenario{seed: seed + 1, patterns: 40, lo: 0.2, hi: 200, seconds: 3600, cv: cv, amp: cv, spikePat: -1, th: th}
				o := run(t, sc)
				if cv == 0.3 {
					fp3 += falseEvents(o, sc, anomaly.RateSpike)
					ph += o.patternHours
				} else {
					fp5 += falseEvents(o, sc, anomaly.RateSpike)
				}
			}
		}
		lat := func(rate float64) string {
			var sum time.Duration
			n := 0
			for seed := range uint64(10) {
				sc := scenario{seed: seed + 100, patterns: 30, lo: 0.5, hi: 100, seconds: 400, spikePat: 3,
					spikeRate: rate, factor: 20, from: 270, to: 300, th: th}
				o := run(t, sc)
				if o.detectedOK {
					sum += o.detected.Sub(t0.Add(270 * time.Second))
					n++
				}
			}
			if n == 0 {
				return "never"
			}
			return fmt.Sprintf("%v (%d/10)", (sum / time.Duration(n)).Round(time.Millisecond), n)
		}
		w, mc := th.Smoothing, th.MinCount
		if w == 0 {
			w = anomaly.DefaultSmoothing
		}
		if mc == 0 {
			mc = anomaly.DefaultMinCount
		}
		name := fmt.Sprintf("r=%g z=%g w=%g min=%d", th.SpikeRatio, th.SpikeZ, w, mc)
		fmt.Fprintf(&tb, "%-26s %12.4f %12.4f %12s %12s\n", name, float64(fp3)/ph, float64(fp5)/ph, lat(2), lat(0.5))
	}
	t.Log(tb.String())
}

package anomaly_test

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

// t0 is the simulated start time of every generated stream.
var t0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// genPattern is one synthetic log pattern with a Poisson base rate.
type genPattern struct {
	sig   signature.Sig
	msg   string
	level slog.Level
	rate  float64 // records per second
}

// genRec is one generated record.
type genRec struct {
	pat int
	t   time.Time
}

// newPatterns returns n patterns with rates log-uniform in [lo, hi] per
// second; every errEvery-th pattern is an ERROR pattern (rate divided by 10),
// every warnEvery-th a WARN one.
func newPatterns(rng *rand.Rand, n int, lo, hi float64) []genPattern {
	ps := make([]genPattern, n)
	for i := range ps {
		r := math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
		lvl := slog.LevelInfo
		switch {
		case i%10 == 9:
			lvl, r = slog.LevelError, r/10
		case i%10 == 8:
			lvl = slog.LevelWarn
		}
		tmpl := "synthetic event kind" + strconv.Itoa(i) + " for user <*> took <*> ms"
		ps[i] = genPattern{
			sig:   signature.OfTemplate(tmpl),
			msg:   "synthetic event kind" + strconv.Itoa(i) + " for user 42 took 7 ms",
			level: lvl,
			rate:  r,
		}
	}
	return ps
}

// generator emits per-second Poisson counts for every pattern, with the
// rate of pattern p in second sec given by rateAt, in time order.
type generator struct {
	rng *rand.Rand
	buf []genRec
}

func newGenerator(seed uint64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e995))}
}

func (g *generator) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	return int(distuv.Poisson{Lambda: lambda, Src: g.rng}.Rand())
}

// second emits the records of second sec.
func (g *generator) second(n, sec int, rateAt func(p, sec int) float64, emit func(genRec)) {
	g.buf = g.buf[:0]
	base := t0.Add(time.Duration(sec) * time.Second)
	for p := range n {
		for range g.poisson(rateAt(p, sec)) {
			g.buf = append(g.buf, genRec{pat: p, t: base.Add(time.Duration(g.rng.Int64N(int64(time.Second))))})
		}
	}
	slices.SortFunc(g.buf, func(a, b genRec) int { return a.t.Compare(b.t) })
	for _, r := range g.buf {
		emit(r)
	}
}

// dispersion returns a rate multiplier per (pattern, second): gamma noise
// with coefficient of variation cv and a ±amp sinusoid of period 600 s, a
// crude model of real traffic that is burstier than Poisson.
func dispersion(rng *rand.Rand, cv, amp float64) func(p, sec int) float64 {
	shape := 1 / (cv * cv)
	gm := distuv.Gamma{Alpha: shape, Beta: shape, Src: rng}
	return func(p, sec int) float64 {
		phase := float64(p) * 0.7
		return gm.Rand() * (1 + amp*math.Sin(2*math.Pi*float64(sec)/600+phase))
	}
}

// collector records delivered events; used from one goroutine.
type collector struct {
	opened []anomaly.Event
	closed []anomaly.Event
}

func (c *collector) add(e anomaly.Event) {
	if e.Active() {
		c.opened = append(c.opened, e)
	} else {
		c.closed = append(c.closed, e)
	}
}

func (c *collector) count(typ anomaly.Type) int {
	n := 0
	for _, e := range c.opened {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func (c *collector) first(typ anomaly.Type, sig signature.Sig, after time.Time) (anomaly.Event, bool) {
	for _, e := range c.opened {
		if e.Type == typ && e.Pattern == sig && !e.Detected.Before(after) {
			return e, true
		}
	}
	return anomaly.Event{}, false
}

package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/srex-dev/lipservice-go/sampler"
)

// secondCount is what sample kept in one second of log time.
type secondCount struct {
	sec                       int64 // Unix seconds
	adaptive, firstN, anomaly int
}

// perSecond gathers, per second of log time, the lines kept by the
// budgeted rules (adaptive, first-N, anomaly; exempt, ERROR and other
// fixed-rate lines are not counted) against the policy's target. A second
// is a run of consecutive lines with timestamps in one second; a log that
// goes back in time counts a second again. It keeps the distribution of
// adaptive keeps per second and the busiest seconds, not every second.
type perSecond struct {
	target  float64
	top     int
	cur     secondCount
	started bool
	seconds int
	hist    map[int]int // adaptive keeps in a second -> seconds
	over    int         // seconds with adaptive keeps above the target
	over2   int         // and above twice the target
	busiest []secondCount
}

func newPerSecond(target float64, top int) *perSecond {
	return &perSecond{target: target, top: top, hist: map[int]int{}}
}

// add counts one decided line at time t (zero: not counted).
func (p *perSecond) add(t time.Time, d sampler.Decision) {
	if t.IsZero() {
		return
	}
	sec := t.Unix()
	if !p.started || sec != p.cur.sec {
		p.flush()
		p.cur, p.started = secondCount{sec: sec}, true
	}
	if !d.Keep || d.WouldDrop {
		return // dropped (in dry-run mode: would have been)
	}
	switch d.Reason {
	case sampler.ReasonAdaptive:
		p.cur.adaptive++
	case sampler.ReasonFirstN:
		p.cur.firstN++
	case sampler.ReasonAnomaly:
		p.cur.anomaly++
	}
}

// flush folds the current second into the totals.
func (p *perSecond) flush() {
	if !p.started {
		return
	}
	c := p.cur
	p.started = false
	p.seconds++
	p.hist[c.adaptive]++
	if p.target > 0 && float64(c.adaptive) > p.target {
		p.over++
		if float64(c.adaptive) > 2*p.target {
			p.over2++
		}
	}
	if p.top == 0 {
		return
	}
	p.busiest = append(p.busiest, c)
	slices.SortStableFunc(p.busiest, func(a, b secondCount) int {
		return cmp.Compare(b.adaptive+b.anomaly, a.adaptive+a.anomaly)
	})
	if len(p.busiest) > p.top {
		p.busiest = p.busiest[:p.top]
	}
}

// quantile returns the q-quantile (nearest rank) of adaptive keeps per
// second.
func (p *perSecond) quantile(q float64) int {
	keys := slices.Sorted(func(yield func(int) bool) {
		for k := range p.hist {
			if !yield(k) {
				return
			}
		}
	})
	rank := max(1, int(q*float64(p.seconds)+0.999999))
	n := 0
	for _, k := range keys {
		if n += p.hist[k]; n >= rank {
			return k
		}
	}
	return 0
}

func (p *perSecond) mean() float64 {
	sum := 0
	for k, n := range p.hist {
		sum += k * n
	}
	return float64(sum) / float64(max(p.seconds, 1))
}

// perSecondSummary is the --json form of the per-second counts.
type perSecondSummary struct {
	Target       float64         `json:"target_per_second"`
	Seconds      int             `json:"seconds"`
	AdaptiveMean float64         `json:"adaptive_mean"`
	AdaptiveP50  int             `json:"adaptive_p50"`
	AdaptiveP99  int             `json:"adaptive_p99"`
	AdaptiveMax  int             `json:"adaptive_max"`
	OverTarget   int             `json:"seconds_over_target"`
	Over2Target  int             `json:"seconds_over_2x_target"`
	Busiest      []secondSummary `json:"busiest_seconds"`
}

type secondSummary struct {
	Second   string `json:"second"`
	Adaptive int    `json:"adaptive"`
	FirstN   int    `json:"first_n"`
	Anomaly  int    `json:"anomaly"`
}

func (p *perSecond) summary() perSecondSummary {
	p.flush()
	s := perSecondSummary{
		Target: p.target, Seconds: p.seconds, AdaptiveMean: p.mean(),
		AdaptiveP50: p.quantile(0.5), AdaptiveP99: p.quantile(0.99), AdaptiveMax: p.quantile(1),
		OverTarget: p.over, Over2Target: p.over2, Busiest: []secondSummary{},
	}
	for _, c := range p.busiest {
		s.Busiest = append(s.Busiest, secondSummary{Second: time.Unix(c.sec, 0).UTC().Format(time.RFC3339),
			Adaptive: c.adaptive, FirstN: c.firstN, Anomaly: c.anomaly})
	}
	return s
}

// write writes the text form of the per-second counts to w, when the
// policy has a target.
func (p *perSecond) write(w io.Writer) {
	s := p.summary()
	if s.Seconds == 0 || s.Target == 0 {
		return // nothing to hold against a target
	}
	target := "target " + strconv.FormatFloat(s.Target, 'g', -1, 64) + "/s"
	fmt.Fprintf(w, "\nkept per second (%s), %d seconds: adaptive mean %.1f, p50 %d, p99 %d, max %d; above target %d s, above 2x target %d s\n",
		target, s.Seconds, s.AdaptiveMean, s.AdaptiveP50, s.AdaptiveP99, s.AdaptiveMax, s.OverTarget, s.Over2Target)
	for _, b := range s.Busiest {
		fmt.Fprintf(w, "  %s  adaptive %d  first_n %d  anomaly %d\n", b.Second, b.Adaptive, b.FirstN, b.Anomaly)
	}
}

package quality_test

import (
	"fmt"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
)

// everyTenth is a toy method: it keeps every 10th line at rate 0.1.
type everyTenth struct{ n int }

func (m *everyTenth) Name() string { return "every-10th" }

func (m *everyTenth) Decide(*loggen.Line) quality.Outcome {
	m.n++
	return quality.Outcome{Keep: m.n%10 == 1, Rate: 0.1}
}

func Example() {
	g := loggen.New(1, loggen.WithDuration(5*time.Minute), loggen.WithLinesPerSecond(50))
	res := quality.Compare(g, 1, &everyTenth{}, quality.NewZap(time.Second, 100, 100))
	for _, r := range res {
		fmt.Printf("%-13s reduction %5.1f%%  templates %d/%d  rare %d/%d  ERROR %5.1f%%\n",
			r.Method, 100*r.Reduction(), r.Covered, r.Templates, r.RareCovered, r.Rare, 100*r.ErrorRetention())
	}
	// Output:
	// every-10th    reduction  90.0%  templates 39/46  rare 2/6  ERROR  12.6%
	// zap 100/100   reduction   0.0%  templates 46/46  rare 6/6  ERROR 100.0%
	// uniform       reduction  89.8%  templates 39/46  rare 1/6  ERROR  12.6%
	// level-only    reduction  90.2%  templates 44/46  rare 5/6  ERROR 100.0%
}

// ExampleZap shows why zap's sampler, keyed on the raw message, barely
// samples printf-style logs: almost every message is unique.
func ExampleZap() {
	z := quality.NewZap(time.Second, 1, 100)
	g := loggen.New(1, loggen.WithDuration(time.Minute), loggen.WithLinesPerSecond(100))
	lines, kept := 0, 0
	for {
		l, ok := g.Next()
		if !ok {
			break
		}
		lines++
		if z.Decide(&l).Keep {
			kept++
		}
	}
	fmt.Printf("kept %d of %d lines\n", kept, lines)
	// Output:
	// kept 5975 of 6118 lines
}

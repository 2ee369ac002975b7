package svgchart_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/internal/svgchart"
)

// Example draws three buckets of counts as an area, with an anomaly band
// and the axis labels.
func Example() {
	c := svgchart.Chart{
		Width: 100, Height: 40, Left: 5, Right: 5, Top: 5, Bottom: 5,
		XMax: 3, Label: "lines per minute",
		Series: []svgchart.Series{{Class: "area", Area: true, Points: []svgchart.Point{{0, 2}, {1, 8}, {2, 4}}}},
		Bands:  []svgchart.Band{{X0: 1, X1: 2, Class: "marker", Title: "rate_spike"}},
		Labels: []svgchart.Label{{X: 5, Y: 40, Text: "10:00"}, {X: 95, Y: 40, Anchor: "end", Text: "10:03"}},
	}
	fmt.Println(c.SVG())
	// Output:
	// <svg viewBox="0 0 100 40" role="img" aria-label="lines per minute"><path class="area" d="M5,35L5,27.5H35L35,5H65L65,20H95L95,35Z"/><g class="marker"><title>rate_spike</title><rect class="band" x="35" y="0" width="30" height="40"/><line class="tick" x1="35" y1="0" x2="35" y2="40"/></g><text x="5" y="40">10:00</text><text x="95" y="40" text-anchor="end">10:03</text></svg>
}

package svgchart_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/svgchart"
)

// wellFormed checks that s parses as XML, which an inline SVG must.
func wellFormed(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err, "not well-formed XML: %s", s)
	}
}

// TestChart_SVG checks the drawing on charts worked out by hand. The plot
// of every case is 100×50 units inside a 120×70 chart (insets 10), so a
// data x maps to 10 + 100·(x−XMin)/(XMax−XMin) and a value v to
// 60 − 50·v/YMax.
func TestChart_SVG(t *testing.T) {
	base := func() svgchart.Chart {
		return svgchart.Chart{Width: 120, Height: 70, Left: 10, Right: 10, Top: 10, Bottom: 10}
	}
	tests := []struct {
		name    string
		chart   func() svgchart.Chart
		want    []string // substrings of the SVG
		notWant []string
	}{
		{
			name:    "empty series: no path",
			chart:   func() svgchart.Chart { c := base(); c.Series = []svgchart.Series{{Class: "a"}}; return c },
			want:    []string{`<svg viewBox="0 0 120 70"`, `role="img"`, "</svg>"},
			notWant: []string{"<path"},
		},
		{
			// One point, no x range given: the range is [0, 1), the step
			// spans the plot, the value is the maximum (top, y 10).
			name: "one point, line",
			chart: func() svgchart.Chart {
				c := base()
				c.Series = []svgchart.Series{{Points: []svgchart.Point{{0, 5}}}}
				return c
			},
			want: []string{`<path d="M10,10H110"/>`},
		},
		{
			// The same point as an area: down to the axis (y 60) and
			// closed.
			name: "one point, area",
			chart: func() svgchart.Chart {
				c := base()
				c.Series = []svgchart.Series{{Class: "area", Area: true, Points: []svgchart.Point{{0, 5}}}}
				return c
			},
			want: []string{`<path class="area" d="M10,60L10,10H110L110,60Z"/>`},
		},
		{
			// XMin 0, XMax 4, YMax 10: points 0 (v 5), 1 (v 10), then a gap
			// to 3 (v 0). x: 10, 35, 60, 85, 110; y: 35, 10, 60.
			name: "gap breaks the line",
			chart: func() svgchart.Chart {
				c := base()
				c.XMax, c.YMax = 4, 10
				c.Series = []svgchart.Series{{Points: []svgchart.Point{{0, 5}, {1, 10}, {3, 0}}}}
				return c
			},
			want: []string{`d="M10,35H35L35,10H60M85,60H110"`},
		},
		{
			name: "gap closes each area run",
			chart: func() svgchart.Chart {
				c := base()
				c.XMax, c.YMax = 4, 10
				c.Series = []svgchart.Series{{Area: true, Points: []svgchart.Point{{0, 5}, {3, 10}}}}
				return c
			},
			want: []string{`d="M10,60L10,35H35L35,60ZM85,60L85,10H110L110,60Z"`},
		},
		{
			name: "values clamped to [0, YMax]",
			chart: func() svgchart.Chart {
				c := base()
				c.XMax, c.YMax = 2, 10
				c.Series = []svgchart.Series{{Points: []svgchart.Point{{0, -3}, {1, 25}}}}
				return c
			},
			want: []string{`d="M10,60H60L60,10H110"`},
		},
		{
			// Axis labels at chart coordinates, anchored; a band from 1 to
			// 1 (zero width) drawn one unit wide.
			name: "axis labels and band",
			chart: func() svgchart.Chart {
				c := base()
				c.XMax = 4
				c.Labels = []svgchart.Label{
					{X: 10, Y: 70, Class: "axis", Text: "10:00"},
					{X: 110, Y: 70, Anchor: "end", Class: "axis", Text: "10:04 UTC"},
				}
				c.Bands = []svgchart.Band{{X0: 1, X1: 1, Class: "marker m-warning", Title: "spike"}}
				return c
			},
			want: []string{
				`<text x="10" y="70" class="axis">10:00</text>`,
				`<text x="110" y="70" text-anchor="end" class="axis">10:04 UTC</text>`,
				`<g class="marker m-warning"><title>spike</title><rect class="band" x="35" y="0" width="1" height="70"/><line class="tick" x1="35" y1="0" x2="35" y2="70"/></g>`,
			},
		},
		{
			// Every string that reaches the output is escaped: a label, a
			// band title, an accessible name, a class and an attribute
			// taken from log content cannot inject markup.
			name: "escaping",
			chart: func() svgchart.Chart {
				c := base()
				c.Label = `"><script>alert(1)</script>`
				c.Class = `x" onload="y`
				c.Attrs = [][2]string{{"data-t", `a&b<c>`}}
				c.Labels = []svgchart.Label{{X: 1, Y: 1, Text: "</text><script>&"}}
				c.Bands = []svgchart.Band{{X0: 0, X1: 1, Title: "</title><b>x</b>"}}
				return c
			},
			want: []string{
				`aria-label="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`,
				`class="x&#34; onload=&#34;y"`,
				`data-t="a&amp;b&lt;c&gt;"`,
				`>&lt;/text&gt;&lt;script&gt;&amp;</text>`,
				`<title>&lt;/title&gt;&lt;b&gt;x&lt;/b&gt;</title>`,
			},
			notWant: []string{"<script", "<b>"},
		},
		{
			name: "background",
			chart: func() svgchart.Chart {
				c := base()
				c.Background = "bg"
				return c
			},
			want: []string{`<rect x="0" y="0" width="120" height="70" class="bg"/>`},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			c := test.chart()
			s := c.SVG()
			wellFormed(t, s)
			for _, w := range test.want {
				assert.Contains(t, s, w)
			}
			for _, w := range test.notWant {
				assert.NotContains(t, s, w)
			}
		})
	}
}

// TestChart_allZero checks that a series of zeros is drawn on the axis
// (YMax defaults to 1, no division by zero).
func TestChart_allZero(t *testing.T) {
	c := svgchart.Chart{Width: 100, Height: 50, XMax: 2}
	s := svgchart.Series{Points: []svgchart.Point{{0, 0}, {1, 0}}}
	assert.Equal(t, "M0,50H50L50,50H100", c.Path(s))
}

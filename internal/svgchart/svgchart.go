package svgchart

import (
	"html"
	"math"
	"strconv"
	"strings"
)

// Chart is one chart: its size, the plot area inside it, the data range on
// the x axis, and what is drawn. The zero Chart draws an empty <svg> of
// size 0×0. A Chart is plain data; SVG does not modify it.
type Chart struct {
	// Width and Height are the viewBox size, in SVG user units.
	Width, Height float64
	// Left, Right, Top and Bottom inset the plot area from the edges.
	Left, Right, Top, Bottom float64
	// XMin and XMax are the data range of the x axis, drawn from the
	// plot's left to its right edge. When XMax ≤ XMin the range is taken
	// from the series: the first point's X to the last point's X + Step.
	XMin, XMax float64
	// YMax is the value drawn at the plot's top; zero (or a negative
	// value, or NaN) means the largest value of the series, and 1 when
	// every value is 0. Values are clamped to [0, YMax].
	YMax float64
	// Label is the chart's accessible name (aria-label).
	Label string
	// Class, Attrs: the class of the <svg> element; extra attributes
	// written on it (name, value pairs, escaped).
	Class string
	Attrs [][2]string
	// Background, when set, is the class of a rectangle covering the
	// whole chart, drawn first.
	Background string
	// Series are drawn in order, over the background.
	Series []Series
	// Bands are drawn over the series.
	Bands []Band
	// Labels are drawn last.
	Labels []Label
}

// Series is one step series: each point is drawn as a horizontal step from
// X to X+Step at height Y. A point whose X is beyond the previous point's
// X+Step (a gap: buckets without data) starts a new run, so the drawing
// breaks instead of bridging the gap. Points must be in increasing X.
type Series struct {
	// Class is the class of the <path> element.
	Class string
	// Attrs are extra attributes of the path (name, value pairs, escaped),
	// e.g. a stroke for a page without CSS.
	Attrs [][2]string
	// Area closes each run down to the x axis (a filled area); otherwise
	// the series is a line.
	Area bool
	// Step is the width of a point in data units; zero means 1.
	Step   float64
	Points []Point
}

// Point is one value of a series at data position X.
type Point struct{ X, Y float64 }

// Band marks the data range [X0, X1] over the plot's full height: a
// rectangle of class "band" and a line of class "tick" at X0, grouped in a
// <g> of class Class, with Title as the tooltip. A band narrower than one
// unit is drawn one unit wide so that it stays visible; X0 and X1 are
// clamped to the axis range.
type Band struct {
	X0, X1 float64
	Class  string
	Title  string
}

// Label is a text at (X, Y) in SVG user units (not data units), anchored
// at "start" (the default), "middle" or "end".
type Label struct {
	X, Y   float64
	Anchor string
	Class  string
	Attrs  [][2]string
	Text   string
}

// SVG returns the chart as one <svg> element.
func (c *Chart) SVG() string {
	var b strings.Builder
	b.WriteString(`<svg viewBox="0 0 ` + num(c.Width) + " " + num(c.Height) + `"`)
	attr(&b, "class", c.Class)
	b.WriteString(` role="img"`)
	b.WriteString(` aria-label="` + html.EscapeString(c.Label) + `"`)
	attrs(&b, c.Attrs)
	b.WriteString(">")
	if c.Background != "" {
		b.WriteString(`<rect x="0" y="0" width="` + num(c.Width) + `" height="` + num(c.Height) + `"`)
		attr(&b, "class", c.Background)
		b.WriteString("/>")
	}
	x0, x1 := c.xRange()
	ym := c.yMax()
	for _, s := range c.Series {
		d := c.path(s, x0, x1, ym)
		if d == "" {
			continue
		}
		b.WriteString(`<path`)
		attr(&b, "class", s.Class)
		attrs(&b, s.Attrs)
		b.WriteString(` d="` + d + `"/>`)
	}
	for _, bd := range c.Bands {
		xa := c.x(bd.X0, x0, x1)
		w := max(c.x(bd.X1, x0, x1)-xa, 1)
		b.WriteString(`<g`)
		attr(&b, "class", bd.Class)
		b.WriteString("><title>" + html.EscapeString(bd.Title) + "</title>")
		b.WriteString(`<rect class="band" x="` + num(xa) + `" y="0" width="` + num(w) + `" height="` + num(c.Height) + `"/>`)
		b.WriteString(`<line class="tick" x1="` + num(xa) + `" y1="0" x2="` + num(xa) + `" y2="` + num(c.Height) + `"/></g>`)
	}
	for _, l := range c.Labels {
		b.WriteString(`<text x="` + num(l.X) + `" y="` + num(l.Y) + `"`)
		if l.Anchor != "" && l.Anchor != "start" {
			attr(&b, "text-anchor", l.Anchor)
		}
		attr(&b, "class", l.Class)
		attrs(&b, l.Attrs)
		b.WriteString(">" + html.EscapeString(l.Text) + "</text>")
	}
	b.WriteString("</svg>")
	return b.String()
}

// Path returns the d attribute of series s drawn on the chart's axes: ""
// for a series without points. The x range and YMax, when not set, come
// from c.Series as in SVG.
func (c *Chart) Path(s Series) string {
	x0, x1 := c.xRange()
	return c.path(s, x0, x1, c.yMax())
}

func (c *Chart) path(s Series, x0, x1, ym float64) string {
	if len(s.Points) == 0 {
		return ""
	}
	step := s.Step
	if !(step > 0) {
		step = 1
	}
	base := c.Height - c.Bottom
	y := func(v float64) float64 {
		if !(v > 0) {
			v = 0
		}
		v = min(v, ym)
		return base - v/ym*(c.Height-c.Top-c.Bottom)
	}
	var b strings.Builder
	end := 0.0 // the right edge of the run so far
	for i, p := range s.Points {
		xa, xb := c.x(p.X, x0, x1), c.x(p.X+step, x0, x1)
		gap := i > 0 && p.X > s.Points[i-1].X+step*(1+1e-9)
		if i == 0 || gap {
			if i > 0 && s.Area {
				b.WriteString("L" + num(end) + "," + num(base) + "Z")
			}
			if s.Area {
				b.WriteString("M" + num(xa) + "," + num(base) + "L")
			} else {
				b.WriteString("M")
			}
		} else {
			b.WriteString("L")
		}
		b.WriteString(num(xa) + "," + num(y(p.Y)) + "H" + num(xb))
		end = xb
	}
	if s.Area {
		b.WriteString("L" + num(end) + "," + num(base) + "Z")
	}
	return b.String()
}

// xRange returns the data range of the x axis.
func (c *Chart) xRange() (float64, float64) {
	if c.XMax > c.XMin {
		return c.XMin, c.XMax
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		if len(s.Points) == 0 {
			continue
		}
		step := s.Step
		if !(step > 0) {
			step = 1
		}
		lo = min(lo, s.Points[0].X)
		hi = max(hi, s.Points[len(s.Points)-1].X+step)
	}
	if !(hi > lo) {
		return 0, 1
	}
	return lo, hi
}

// yMax returns the value drawn at the top.
func (c *Chart) yMax() float64 {
	if c.YMax > 0 {
		return c.YMax
	}
	m := 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			m = max(m, p.Y)
		}
	}
	if !(m > 0) {
		return 1
	}
	return m
}

// x maps data position v to SVG x, clamped to the plot area.
func (c *Chart) x(v, x0, x1 float64) float64 {
	f := (v - x0) / (x1 - x0)
	if !(f > 0) {
		f = 0
	}
	f = min(f, 1)
	return c.Left + f*(c.Width-c.Left-c.Right)
}

func attr(b *strings.Builder, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
}

func attrs(b *strings.Builder, kv [][2]string) {
	for _, a := range kv {
		attr(b, a[0], a[1])
	}
}

// num formats an SVG coordinate: rounded to 2 decimals, without trailing
// zeros.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

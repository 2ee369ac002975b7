package analyze

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/internal/svgchart"
)

// maxCharts is the number of patterns that get a volume chart in the HTML
// report (the most frequent, within --top).
const maxCharts = 10

// Chart geometry, in SVG user units.
const (
	chartWidth  = 720
	chartHeight = 110
	chartPad    = 4
)

// htmlChart is one SVG chart (internal/svgchart): an area of counts per
// bucket, with anomaly markers, and the axis below it.
type htmlChart struct {
	Title   string
	SVG     template.HTML // the <svg> element, escaped by svgchart
	Max     uint32
	From    string
	To      string
	Bucket  string
	Markers bool // anomalies are marked
	Errors  bool // the error line is drawn
}

// htmlPattern is a pattern row of the HTML report.
type htmlPattern struct {
	Pattern
	Rank             int
	LevelText        string
	ErrorText        string
	FirstText        string
	LastText         string
	SharePct, RatePc string
	BytesText        string
	Chart            *htmlChart
}

// htmlAnomaly is an anomaly row.
type htmlAnomaly struct {
	Anomaly
	StartText, DetectedText, EndText string
	ValueText, BaselineText          string // at most 4 significant digits
}

type htmlData struct {
	Rep       *Report
	Files     string
	Lines     uint64
	BytesText string
	TimeText  string
	// IntervalText is the anomaly interval and where it came from.
	IntervalText string
	Overview     *htmlChart
	Patterns     []htmlPattern
	Clusters     []Cluster
	Anomalies    []htmlAnomaly
	PolicyJSON   string
	Proj         Projection
	PriceText    string
	ProjRows     [][4]string
	// Unreachable says why the target is not reachable; Alternative
	// describes the projection's alternative policy, if any.
	Unreachable, Alternative string
}

// writeHTML writes the self-contained HTML report: inline CSS and SVG, no
// script and no external resource.
func writeHTML(w io.Writer, rep *Report) error {
	d := htmlData{
		Rep:       rep,
		Files:     strings.Join(rep.Input.Files, " "),
		Lines:     rep.Input.Lines,
		BytesText: formatBytes(float64(rep.Input.Bytes)),
		Clusters:  rep.Clusters,
		Proj:      rep.Projection,
	}
	in := &rep.Input
	d.IntervalText = intervalText(in)
	if in.TimedLines > 0 {
		d.TimeText = formatTime(in.FirstSeen) + " .. " + formatTime(in.LastSeen) + " (" + formatDuration(in.LastSeen.Sub(in.FirstSeen)) + ")"
	} else {
		d.TimeText = "no timestamps found: no time series and no anomaly detection"
	}
	tl := rep.Timeline
	if tl != nil {
		d.Overview = newChart("All lines", tl.Total, tl.Errors, tl, rep.Anomalies, func(Anomaly) bool { return true })
	}
	for i, p := range rep.Patterns {
		hp := htmlPattern{
			Pattern: p, Rank: i + 1,
			LevelText: formatLevels(p.Levels, p.Count), ErrorText: formatCounts(p.ErrorTypes),
			FirstText: formatTime(p.FirstSeen), LastText: formatTime(p.LastSeen),
			SharePct: formatPercent(p.Share), RatePc: formatRate(p.Rate), BytesText: formatBytes(float64(p.Bytes)),
		}
		if tl != nil && i < maxCharts && p.Series != nil {
			id := p.ID
			hp.Chart = newChart("#"+strconv.Itoa(i+1)+" "+p.Template, p.Series, nil, tl, rep.Anomalies, func(a Anomaly) bool {
				return a.PatternID == nil && a.Type == "error_surge" || a.PatternID != nil && *a.PatternID == id
			})
		}
		d.Patterns = append(d.Patterns, hp)
	}
	for _, a := range rep.Anomalies {
		ha := htmlAnomaly{
			Anomaly: a, StartText: formatTime(a.Start), DetectedText: formatTime(a.Detected), EndText: "active",
			ValueText: formatSignificant(a.Value), BaselineText: formatSignificant(a.Baseline),
		}
		if !a.End.IsZero() {
			ha.EndText = formatTime(a.End)
		}
		d.Anomalies = append(d.Anomalies, ha)
	}
	var pb bytes.Buffer
	enc := json.NewEncoder(&pb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep.Policy); err != nil {
		return err
	}
	d.PolicyJSON = pb.String()
	pr := &rep.Projection
	d.ProjRows = [][4]string{
		{"lines", strconv.FormatUint(pr.Lines, 10), strconv.FormatFloat(pr.KeptLines, 'f', 0, 64), formatPercent(pr.LineReduction)},
		{"bytes", formatBytes(float64(pr.Bytes)), formatBytes(pr.KeptBytes), formatPercent(pr.ByteReduction)},
		{"cost", formatMoney(pr.Cost), formatMoney(pr.KeptCost), formatMoney(pr.Savings) + " saved"},
	}
	if r := pr.Per30Days; r != nil {
		d.ProjRows = append(d.ProjRows,
			[4]string{"bytes per 30 days", formatBytes(r.Bytes), formatBytes(r.KeptBytes), ""},
			[4]string{"cost per 30 days", formatMoney(r.Cost), formatMoney(r.KeptCost), formatMoney(r.Savings) + " saved"})
	}
	d.PriceText = formatSignificant(pr.PricePerGB)
	d.Unreachable = unreachableText(pr)
	if pr.Alternative != nil {
		d.Alternative = alternativeText(pr)
	}
	return htmlTemplate.Execute(w, &d)
}

// formatSignificant formats f with at most 4 significant digits, the
// precision a reader of the report needs (a rate of 0.06522403481251367 is
// shown as 0.06522).
func formatSignificant(f float64) string {
	return strconv.FormatFloat(f, 'g', 4, 64)
}

func maxOf(s []uint32) uint32 {
	var m uint32
	for _, v := range s {
		m = max(m, v)
	}
	return m
}

// newChart draws series on the timeline axis, marking the anomalies for
// which mark is true; errors, if not nil, is drawn as a line over the area
// on the same scale.
func newChart(title string, series, errors []uint32, tl *Timeline, events []Anomaly, mark func(Anomaly) bool) *htmlChart {
	m := maxOf(series)
	c := &htmlChart{
		Title:  title,
		Max:    m,
		From:   formatTime(tl.Start),
		To:     formatTime(tl.Start.Add(time.Duration(tl.BucketSeconds*int64(len(series))) * time.Second)),
		Bucket: formatDuration(time.Duration(tl.BucketSeconds) * time.Second),
	}
	n := max(len(series), 1)
	sc := svgchart.Chart{
		Width: chartWidth, Height: chartHeight,
		Left: chartPad, Right: chartPad, Top: chartPad, Bottom: chartPad,
		XMax: float64(n), YMax: float64(max(m, 1)), Label: title,
		Series: []svgchart.Series{{Class: "area", Area: true, Points: points(series)}},
	}
	if errors != nil {
		sc.Series = append(sc.Series, svgchart.Series{Class: "errline", Points: points(errors)})
		c.Errors = true
	}
	// Anomalies are placed in buckets (fractions of one).
	span := float64(tl.BucketSeconds)
	xOf := func(t time.Time) float64 { return float64(t.Unix()-tl.Start.Unix()) / span }
	for _, e := range events {
		if !mark(e) {
			continue
		}
		end := e.End
		if end.IsZero() || end.Before(e.Start) {
			end = e.Start
		}
		title := e.Type + " (" + e.Severity + ") at " + formatTime(e.Start)
		if e.Template != "" {
			title += ": " + e.Template
		}
		sc.Bands = append(sc.Bands, svgchart.Band{X0: xOf(e.Start), X1: xOf(end), Class: "marker m-" + e.Severity, Title: title})
	}
	c.Markers = len(sc.Bands) > 0
	c.SVG = template.HTML(sc.SVG())
	return c
}

// points returns series as chart points, one per bucket.
func points(series []uint32) []svgchart.Point {
	ps := make([]svgchart.Point, len(series))
	for i, v := range series {
		ps[i] = svgchart.Point{X: float64(i), Y: float64(v)}
	}
	return ps
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"mul100": func(f float64) float64 { return 100 * f },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lipservice analyze: {{.Files}}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#1d2433;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #d8dde6}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}
th{background:#f4f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f4f6f9;padding:1em;overflow:auto;max-height:30em}
.chart{margin:1em 0}.chart h3{font-size:13px;margin:0 0 .2em;font-weight:600;word-break:break-all}
.chart svg{width:100%;height:auto;background:#fafbfc;border:1px solid #e3e6ec}
.area{fill:#6c8ebf;fill-opacity:.55;stroke:#3d6aa8;stroke-width:1}
.errline{fill:none;stroke:#c0392b;stroke-width:1.5}
.axis{font-size:11px;color:#5b6475;display:flex;justify-content:space-between}
.band{fill-opacity:.18}.tick{stroke-width:1.5}
.m-critical .band{fill:#c0392b}.m-critical .tick{stroke:#c0392b}
.m-warning .band{fill:#e67e22}.m-warning .tick{stroke:#e67e22}
.m-info .band{fill:#8e44ad}.m-info .tick{stroke:#8e44ad}
tr.anomaly.critical td:first-child{border-left:3px solid #c0392b}
tr.anomaly.warning td:first-child{border-left:3px solid #e67e22}
tr.anomaly.info td:first-child{border-left:3px solid #8e44ad}
.muted{color:#5b6475}
td.t{white-space:nowrap}
.legend{font-size:11px;color:#5b6475;margin-top:.2em}.legend span{margin-right:1.2em;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
.legend .l-critical{background:#c0392b;opacity:.6}.legend .l-warning{background:#e67e22;opacity:.6}.legend .l-info{background:#8e44ad;opacity:.6}
.legend .l-errors{height:2px;background:#c0392b;vertical-align:3px}.legend .l-area{background:#6c8ebf;opacity:.55}
</style>
</head>
<body>
<h1>lipservice analyze</h1>
<table class="summary">
<tr><th>files</th><td>{{.Files}}</td></tr>
<tr><th>lines</th><td>{{.Lines}} ({{.BytesText}}), {{.Rep.Input.TimedLines}} with a time</td></tr>
<tr><th>time</th><td>{{.TimeText}}</td></tr>
<tr><th>patterns</th><td>{{.Rep.Input.Patterns}} ({{.Rep.Input.Signatures}} signatures{{if .Rep.Input.EvictedSignatures}}, {{.Rep.Input.EvictedSignatures}} rare signatures evicted{{end}})</td></tr>
<tr><th>anomalies</th><td>{{.Rep.Input.AnomalyEvents}} events{{if .Rep.Input.TimedLines}}; {{.IntervalText}}{{end}}</td></tr>
{{if .Rep.Input.Interrupted}}<tr><th>note</th><td>interrupted: the report covers the lines read so far</td></tr>{{end}}
</table>
{{with .Overview}}<h2>Volume over time</h2>{{template "chart" .}}{{end}}
<h2>Patterns</h2>
<table class="patterns">
<tr><th>#</th><th>count</th><th>share</th><th>bytes</th><th>levels</th><th>first seen</th><th>last seen</th><th>rate</th><th>template</th></tr>
{{range .Patterns}}<tr class="pattern" id="p-{{.ID}}"><td class="n">{{.Rank}}</td><td class="n">{{.Count}}</td><td class="n">{{.SharePct}}</td><td class="n">{{.BytesText}}</td><td>{{.LevelText}}</td><td class="t">{{.FirstText}}</td><td class="t">{{.LastText}}</td><td class="n">{{.RatePc}}</td><td><code>{{.Template}}</code>{{if .ErrorText}}<br><span class="muted">errors: {{.ErrorText}}</span>{{end}}{{if .Anomalies}}<br><span class="muted">{{.Anomalies}} anomaly events</span>{{end}}</td></tr>
{{end}}</table>
{{range .Patterns}}{{with .Chart}}{{template "chart" .}}{{end}}{{end}}
<h2>Clusters of related patterns</h2>
{{if .Clusters}}<table class="clusters">
<tr><th>count</th><th>patterns</th><th>label</th><th>template (most frequent member)</th></tr>
{{range .Clusters}}<tr class="cluster"><td class="n">{{.Count}}</td><td class="n">{{len .Patterns}}</td><td>{{.Label}}</td><td><code>{{.Template}}</code></td></tr>
{{end}}</table>{{else}}<p class="muted">No two patterns are related.</p>{{end}}
<h2>Anomalies</h2>
{{if .Anomalies}}<table class="anomalies">
<tr><th>start</th><th>type</th><th>severity</th><th>value</th><th>baseline</th><th>detected</th><th>end</th><th>template</th></tr>
{{range .Anomalies}}<tr class="anomaly {{.Severity}}"><td class="t">{{.StartText}}</td><td>{{.Type}}</td><td>{{.Severity}}</td><td class="n">{{.ValueText}}</td><td class="n">{{.BaselineText}}</td><td class="t">{{.DetectedText}}</td><td class="t">{{.EndText}}</td><td><code>{{if .Template}}{{.Template}}{{else}}(all {{.Level}} lines){{end}}</code></td></tr>
{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
<h2>Recommended policy</h2>
<p>Target: keep {{printf "%.1f" (mul100 .Proj.TargetKeepFraction)}}% of the lines.{{if not .Proj.Reachable}} Not reachable: {{.Unreachable}}.{{end}}</p>
<pre class="policy">{{.PolicyJSON}}</pre>
<h2>Projection</h2>
<table class="projection">
<tr><th>at {{.PriceText}} per GB</th><th>total</th><th>kept</th><th>reduction</th></tr>
{{range .ProjRows}}<tr><th>{{index . 0}}</th><td class="n">{{index . 1}}</td><td class="n">{{index . 2}}</td><td class="n">{{index . 3}}</td></tr>
{{end}}</table>
{{if .Alternative}}<h2>Alternative</h2>
<p>Meets the target by bounding the anomaly valve; not recommended, because anomalies are no longer kept in full: {{.Alternative}}.</p>{{end}}
</body>
</html>
{{define "chart"}}<div class="chart"><h3>{{.Title}}</h3>
{{.SVG}}
<div class="axis"><span>{{.From}}</span><span>max {{.Max}} lines per {{.Bucket}}</span><span>{{.To}}</span></div>
{{if or .Markers .Errors}}<div class="legend"><span><i class="l-area"></i>lines</span>{{if .Errors}}<span><i class="l-errors"></i>ERROR and CRITICAL lines</span>{{end}}{{if .Markers}}<span><i class="l-critical"></i>critical anomaly</span><span><i class="l-warning"></i>warning anomaly</span><span><i class="l-info"></i>info anomaly (new pattern)</span><span class="muted">bands span start to end; hover for details</span>{{end}}</div>{{end}}</div>
{{end}}`))

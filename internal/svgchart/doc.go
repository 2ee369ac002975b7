// Package svgchart draws the project's inline SVG charts: step series
// (counts per bucket) as areas or lines, marker bands with a tooltip, and
// text labels, in one <svg> element with no script and no external
// resource. It is the one chart builder of the analyze command's HTML
// report and of the server's dashboard.
//
// The entry point is [Chart.SVG]. Every string that reaches the output
// (labels, titles, class names) is escaped for HTML and XML, so the result
// may be embedded in a page as is (html/template.HTML).
package svgchart

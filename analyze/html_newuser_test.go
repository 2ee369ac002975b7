package analyze_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTML_readable checks issue 20 item 8 on the HTML report: date cells
// do not wrap, numbers outside the policy JSON have at most 4 significant
// digits, and charts with anomaly bands carry a legend.
func TestHTML_readable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	r := run(t, nil, "--quiet", "--html", out, filepath.Join("testdata", "openssh_100.log"))
	require.Equal(t, 0, r.code, r.stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	page := string(b)

	assert.Contains(t, page, "td.t{white-space:nowrap}", "date cells do not wrap")
	dates := regexp.MustCompile(`<td class="t">[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d</td>`).FindAllString(page, -1)
	assert.NotEmpty(t, dates, "first/last seen and anomaly times are in nowrap cells")
	assert.NotRegexp(t, `<td>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d</td>`, page, "no date cell without the nowrap class")

	// The policy JSON is data to copy and keeps full precision, and SVG
	// coordinates are not read; the rest is for reading.
	text := regexp.MustCompile(`(?s)<pre class="policy">.*?</pre>|<svg .*?</svg>`).ReplaceAllString(page, "")
	var long []string
	for _, num := range regexp.MustCompile(`\d+\.\d+`).FindAllString(text, -1) {
		digits := strings.TrimLeft(strings.Replace(num, ".", "", 1), "0")
		if len(digits) > 4 {
			long = append(long, num)
		}
	}
	assert.Empty(t, long, "numbers with more than 4 significant digits")

	require.Contains(t, page, `<g class="marker`, "the sample has anomaly bands")
	assert.Equal(t, strings.Count(page, `<svg `), strings.Count(page, `<div class="legend">`)+countChartsWithoutOverlay(page),
		"every chart with an overlay has a legend")
	assert.Contains(t, page, "warning anomaly")
}

// countChartsWithoutOverlay counts the charts that have neither anomaly
// bands nor an error line.
func countChartsWithoutOverlay(page string) int {
	n := 0
	for _, svg := range regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(page, -1) {
		if !strings.Contains(svg, `class="marker`) && !strings.Contains(svg, `class="errline"`) {
			n++
		}
	}
	return n
}

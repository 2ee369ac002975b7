package server

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/server/store"
)

// TestChart checks issue 20 item 8 on the dashboard's volume chart: data
// that all falls in one minute still draws a line, and a minute without
// data breaks the line instead of bridging it.
func TestChart(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	pt := func(min int, total, kept int64) store.VolumePoint {
		return store.VolumePoint{Bucket: t0.Add(time.Duration(min) * time.Minute), Total: total, Kept: kept}
	}
	tests := []struct {
		name     string
		vol      []store.VolumePoint
		runs     int    // "M" commands: contiguous runs of minutes
		wantPath string // the total path, when given
	}{
		{name: "one minute", vol: []store.VolumePoint{pt(0, 50, 5)}, runs: 1, wantPath: "M10,22H790"},
		{name: "contiguous", vol: []store.VolumePoint{pt(0, 10, 1), pt(1, 20, 2), pt(2, 40, 4)}, runs: 1},
		{name: "gap", vol: []store.VolumePoint{pt(0, 10, 1), pt(1, 20, 2), pt(30, 40, 4)}, runs: 2},
		{name: "two gaps", vol: []store.VolumePoint{pt(0, 10, 1), pt(5, 20, 2), pt(9, 40, 4)}, runs: 3},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			svg := string(chart(test.vol, 800, 180).SVG)
			total, kept := pathOf(t, svg, "volume total"), pathOf(t, svg, "volume kept")
			assert.Equal(t, test.runs, strings.Count(total, "M"), "runs in %q", total)
			assert.Equal(t, test.runs, strings.Count(kept, "M"), "runs in %q", kept)
			assert.Equal(t, len(test.vol), strings.Count(total, "H"), "a step per minute in %q", total)
			if test.wantPath != "" {
				assert.Equal(t, test.wantPath, total)
			}
			assert.True(t, strings.HasSuffix(total, "H790"), "the last minute ends at the right edge: %q", total)
			assert.Equal(t, "M10,158H790", pathOf(t, svg, "axis"), "the zero line spans the plot")
			assert.Contains(t, svg, ">10:00</text>", "the first minute labels the axis")
		})
	}
	t.Run("empty", func(t *testing.T) {
		svg := string(chart(nil, 800, 180).SVG)
		assert.NotContains(t, svg, "<path", "no data, no line")
		assert.Contains(t, svg, ">max 0/min</text>")
		assert.NotContains(t, svg, "UTC</text>", "no time labels without data")
	})
}

// pathOf returns the d attribute of the path of class class in svg.
func pathOf(t *testing.T, svg, class string) string {
	t.Helper()
	_, rest, ok := strings.Cut(svg, `<path class="`+class+`"`)
	if !ok {
		t.Fatalf("no path of class %q in %s", class, svg)
	}
	_, rest, _ = strings.Cut(rest, ` d="`)
	d, _, _ := strings.Cut(rest, `"`)
	return d
}

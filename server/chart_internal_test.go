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
		{name: "one minute", vol: []store.VolumePoint{pt(0, 50, 5)}, runs: 1, wantPath: "M10.0,22.0H790.0"},
		{name: "contiguous", vol: []store.VolumePoint{pt(0, 10, 1), pt(1, 20, 2), pt(2, 40, 4)}, runs: 1},
		{name: "gap", vol: []store.VolumePoint{pt(0, 10, 1), pt(1, 20, 2), pt(30, 40, 4)}, runs: 2},
		{name: "two gaps", vol: []store.VolumePoint{pt(0, 10, 1), pt(5, 20, 2), pt(9, 40, 4)}, runs: 3},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			c := chart(test.vol, 800, 180)
			assert.NotEmpty(t, c.Total)
			assert.Equal(t, test.runs, strings.Count(c.Total, "M"), "runs in %q", c.Total)
			assert.Equal(t, test.runs, strings.Count(c.Kept, "M"), "runs in %q", c.Kept)
			assert.Equal(t, len(test.vol), strings.Count(c.Total, "H"), "a step per minute in %q", c.Total)
			if test.wantPath != "" {
				assert.Equal(t, test.wantPath, c.Total)
			}
			assert.True(t, strings.HasSuffix(c.Total, "H790.0"), "the last minute ends at the right edge: %q", c.Total)
		})
	}
	t.Run("empty", func(t *testing.T) {
		c := chart(nil, 800, 180)
		assert.Empty(t, c.Total)
		assert.Empty(t, c.Start)
	})
}

package logline_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/logline"
)

func TestYearShift(t *testing.T) {
	yearless := time.Date(0, time.June, 15, 2, 4, 59, 0, time.UTC)
	dated := time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		in      time.Time
		shifted time.Time
	}{
		{"year-less", yearless, time.Date(2000, time.June, 15, 2, 4, 59, 0, time.UTC)},
		{"rolled into year 1", yearless.AddDate(1, 0, 0), time.Date(2001, time.June, 15, 2, 4, 59, 0, time.UTC)},
		{"leap day of year 0", time.Date(0, time.February, 29, 0, 0, 0, 0, time.UTC), time.Date(2000, time.February, 29, 0, 0, 0, 0, time.UTC)},
		{"dated", dated, dated},
		{"zero", time.Time{}, time.Time{}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var s logline.YearShift
			got := s.Shift(test.in)
			assert.True(t, test.shifted.Equal(got), "Shift: got %v want %v", got, test.shifted)
			if !got.IsZero() {
				assert.Equal(t, got.UnixNano()/int64(time.Second), got.Unix(), "UnixNano representable")
			}
			back := s.Unshift(got.Add(time.Minute))
			if !test.in.IsZero() {
				assert.True(t, test.in.Add(time.Minute).Equal(back), "Unshift: got %v want %v", back, test.in.Add(time.Minute))
			}
		})
	}
	t.Run("no year-less input: Unshift leaves 2000 alone", func(t *testing.T) {
		var s logline.YearShift
		s.Shift(dated)
		y2k := time.Date(2000, time.June, 1, 0, 0, 0, 0, time.UTC)
		assert.True(t, y2k.Equal(s.Unshift(y2k)))
	})
}

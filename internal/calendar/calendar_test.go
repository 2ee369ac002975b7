package calendar_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/internal/calendar"
)

// TestWords checks the tables against the time package's names, and that
// near misses are rejected.
func TestWords(t *testing.T) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		assert.True(t, calendar.IsWeekday(d.String()[:3]), d.String())
		assert.False(t, calendar.IsMonth(d.String()[:3]), d.String())
	}
	for m := time.January; m <= time.December; m++ {
		assert.True(t, calendar.IsMonth(m.String()[:3]), m.String())
		assert.False(t, calendar.IsWeekday(m.String()[:3]), m.String())
	}
	for _, s := range []string{"", "mon", "MON", "Monday", "Ja", "jan", "Sept"} {
		assert.False(t, calendar.IsWeekday(s) || calendar.IsMonth(s), s)
	}
}

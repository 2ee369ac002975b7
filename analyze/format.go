package analyze

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// formatBytes writes a byte count with an SI unit: "512 B", "1.5 kB",
// "23.4 MB".
func formatBytes(b float64) string {
	const units = "kMGTPE"
	if b < 1000 {
		return strconv.FormatFloat(b, 'f', 0, 64) + " B"
	}
	i := -1
	for b >= 999.95 && i < len(units)-1 {
		b /= 1000
		i++
	}
	return strconv.FormatFloat(b, 'f', 1, 64) + " " + units[i:i+1] + "B"
}

// maxYearlessYear is the latest year formatTime takes for a year-less
// time: a syslog header gives year 0, and logline.YearRoller adds one per
// new year of the input.
const maxYearlessYear = 99

// formatTime writes a time in UTC as "2006-01-02 15:04:05", or as syslog's
// "Jan _2 15:04:05" when it has no year (year 0), followed by " +Ny" when
// the input rolled over N new years since (years 1 to maxYearlessYear), or
// "-" when zero.
func formatTime(t time.Time) string {
	switch {
	case t.IsZero():
		return "-"
	case t.Year() == 0:
		return t.Format(time.Stamp)
	case t.Year() > 0 && t.Year() <= maxYearlessYear:
		return t.Format(time.Stamp) + " +" + strconv.Itoa(t.Year()) + "y"
	}
	return t.UTC().Format(time.DateTime)
}

// formatPercent writes a share in [0, 1] as a percentage with one decimal.
func formatPercent(f float64) string {
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// formatMoney writes an amount with two decimals, or with three significant
// digits when it is below 0.01 (small inputs cost fractions of a cent).
func formatMoney(f float64) string {
	if f != 0 && f < 0.01 && f > -0.01 {
		return strconv.FormatFloat(f, 'g', 3, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

// formatDuration writes a duration rounded to the second ("1h2m3s"), or to
// the millisecond below a second.
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// formatLevels writes a level mix as the two most frequent levels with their
// shares ("INFO 90% ERROR 10%"), then "+N" for the other levels.
func formatLevels(levels map[string]uint64, total uint64) string {
	type lc struct {
		name string
		n    uint64
	}
	var ls []lc
	for name, n := range levels {
		ls = append(ls, lc{name, n})
	}
	slices.SortFunc(ls, func(a, b lc) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.name, b.name)
	})
	var b strings.Builder
	for i, l := range ls {
		if i == 2 {
			b.WriteString(" +" + strconv.Itoa(len(ls)-2))
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l.name)
		if len(ls) > 1 && total > 0 {
			b.WriteString(" " + strconv.FormatFloat(100*float64(l.n)/float64(total), 'f', 0, 64) + "%")
		}
	}
	return b.String()
}

// formatCounts writes counts by name, most frequent first ("a 3, b 1").
func formatCounts(m map[string]uint64) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + " " + strconv.FormatUint(m[k], 10))
	}
	return b.String()
}

// formatFloat writes f with at most two decimals.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// formatRate writes a keep rate: two decimals from 0.1 up, else two
// significant digits ("0.0012"), so that small rates do not print as 0.
func formatRate(r float64) string {
	if r >= 0.1 || r == 0 {
		return formatFloat(r)
	}
	return strconv.FormatFloat(r, 'g', 2, 64)
}

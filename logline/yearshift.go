package logline

import "time"

// YearShiftYears is the number of years [YearShift] adds to a year-less
// time. 2000 years are a whole number of 400-year Gregorian cycles, so
// weekdays and leap days stay where they were.
const YearShiftYears = 2000

// minNanoUnix is the earliest Unix second whose UnixNano is representable
// (in the year 1677).
const minNanoUnix = -(1 << 63) / int64(time.Second)

// YearShift is the one time model every command uses to hand times to code
// that counts in Unix nanoseconds (the anomaly detectors, the sampler's
// windows). A syslog header has no year, so its time lies in year 0 (or
// years 1, 2, ... after a [YearRoller]), before 1678, where UnixNano
// overflows and an event's end comes out as 1754. Shift moves such a time
// YearShiftYears years later and remembers the latest year it moved;
// Unshift moves an event time back when it falls in those shifted years.
// A time whose UnixNano is representable passes unchanged both ways.
//
// Unshift is wrong for an input that mixes year-less times with real
// times in the years 2000 to 2000+N, where N is the latest year-less year
// (the number of new years the input rolled over); such input is not met
// in practice.
//
// The zero value is ready to use. A YearShift is not safe for concurrent
// use.
type YearShift struct {
	yearless bool // some time was shifted
	maxYear  int  // latest year of a shifted time, before the shift
}

// Shift returns t as code counting in Unix nanoseconds must see it. The
// zero Time passes unchanged.
func (s *YearShift) Shift(t time.Time) time.Time {
	if t.IsZero() || t.Unix() > minNanoUnix {
		return t
	}
	s.yearless = true
	s.maxYear = max(s.maxYear, t.Year())
	return t.AddDate(YearShiftYears, 0, 0)
}

// Unshift undoes [YearShift.Shift] on a time that came back from such code
// (an event's start, detection or end). The zero Time passes unchanged.
func (s *YearShift) Unshift(t time.Time) time.Time {
	if y := t.Year() - YearShiftYears; s.yearless && y >= 0 && y <= s.maxYear {
		return t.AddDate(-YearShiftYears, 0, 0)
	}
	return t
}

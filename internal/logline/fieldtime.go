package logline

import (
	"strconv"
	"strings"
	"time"
)

// FieldsTime returns the time of a line parsed with a Loghub format, from
// the fields such formats use: <Timestamp> holding Unix seconds, or <Date>
// and <Time> (optionally with <Month> and <Day>) in any layout [Detect]
// recognizes, including "2015-10-18 18:01:47,978", "081109 203615" and
// "Jun 14 15:16:01". It returns the zero Time when the fields are missing or
// not understood.
func FieldsTime(f Fields) time.Time {
	if ts := f.Get("Timestamp"); ts != "" {
		if sec, err := strconv.ParseInt(ts, 10, 64); err == nil && sec > 0 {
			return time.Unix(sec, 0).UTC()
		}
	}
	date, clock := f.Get("Date"), f.Get("Time")
	var candidates []string
	if month := f.Get("Month"); month != "" {
		day := f.Get("Day")
		if day == "" {
			day = date
		}
		if len(day) == 1 {
			day = " " + day
		}
		candidates = append(candidates, month+" "+day+" "+clock)
	}
	if date != "" && clock != "" {
		candidates = append(candidates, date+" "+clock, date+"T"+clock)
	}
	if clock != "" {
		candidates = append(candidates, clock)
	}
	for _, c := range candidates {
		if t, _, _, ok := detectTime(strings.TrimSpace(c)); ok {
			return t
		}
	}
	return time.Time{}
}

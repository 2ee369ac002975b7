package logline

import (
	"math"
	"time"

	"github.com/srex-dev/lipservice-go/internal/calendar"
)

// TimeFields locates the time fields of a format: the fields named
// Timestamp, Year, Month, Date, Day and Time, the names Loghub's log_format
// strings use (compared exactly, case-sensitive). Its zero value has no
// field; build it with [NewTimeFields]. A TimeFields is a small immutable
// value, safe for concurrent use.
//
// [TimeFields.Time] reads a time from those fields by these rules, keyed by
// field names and layouts only:
//
//  1. A <Timestamp> that is a Unix time wins: it is the only field with a
//     known time zone. Digits with an optional fraction ("1117838570",
//     "1117838570.675"); 9 to 11 integer digits are seconds (from
//     March 1973), 12–14 milliseconds, 15–17 microseconds, 18–19
//     nanoseconds. Fewer digits (an uptime, a counter) are not a Unix
//     time.
//  2. Otherwise the first of <Timestamp>, <Time> and <Date> that holds a
//     whole date and time by itself is used (see [ParseTime] for the
//     layouts), e.g. <Time> = "20171223-22:15:29:606" or
//     "2005-06-03-15.42.50.675872".
//  3. Otherwise the date is assembled from the fields that hold parts of it:
//     <Date> holding a whole date ("2015-10-18", "2005.06.03", "081109",
//     "20171223") gives year, month and day; <Date> or <Month> holding a
//     month name ("Dec") or <Month> a month number gives the month; <Date>
//     or <Day> holding a number of one or two digits gives the day; <Year>
//     (four digits, or two as in rule 5) gives the year. A part already
//     known is not overwritten: a whole <Date> wins over <Month>, <Day> and
//     <Year>. The time of day comes from <Time> ("18:01:47,978", "203615",
//     see [ParseTime]), midnight when there is no <Time>. Month and day are
//     required.
//  4. A date without a year (syslog's "Dec 10 06:55:46") is in year 0, a
//     leap year of the proleptic Gregorian calendar, so Feb 29 is valid.
//     Year 0 means "year unknown": a reader of a stream places such times
//     in consecutive years with a [YearRoller]. No time.Now is involved,
//     so results are deterministic.
//  5. Two-digit years follow Go's "06" layout: 69–99 are 1969–1999, 00–68
//     are 2000–2068.
//  6. A time without a zone is UTC; a zone suffix (Z, ±hh:mm, ±hhmm, ±hh)
//     converts to UTC.
//
// A field that is present but not understood (a bad month, day 31 in
// June, hour 25, trailing text) gives no time: the zero Time. Time never
// panics and does not allocate.
type TimeFields struct {
	// Indexes into the values plus one, 0 when absent.
	timestamp, year, month, date, day, clock int
}

// NewTimeFields returns the time fields among names (a format's field
// names in order, as [Fields.Names]). When a name occurs more than once,
// the first counts.
func NewTimeFields(names []string) TimeFields {
	var tf TimeFields
	for i, n := range names {
		var p *int
		switch n {
		case "Timestamp":
			p = &tf.timestamp
		case "Year":
			p = &tf.year
		case "Month":
			p = &tf.month
		case "Date":
			p = &tf.date
		case "Day":
			p = &tf.day
		case "Time":
			p = &tf.clock
		default:
			continue
		}
		if *p == 0 {
			*p = i + 1
		}
	}
	return tf
}

// Indexes returns the indexes of the time fields in the format's names, in
// increasing order, appended to dst: the values a cache of the last time
// read must compare.
func (tf TimeFields) Indexes(dst []int) []int {
	start := len(dst)
	for _, i := range [...]int{tf.timestamp, tf.year, tf.month, tf.date, tf.day, tf.clock} {
		if i > 0 {
			dst = append(dst, i-1)
		}
	}
	s := dst[start:]
	for i := 1; i < len(s); i++ { // insertion sort of at most six
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return dst
}

// get returns values[i-1], or "" when i is 0 (absent) or out of range.
func get(values []string, i int) string {
	if i <= 0 || i > len(values) {
		return ""
	}
	return values[i-1]
}

// Time returns the time of a line's values (one per format field, as
// [Fields.Values]) by the rules of [TimeFields], or the zero Time.
func (tf TimeFields) Time(values []string) time.Time {
	ts := get(values, tf.timestamp)
	if t, ok := parseUnix(ts); ok {
		return t
	}
	for _, s := range [...]string{ts, get(values, tf.clock), get(values, tf.date)} {
		if t, n, ok := parseStamp(s); ok && n == len(s) {
			return t
		}
	}
	year, month, day := -1, -1, -1
	if s := get(values, tf.date); s != "" {
		if y, m, d, n, hasYear, ok := parseDate(s); ok && n == len(s) {
			month, day = m, d
			if hasYear {
				year = y
			}
		} else if m, ok := monthName(s); ok {
			month = m
		} else if d, ok := smallNumber(s); ok {
			day = d
		} else {
			return time.Time{}
		}
	}
	if s := get(values, tf.month); s != "" && month < 0 {
		if m, ok := monthName(s); ok {
			month = m
		} else if m, ok := smallNumber(s); ok {
			month = m
		} else {
			return time.Time{}
		}
	}
	if s := get(values, tf.day); s != "" && day < 0 {
		d, ok := smallNumber(s)
		if !ok {
			return time.Time{}
		}
		day = d
	}
	if s := get(values, tf.year); s != "" && year < 0 {
		y, ok := parseYear(s)
		if !ok {
			return time.Time{}
		}
		year = y
	}
	if month < 0 || day < 0 {
		return time.Time{}
	}
	if year < 0 {
		year = 0
	}
	var c clockTime
	if s := get(values, tf.clock); s != "" {
		var n int
		var ok bool
		if c, n, ok = parseClock(s, true); !ok || n != len(s) {
			return time.Time{}
		}
	}
	t, ok := makeTime(year, month, day, c)
	if !ok {
		return time.Time{}
	}
	return t
}

// FieldsTime returns the time of a line parsed with a Loghub format, by the
// rules of [TimeFields]: NewTimeFields(f.Names).Time(f.Values).
func FieldsTime(f Fields) time.Time {
	return NewTimeFields(f.Names).Time(f.Values)
}

// ParseTime parses s, a whole date and time in one of these layouts
// (trailing text is an error):
//
//	2006-01-02T15:04:05.999999999Z07:00   RFC 3339 / ISO 8601; the T may
//	                                      be a space, '-' or '_'; the date
//	                                      separator '-', '.' or '/'
//	2006-01-02 15:04:05,000               log4j / Python logging
//	2006-01-02-15.04.05.000000            '.' between hour, minute, second
//	20060102-15:04:05:000                 compact date; ':' before the
//	                                      fraction; 1-digit hours, minutes
//	                                      and seconds are accepted
//	060102 150405                         compact, as in HDFS
//	Jan _2 15:04:05                       syslog (year 0, see [TimeFields])
//	Mon Jan _2 15:04:05 2006              ANSI C, with or without weekday
//	                                      or year
//
// A zone suffix (Z, ±hh:mm, ±hhmm, ±hh) may follow the clock; times
// without one are UTC. The fraction keeps at most 9 digits. ok is false
// when s is not such a time or a part is out of range.
func ParseTime(s string) (t time.Time, ok bool) {
	t, n, ok := parseStamp(s)
	if !ok || n != len(s) {
		return time.Time{}, false
	}
	return t, true
}

// YearRoller places the year-less times of one stream (year 0, see
// [TimeFields]) in consecutive years, for syslog logs that span a new
// year: each year-less time gets whichever of the year of the previous
// year-less time, the year before it (never below 0) and the year after it
// puts it closest to that previous time. So a step back of more than about
// six months (Dec 31 → Jan 1) rolls into the next year, while a line a few
// seconds or days out of order stays in its year, even across the new
// year. Feb 29 of a year-less time that lands in a common year becomes
// Mar 1. Times that have a year pass unchanged and do not move the
// reference. The first year-less time stays in year 0. The result is
// never the zero Time: Jan 1 00:00:00 of year 1 comes back 1 ns later.
//
// The zero value is ready to use. A YearRoller is not safe for concurrent
// use: it depends on the order of the times.
type YearRoller struct {
	prev   time.Time // the previous year-less time, as rolled
	prevIn time.Time // the same, as given (year 0)
	ok     bool      // prev is set
}

// Roll returns t placed in its year (see [YearRoller]). The zero Time
// passes unchanged.
func (r *YearRoller) Roll(t time.Time) time.Time {
	if t.IsZero() || t.Year() != 0 {
		return t
	}
	if !r.ok {
		r.prev, r.prevIn, r.ok = t, t, true
		return t
	}
	if unixDay(t) == unixDay(r.prevIn) {
		// The same calendar day as the previous time (the common case):
		// the same year, without the calendar arithmetic.
		best := r.prev.Add(t.Sub(r.prevIn))
		r.prev, r.prevIn = best, t
		if best.IsZero() {
			best = best.Add(time.Nanosecond)
		}
		return best
	}
	r.prevIn = t
	y := r.prev.Year()
	best := t.AddDate(y, 0, 0)
	bestD := absDuration(best.Sub(r.prev))
	for _, c := range [...]int{y + 1, y - 1} {
		if c < 0 {
			continue
		}
		ct := t.AddDate(c, 0, 0)
		if d := absDuration(ct.Sub(r.prev)); d < bestD {
			best, bestD = ct, d
		}
	}
	r.prev = best
	if best.IsZero() {
		// Jan 1 00:00:00 of year 1 is the zero Time, which callers read as
		// "no time".
		best = best.Add(time.Nanosecond)
	}
	return best
}

// unixDay returns the number of the UTC calendar day of t, counted from
// 1970-01-01 (negative before).
func unixDay(t time.Time) int64 {
	const secondsPerDay = 24 * 60 * 60
	u := t.Unix()
	d := u / secondsPerDay
	if u%secondsPerDay < 0 {
		d--
	}
	return d
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// parseUnix reads s as a Unix time: digits with an optional fraction, the
// unit chosen by the number of integer digits (see [TimeFields]).
func parseUnix(s string) (time.Time, bool) {
	i := 0
	var v int64
	for i < len(s) && isDigit(s[i]) {
		if v > (math.MaxInt64-9)/10 {
			return time.Time{}, false
		}
		v = v*10 + int64(s[i]-'0')
		i++
	}
	if i < 9 || v <= 0 {
		return time.Time{}, false // too few digits: an uptime or a count
	}
	digits := i
	var frac, scale int64 = 0, 1
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			if i-start < 9 {
				frac = frac*10 + int64(s[i]-'0')
				scale *= 10
			}
			i++
		}
		if i == start {
			return time.Time{}, false
		}
	}
	if i != len(s) {
		return time.Time{}, false
	}
	var unit int64
	switch {
	case digits <= 11:
		unit = int64(time.Second)
	case digits <= 14:
		unit = int64(time.Millisecond)
	case digits <= 17:
		unit = int64(time.Microsecond)
	default:
		unit = 1
	}
	sec := v / (int64(time.Second) / unit)
	nsec := v%(int64(time.Second)/unit)*unit + frac*unit/scale
	return time.Unix(sec, nsec).UTC(), true
}

// clockTime is a time of day with its zone offset in seconds east of UTC.
type clockTime struct {
	h, m, s, ns, off int
}

// makeTime returns the UTC time of the date and clock, ok false when a part
// is out of range.
func makeTime(year, month, day int, c clockTime) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, c.h, c.m, c.s, c.ns, time.UTC)
	if c.off != 0 {
		t = t.Add(-time.Duration(c.off) * time.Second)
	}
	return t, true
}

// daysIn returns the number of days of month in year (proleptic Gregorian).
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseStamp parses a date and time at the start of s (see [ParseTime]) and
// returns the bytes it used.
func parseStamp(s string) (t time.Time, n int, ok bool) {
	if s == "" {
		return time.Time{}, 0, false
	}
	if !isDigit(s[0]) {
		return parseTextStamp(s)
	}
	y, mo, d, n, hasYear, ok := parseDate(s)
	if !ok || !hasYear || n >= len(s) {
		return time.Time{}, 0, false
	}
	switch s[n] {
	case 'T', ' ', '-', '_':
		n++
	default:
		return time.Time{}, 0, false
	}
	compact := n == 7 || n == 9 // an all-digit date: "060102 150405"
	c, cn, ok := parseClock(s[n:], compact)
	if !ok {
		return time.Time{}, 0, false
	}
	t, ok = makeTime(y, mo, d, c)
	return t, n + cn, ok
}

// parseTextStamp parses "[Mon ]Jan _2 15:04:05[ 2006]" at the start of s.
func parseTextStamp(s string) (t time.Time, n int, ok bool) {
	if len(s) > 4 && isWeekday(s[:3]) && s[3] == ' ' {
		n = 4
	}
	if len(s) < n+3 {
		return time.Time{}, 0, false
	}
	month, ok := monthName(s[n : n+3])
	if !ok {
		return time.Time{}, 0, false
	}
	n += 3
	n = skipSpaces(s, n, 1)
	if n < 0 {
		return time.Time{}, 0, false
	}
	day, dn := digits(s[n:], 2)
	if dn == 0 {
		return time.Time{}, 0, false
	}
	n += dn
	if n = skipSpaces(s, n, 1); n < 0 {
		return time.Time{}, 0, false
	}
	c, cn, ok := parseClock(s[n:], false)
	if !ok {
		return time.Time{}, 0, false
	}
	n += cn
	year := 0
	if len(s) >= n+5 && s[n] == ' ' && (n+5 == len(s) || s[n+5] == ' ' || s[n+5] == '\t') {
		if y, yn := digits(s[n+1:n+5], 4); yn == 4 {
			year, n = y, n+5
		}
	}
	t, ok = makeTime(year, month, day, c)
	return t, n, ok
}

// skipSpaces skips at least min spaces or tabs at s[n:] and returns the new
// position, or -1.
func skipSpaces(s string, n, min int) int {
	start := n
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	if n-start < min {
		return -1
	}
	return n
}

// parseDate parses a numeric date at the start of s: yyyy-MM-dd with '-',
// '.' or '/' (1- or 2-digit month and day), yyyyMMdd or yyMMdd. hasYear is
// always true for these layouts.
func parseDate(s string) (year, month, day, n int, hasYear, ok bool) {
	v, nd := digits(s, 8)
	switch {
	case nd == 4 && len(s) > 4 && (s[4] == '-' || s[4] == '.' || s[4] == '/'):
		sep := s[4]
		m, mn := digits(s[5:], 2)
		if mn == 0 || len(s) <= 5+mn || s[5+mn] != sep {
			return 0, 0, 0, 0, false, false
		}
		d, dn := digits(s[6+mn:], 2)
		if dn == 0 {
			return 0, 0, 0, 0, false, false
		}
		year, month, day, n = v, m, d, 6+mn+dn
	case nd == 8:
		year, month, day, n = v/10000, v/100%100, v%100, 8
	case nd == 6:
		year, month, day, n = twoDigitYear(v/10000), v/100%100, v%100, 6
	default:
		return 0, 0, 0, 0, false, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, 0, false, false
	}
	if n < len(s) && isDigit(s[n]) {
		return 0, 0, 0, 0, false, false
	}
	return year, month, day, n, true, true
}

// twoDigitYear maps yy to a year as Go's "06" layout does.
func twoDigitYear(yy int) int {
	if yy >= 69 {
		return 1900 + yy
	}
	return 2000 + yy
}

// parseYear reads a four- or two-digit year.
func parseYear(s string) (int, bool) {
	v, n := digits(s, 4)
	switch {
	case n != len(s):
		return 0, false
	case n == 4:
		return v, true
	case n == 2:
		return twoDigitYear(v), true
	}
	return 0, false
}

// parseClock parses a time of day at the start of s: H:M[:S] or H.M.S
// (1 or 2 digits each), then an optional fraction after '.', ',' or ':',
// then an optional zone. With compact set, HHMMSS (six digits) is accepted
// too.
func parseClock(s string, compact bool) (c clockTime, n int, ok bool) {
	h, hn := digits(s, 2)
	if hn == 0 {
		return c, 0, false
	}
	if compact && hn == 2 && len(s) >= 6 {
		if v, vn := digits(s, 6); vn == 6 && (len(s) == 6 || !isDigit(s[6])) {
			c.h, c.m, c.s, n = v/10000, v/100%100, v%100, 6
			return finishClock(s, c, n)
		}
	}
	n = hn
	if n >= len(s) || (s[n] != ':' && s[n] != '.') {
		return c, 0, false
	}
	sep := s[n]
	m, mn := digits(s[n+1:], 2)
	if mn == 0 {
		return c, 0, false
	}
	n += 1 + mn
	c.h, c.m = h, m
	if n < len(s) && s[n] == sep {
		sec, sn := digits(s[n+1:], 2)
		if sn == 0 {
			return c, 0, false
		}
		c.s, n = sec, n+1+sn
	} else if sep == '.' {
		return c, 0, false // "15.42" alone is a number, not a time
	}
	return finishClock(s, c, n)
}

// finishClock reads the fraction and zone after the seconds at s[n:] and
// checks the ranges.
func finishClock(s string, c clockTime, n int) (clockTime, int, bool) {
	if c.h > 23 || c.m > 59 || c.s > 59 {
		return c, 0, false
	}
	if n+1 < len(s) && (s[n] == '.' || s[n] == ',' || s[n] == ':') && isDigit(s[n+1]) {
		n++
		scale := int(time.Second)
		for n < len(s) && isDigit(s[n]) {
			if scale > 1 {
				scale /= 10
				c.ns += int(s[n]-'0') * scale
			}
			n++
		}
	}
	if n < len(s) {
		switch s[n] {
		case 'Z':
			n++
		case '+', '-':
			oh, ohn := digits(s[n+1:], 2)
			if ohn != 2 {
				break // not a zone: the caller decides about the rest
			}
			k := n + 3
			om := 0
			if k < len(s) && s[k] == ':' {
				if v, vn := digits(s[k+1:], 2); vn == 2 {
					om, k = v, k+3
				} else {
					return c, 0, false
				}
			} else if v, vn := digits(s[k:], 2); vn == 2 {
				om, k = v, k+2
			}
			if oh > 23 || om > 59 || k < len(s) && isDigit(s[k]) {
				return c, 0, false
			}
			c.off = (oh*60 + om) * 60
			if s[n] == '-' {
				c.off = -c.off
			}
			n = k
		}
	}
	return c, n, true
}

// digits reads up to max decimal digits at the start of s and returns their
// value and count.
func digits(s string, max int) (v, n int) {
	for n < len(s) && n < max && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// smallNumber reads a number of one or two digits (a day or month).
func smallNumber(s string) (int, bool) {
	v, n := digits(s, 2)
	return v, n > 0 && n == len(s)
}

// monthName returns the month of an English month name, abbreviated to
// three letters or in full, in any case.
func monthName(s string) (int, bool) {
	if len(s) < 3 {
		return 0, false
	}
	const names = "janfebmaraprmayjunjulaugsepoctnovdec"
	var k [3]byte
	for i := range 3 {
		k[i] = s[i] | 0x20 // ASCII lower case
	}
	for m := range 12 {
		if names[3*m] == k[0] && names[3*m+1] == k[1] && names[3*m+2] == k[2] {
			if len(s) == 3 || equalFoldASCII(s, fullMonths[m]) {
				return m + 1, true
			}
			return 0, false
		}
	}
	return 0, false
}

var fullMonths = [12]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// equalFoldASCII reports whether s equals the lower-case ASCII word lower,
// ignoring ASCII case.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// isWeekday reports whether s is a three-letter English weekday name
// ([calendar.IsWeekday]).
func isWeekday(s string) bool { return calendar.IsWeekday(s) }

// Package calendar holds the English calendar words that log timestamps
// spell out (syslog "Jan _2", ctime "Mon Jan _2 15:04:05 2006"), for the
// signature normalizer and the CLI's time parser: one copy of each table.
package calendar

// IsWeekday reports whether s is a three-letter English weekday name with
// an upper-case initial ("Mon" … "Sun"). It does not allocate.
func IsWeekday(s string) bool {
	switch s {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

// IsMonth reports whether s is a three-letter English month name with an
// upper-case initial ("Jan" … "Dec"). It does not allocate.
func IsMonth(s string) bool {
	switch s {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

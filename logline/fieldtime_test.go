package logline_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/logline"
)

// utc is time.Date in UTC.
func utc(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
}

// pairs turns "Name", "value", ... into a Fields with those names and values.
func pairs(kv ...string) logline.Fields {
	var f logline.Fields
	for i := 0; i+1 < len(kv); i += 2 {
		f.Names = append(f.Names, kv[i])
		f.Values = append(f.Values, kv[i+1])
	}
	return f
}

// The expected times are derived by hand from the field values (Unix
// seconds by day arithmetic from 2005-01-01 = 1104537600), not by the code.
var fieldsTimeTests = []struct {
	name   string
	fields logline.Fields
	want   time.Time
}{
	// The eight Loghub-2k formats (formats.json), first line of each file.
	{"HDFS compact date and time", pairs("Date", "081109", "Time", "203615", "Pid", "148"), utc(2008, 11, 9, 20, 36, 15, 0)},
	{"Hadoop log4j", pairs("Date", "2015-10-18", "Time", "18:01:47,978"), utc(2015, 10, 18, 18, 1, 47, 978e6)},
	{"BGL Timestamp wins over Time", pairs("Label", "-", "Timestamp", "1117838570", "Date", "2005.06.03", "Node", "R02", "Time", "2005-06-03-15.42.50.675872"), utc(2005, 6, 3, 22, 42, 50, 0)},
	{"BGL Time alone", pairs("Date", "2005.06.03", "Time", "2005-06-03-15.42.50.675872"), utc(2005, 6, 3, 15, 42, 50, 675872e3)},
	{"Thunderbird Timestamp", pairs("Timestamp", "1131566461", "Date", "2005.11.09", "Month", "Nov", "Day", "9", "Time", "12:01:01"), utc(2005, 11, 9, 20, 1, 1, 0)},
	{"Thunderbird without Timestamp: whole Date wins", pairs("Date", "2005.11.09", "Month", "Nov", "Day", "9", "Time", "12:01:01"), utc(2005, 11, 9, 12, 1, 1, 0)},
	{"Linux Month Date Time", pairs("Month", "Jun", "Date", "14", "Time", "15:16:01"), utc(0, 6, 14, 15, 16, 1, 0)},
	{"HealthApp Time holds date and time", pairs("Time", "20171223-22:15:29:606", "Component", "Step_LSC"), utc(2017, 12, 23, 22, 15, 29, 606e6)},
	{"HealthApp unpadded clock", pairs("Time", "20171224-1:2:35:789"), utc(2017, 12, 24, 1, 2, 35, 789e6)},
	{"OpenSSH Date is the month, Day the day", pairs("Date", "Dec", "Day", "10", "Time", "06:55:46"), utc(0, 12, 10, 6, 55, 46, 0)},
	{"Mac one-digit Date", pairs("Month", "Jul", "Date", "1", "Time", "09:00:55"), utc(0, 7, 1, 9, 0, 55, 0)},
	// Other layouts.
	{"Unix milliseconds", pairs("Timestamp", "1117838570675"), utc(2005, 6, 3, 22, 42, 50, 675e6)},
	{"Unix microseconds", pairs("Timestamp", "1117838570675872"), utc(2005, 6, 3, 22, 42, 50, 675872e3)},
	{"Unix seconds with fraction", pairs("Timestamp", "1117838570.25"), utc(2005, 6, 3, 22, 42, 50, 250e6)},
	{"RFC 3339 Timestamp", pairs("Timestamp", "2024-03-05T10:20:30.123Z"), utc(2024, 3, 5, 10, 20, 30, 123e6)},
	{"RFC 3339 offset in Time", pairs("Time", "2024-03-05T10:20:30+02:00"), utc(2024, 3, 5, 8, 20, 30, 0)},
	{"ISO nanoseconds, extra digits dropped", pairs("Time", "2024-03-05 10:20:30.1234567891"), utc(2024, 3, 5, 10, 20, 30, 123456789)},
	{"zone on the Time of a Date", pairs("Date", "2015-10-18", "Time", "18:01:47-0130"), utc(2015, 10, 18, 19, 31, 47, 0)},
	{"Year Month Day numbers", pairs("Year", "2017", "Month", "12", "Day", "10", "Time", "06:55"), utc(2017, 12, 10, 6, 55, 0, 0)},
	{"two-digit Year", pairs("Year", "17", "Month", "Dec", "Day", "10"), utc(2017, 12, 10, 0, 0, 0, 0)},
	{"full month name", pairs("Month", "December", "Day", "4", "Time", "04:47:44"), utc(0, 12, 4, 4, 47, 44, 0)},
	{"ANSI C in Time", pairs("Time", "Sun Dec 04 04:47:44 2005"), utc(2005, 12, 4, 4, 47, 44, 0)},
	{"syslog in Timestamp", pairs("Timestamp", "Jun  4 15:16:01"), utc(0, 6, 4, 15, 16, 1, 0)},
	{"slashed date, no Time: midnight", pairs("Date", "2015/10/18"), utc(2015, 10, 18, 0, 0, 0, 0)},
	{"compact yyyyMMdd Date", pairs("Date", "20171223", "Time", "22:15:29"), utc(2017, 12, 23, 22, 15, 29, 0)},
	{"Feb 29 without a year (year 0 is leap)", pairs("Month", "Feb", "Day", "29"), utc(0, 2, 29, 0, 0, 0, 0)},
	{"1969 two-digit year", pairs("Date", "690720", "Time", "201718"), utc(1969, 7, 20, 20, 17, 18, 0)},
	// Missing or malformed fields: no time.
	{"no time fields", pairs("Level", "INFO"), time.Time{}},
	{"not understood", pairs("Date", "yesterday", "Time", "noon"), time.Time{}},
	{"bad month name", pairs("Month", "Foo", "Date", "10", "Time", "06:55:46"), time.Time{}},
	{"June 31", pairs("Date", "Jun", "Day", "31", "Time", "06:55:46"), time.Time{}},
	{"Feb 29 in a common year", pairs("Date", "2015-02-29", "Time", "00:00:00"), time.Time{}},
	{"hour 25", pairs("Date", "2015-10-18", "Time", "25:00:00"), time.Time{}},
	{"minute 60", pairs("Date", "2015-10-18", "Time", "23:60:00"), time.Time{}},
	{"trailing text after the clock", pairs("Date", "2015-10-18", "Time", "18:01:47 PM"), time.Time{}},
	{"bad Year", pairs("Year", "20x7", "Month", "Dec", "Day", "10"), time.Time{}},
	{"day without month", pairs("Day", "10", "Time", "06:55:46"), time.Time{}},
	{"month 13", pairs("Month", "13", "Day", "1"), time.Time{}},
	{"too few digits for Unix time", pairs("Timestamp", "12345"), time.Time{}},
	{"Unix time overflow", pairs("Timestamp", "99999999999999999999"), time.Time{}},
	{"negative Unix time", pairs("Timestamp", "-1117838570"), time.Time{}},
	{"empty values", pairs("Date", "", "Time", ""), time.Time{}},
	{"missing values", logline.Fields{Names: []string{"Date", "Time"}}, time.Time{}},
	{"zone with a bad minute", pairs("Time", "2024-03-05T10:20:30+02:7"), time.Time{}},
	{"time dot alone is not a clock", pairs("Date", "2015-10-18", "Time", "15.42"), time.Time{}},
}

func TestFieldsTime(t *testing.T) {
	for _, test := range fieldsTimeTests {
		t.Run(test.name, func(t *testing.T) {
			got := logline.FieldsTime(test.fields)
			assert.True(t, test.want.Equal(got), "FieldsTime(%v = %q) = %v, want %v", test.fields.Names, test.fields.Values, got, test.want)
			if !got.IsZero() {
				assert.Equal(t, time.UTC, got.Location(), "times are UTC")
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: not a time
	}{
		{"2006-01-02T15:04:05Z", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"2006-01-02T15:04:05.5-07:00", utc(2006, 1, 2, 22, 4, 5, 5e8)},
		{"2006-01-02 15:04:05,000", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"2006-01-02_15:04:05", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"2006.01.02 15:04:05", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"060102 150405", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"Jan  2 15:04:05", utc(0, 1, 2, 15, 4, 5, 0)},
		{"Mon Jan  2 15:04:05 2006", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"2006-01-02T15:04:05Z trailing", time.Time{}},
		{"2006-01-02", time.Time{}}, // a date alone is not a date and time
		{"15:04:05", time.Time{}},
		{"Foo  2 15:04:05", time.Time{}},
		{"2006-1-2 3:4:5", utc(2006, 1, 2, 3, 4, 5, 0)},
		{"", time.Time{}},
	}
	for _, test := range tests {
		got, ok := logline.ParseTime(test.in)
		assert.Equal(t, !test.want.IsZero(), ok, "ParseTime(%q) ok", test.in)
		assert.True(t, test.want.Equal(got), "ParseTime(%q) = %v, want %v", test.in, got, test.want)
	}
}

func TestYearRoller(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Time
		want []time.Time
	}{
		{
			name: "new year rolls over, out-of-order lines stay in their year",
			in: []time.Time{
				utc(0, 12, 31, 23, 59, 58, 0),
				utc(0, 1, 1, 0, 0, 1, 0),      // months went backwards: next year
				utc(0, 12, 31, 23, 59, 59, 0), // a late line of the old year
				utc(0, 1, 1, 0, 0, 2, 0),      // back in the new year
				utc(0, 6, 1, 12, 0, 0, 0),     // forward 5 months
				utc(0, 1, 2, 0, 0, 0, 0),      // back 5 months: same year
				utc(2017, 3, 1, 0, 0, 0, 0),   // has a year: unchanged
				utc(0, 12, 1, 0, 0, 0, 0),     // forward 11 months from Jan 2: the year before is farther... same year
				utc(0, 2, 1, 0, 0, 0, 0),      // back 10 months: next year
			},
			want: []time.Time{
				utc(0, 12, 31, 23, 59, 58, 0),
				utc(1, 1, 1, 0, 0, 1, 0),
				utc(0, 12, 31, 23, 59, 59, 0),
				utc(1, 1, 1, 0, 0, 2, 0),
				utc(1, 6, 1, 12, 0, 0, 0),
				utc(1, 1, 2, 0, 0, 0, 0),
				utc(2017, 3, 1, 0, 0, 0, 0),
				utc(0, 12, 1, 0, 0, 0, 0),
				utc(1, 2, 1, 0, 0, 0, 0),
			},
		},
		{
			name: "same-day lines after a rollover, midnight exactly",
			in: []time.Time{
				utc(0, 12, 31, 23, 59, 59, 0),
				utc(0, 1, 1, 0, 0, 0, 0),
				utc(0, 1, 1, 0, 0, 0, 5),
				utc(0, 1, 1, 23, 59, 59, 0),
				utc(0, 1, 2, 0, 0, 0, 0),
				utc(0, 2, 28, 23, 59, 59, 0),
				utc(0, 2, 29, 0, 0, 1, 0),
				utc(0, 2, 29, 12, 0, 0, 0),
			},
			want: []time.Time{
				utc(0, 12, 31, 23, 59, 59, 0),
				utc(1, 1, 1, 0, 0, 0, 1), // the zero Time, moved by 1 ns
				utc(1, 1, 1, 0, 0, 0, 5),
				utc(1, 1, 1, 23, 59, 59, 0),
				utc(1, 1, 2, 0, 0, 0, 0),
				utc(1, 2, 28, 23, 59, 59, 0),
				utc(1, 3, 1, 0, 0, 1, 0), // year 1 has no Feb 29
				utc(1, 3, 1, 12, 0, 0, 0),
			},
		},
		{
			name: "never below year 0",
			in:   []time.Time{utc(0, 1, 1, 0, 0, 5, 0), utc(0, 12, 31, 23, 0, 0, 0)},
			want: []time.Time{utc(0, 1, 1, 0, 0, 5, 0), utc(0, 12, 31, 23, 0, 0, 0)},
		},
		{
			name: "midnight of year 1 is not the zero Time",
			in:   []time.Time{utc(0, 12, 31, 23, 0, 0, 0), utc(0, 1, 1, 0, 0, 0, 0)},
			want: []time.Time{utc(0, 12, 31, 23, 0, 0, 0), utc(1, 1, 1, 0, 0, 0, 1)},
		},
		{
			name: "Feb 29 in a common year becomes Mar 1",
			in:   []time.Time{utc(0, 12, 31, 0, 0, 0, 0), utc(0, 2, 29, 0, 0, 0, 0)},
			want: []time.Time{utc(0, 12, 31, 0, 0, 0, 0), utc(1, 3, 1, 0, 0, 0, 0)},
		},
		{
			name: "zero Time passes",
			in:   []time.Time{{}, utc(0, 5, 1, 0, 0, 0, 0)},
			want: []time.Time{{}, utc(0, 5, 1, 0, 0, 0, 0)},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var r logline.YearRoller
			for i, in := range test.in {
				got := r.Roll(in)
				assert.True(t, test.want[i].Equal(got), "step %d: Roll(%v) = %v, want %v", i, in, got, test.want[i])
			}
		})
	}
}

func TestTimeFields_Indexes(t *testing.T) {
	tf := logline.NewTimeFields([]string{"Label", "Timestamp", "Date", "User", "Month", "Day", "Time", "Content", "Time"})
	assert.Equal(t, []int{1, 2, 4, 5, 6}, tf.Indexes(nil))
	assert.Empty(t, logline.NewTimeFields([]string{"Level", "Content"}).Indexes(nil))
}

func TestTimeFields_Allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	for _, test := range fieldsTimeTests {
		tf := logline.NewTimeFields(test.fields.Names)
		allocs := testing.AllocsPerRun(100, func() { _ = tf.Time(test.fields.Values) })
		assert.Zero(t, allocs, "%s: Time allocates", test.name)
	}
}

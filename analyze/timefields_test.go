package analyze_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunTimeFields checks the times analyze reads with --format for the
// layouts of the Loghub formats, the syslog year rollover and malformed
// time fields. The expected times are read off the lines by hand.
func TestRunTimeFields(t *testing.T) {
	tests := []struct {
		name        string
		format      string
		lines       []string
		timed       uint64
		first, last time.Time
	}{
		{
			name:   "HealthApp Time holds date and time, unpadded clock",
			format: `<Time>\|<Component>\|<Pid>\|<Content>`,
			lines: []string{
				"20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
				"20171224-1:2:35:789|Step_LSC|30002312|processHandleBroadcastAction action:android.intent.action.TIME_TICK",
			},
			timed: 2,
			first: time.Date(2017, 12, 23, 22, 15, 29, 606e6, time.UTC),
			last:  time.Date(2017, 12, 24, 1, 2, 35, 789e6, time.UTC),
		},
		{
			name:   "OpenSSH month in Date, day in Day",
			format: `<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>`,
			lines: []string{
				"Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
				"Dec 10 11:04:45 LabSZ sshd[25539]: Failed password for invalid user user from 103.99.0.122 port 52683 ssh2",
			},
			timed: 2,
			first: time.Date(0, 12, 10, 6, 55, 46, 0, time.UTC),
			last:  time.Date(0, 12, 10, 11, 4, 45, 0, time.UTC),
		},
		{
			name:   "syslog new year rolls over into year 1",
			format: `<Month> <Date> <Time> <Component>: <Content>`,
			lines: []string{
				"Dec 31 23:59:58 cron: job started",
				"Jan  1 00:00:01 cron: job finished",
				"Dec 31 23:59:59 cron: late line of the old year",
				"Jan  1 00:00:05 cron: job started",
			},
			timed: 4,
			first: time.Date(0, 12, 31, 23, 59, 58, 0, time.UTC),
			last:  time.Date(1, 1, 1, 0, 0, 5, 0, time.UTC),
		},
		{
			name:   "BGL Unix Timestamp wins",
			format: `<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>`,
			lines: []string{
				"- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
			},
			timed: 1,
			first: time.Date(2005, 6, 3, 22, 42, 50, 0, time.UTC),
			last:  time.Date(2005, 6, 3, 22, 42, 50, 0, time.UTC),
		},
		{
			name:   "malformed time fields give no time",
			format: `<Date> <Time> <Content>`,
			lines: []string{
				"2015-10-18 18:01:47,978 good",
				"2015-13-18 18:01:47,978 month 13",
				"2015-10-18 25:01:47 hour 25",
				"Foo 18:01:47 not a date",
			},
			timed: 1,
			first: time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC),
			last:  time.Date(2015, 10, 18, 18, 1, 47, 978e6, time.UTC),
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r := run(t, strings.NewReader(strings.Join(test.lines, "\n")+"\n"), "--json", "--format", test.format)
			require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
			var rep jsonReport
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			assert.Equal(t, uint64(len(test.lines)), rep.Input.Lines, "lines")
			assert.Equal(t, test.timed, rep.Input.TimedLines, "timed lines")
			assert.True(t, test.first.Equal(rep.Input.FirstSeen), "first_seen %v, want %v", rep.Input.FirstSeen, test.first)
			assert.True(t, test.last.Equal(rep.Input.LastSeen), "last_seen %v, want %v", rep.Input.LastSeen, test.last)
			assert.InDelta(t, test.last.Sub(test.first).Seconds(), rep.Input.DurationSeconds, 1e-9, "duration_seconds")
		})
	}
}

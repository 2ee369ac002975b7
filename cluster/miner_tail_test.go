package cluster_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_Tails checks the tail patterns: messages that share a prefix
// and end in free text of variable length merge into prefix + <*> once
// three such tails were seen, when the prefix ends in an event word and
// the tails share the closing punctuation, or when every tail is one
// delimited group; and they stay apart otherwise.
func TestMiner_Tails(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "event word then a sentence",
			msgs: []string{"Started Session 12 of User alice.", "Started Daily apt download activities.", "Started Cleanup of Temporary Directories.", "Started Docker Application Container Engine."},
			want: []string{"Started <*>.", "Started <*>.", "Started <*>.", "Started <*>."},
		},
		{
			name: "one bracketed group",
			msgs: []string{"Resolved [org.example.MissingParameter: id is not present]", "Resolved [org.example.BadMethod: DELETE]", "Resolved [org.example.ParseError: JSON parse error at 3]"},
			want: []string{"Resolved [<*>]", "Resolved [<*>]", "Resolved [<*>]"},
		},
		{
			name: "event word earlier in the prefix",
			msgs: []string{"Reached target Multi-User System.", "Reached target Network is Online.", "Reached target Timers."},
			want: []string{"Reached target <*>.", "Reached target <*>.", "Reached target <*>."},
		},
		{
			name: "structure after the verb is not free text",
			msgs: []string{"status changed from [GREEN] to [RED].", "status changed from [GREEN] to [YELLOW] again.", "status changed from [RED] to [GREEN] at last."},
			want: []string{"status changed from [GREEN] to [RED].", "status changed from [GREEN] to [YELLOW] again.", "status changed from [RED] to [GREEN] at last."},
		},
		{
			name: "a tail with a variable first token covers other first tokens, before and after it",
			msgs: []string{
				"(www-data) CMD (php /var/www/html/cron.php)",
				"(root) CMD (run-parts /etc/cron.hourly)",
				"(root) CMD (/usr/lib/php/sessionclean)",
				"(root) CMD (test -x /usr/sbin/anacron || run-parts --report /etc/cron.daily)",
				"(postgres) CMD (pg_dump shop > /backups/shop.sql)",
			},
			want: []string{"(<*>) CMD (<*>)", "(<*>) CMD (<*>)", "(<*>) CMD (<*>)", "(<*>) CMD (<*>)", "(<*>) CMD (<*>)"},
		},
		{
			name: "two tails are not enough",
			msgs: []string{"Started Daily apt download activities.", "Started Cleanup of Temporary Directories now."},
			want: []string{"Started Daily apt download activities.", "Started Cleanup of Temporary Directories now."},
		},
		{
			name: "no shared closing punctuation",
			msgs: []string{"Using ACPI for IRQ routing", "Using HPET based timekeeping.", "Using software bounce buffering for IO"},
			want: []string{"Using ACPI for IRQ routing", "Using HPET based timekeeping.", "Using software bounce buffering for IO"},
		},
		{
			name: "no event word before the tail",
			msgs: []string{"data TLB error interrupt.", "data storage interrupt.", "data address space low."},
			want: []string{"data TLB error interrupt.", "data storage interrupt.", "data address space low."},
		},
		{
			name: "a tail that starts with an event word is another event",
			msgs: []string{"Job alpha started at once.", "Job alpha stopped by the user.", "Job alpha failed."},
			want: []string{"Job alpha started at once.", "Job alpha stopped by the user.", "Job alpha failed."},
		},
		{
			name: "tails that end in the same token differ in the middle",
			msgs: []string{"Reported (one) [preauth]", "Reported (two three) [preauth]", "Reported (four five six) [preauth]"},
			want: []string{"Reported (one) [preauth]", "Reported (two three) [preauth]", "Reported (four five six) [preauth]"},
		},
		{
			name: "free text after a key that ends a clause",
			msgs: []string{"query took 1 ms statement: SELECT a FROM t WHERE id = 4", "query took 2 ms statement: UPDATE t SET a = 1", "query took 3 ms statement: DELETE FROM t"},
			want: []string{"query took <*> ms statement: <*>", "query took <*> ms statement: <*>", "query took <*> ms statement: <*>"},
		},
		{
			name: "a key's free text may start with a verb form and end alike",
			msgs: []string{"pull stopped after error: unauthorized: authentication required", "pull stopped after error: manifest for app not found", "pull stopped after error: access denied for app"},
			want: []string{"pull stopped after error: <*>", "pull stopped after error: <*>", "pull stopped after error: <*>"},
		},
		{
			name: "values of one or two words after a key name events",
			msgs: []string{"Wake reason: ?", "Wake reason: RTC (Alarm)", "Wake reason: ARPT (Network) now", "Wake reason: EC.SleepTimer (SleepTimer)"},
			want: []string{"Wake reason: ?", "Wake reason: RTC (Alarm)", "Wake reason: ARPT (Network) now", "Wake reason: EC.SleepTimer (SleepTimer)"},
		},
		{
			name: "a key after a chain of headers",
			msgs: []string{"ARPT: 12: wl0: Roamed or switched channel, reason #8", "ARPT: 12: wl0: MDNS: IPV4 Addr: 10.0.0.1 seen", "ARPT: 12: wl0: wl_update_tcpkeep_seq: Original Seq: 5, Ack: 7"},
			want: []string{"ARPT: <*>: wl0: Roamed or switched channel, reason #<*>", "ARPT: <*>: wl0: MDNS: IPV4 Addr: <*> seen", "ARPT: <*>: wl0: wl_update_tcpkeep_seq: Original Seq: <*>, Ack: <*>"},
		},
		{
			name: "rows of labelled values after a key",
			msgs: []string{"program interrupt: fp cr update.....0", "program interrupt: fp cr field ......0", "program interrupt: illegal instruction...0", "program interrupt: trap instruction ....0"},
			want: []string{"program interrupt: fp cr update.....<*>", "program interrupt: fp cr field ......<*>", "program interrupt: illegal instruction...<*>", "program interrupt: trap instruction ....<*>"},
		},
		{
			name: "an object dump is one value, from its name on",
			msgs: []string{"New leader for partition p-1 is LeaderAndIsr(leader=2, epoch=7, isr=List(2, 3), zk=12)", "New leader for partition p-0 is LeaderAndIsr(leader=1, epoch=3, isr=List(1), zk=4)", "New leader for partition e-11 is LeaderAndIsr(leader=3, epoch=19, isr=List(3, 1, 2), zk=40)"},
			want: []string{"New leader for partition <*> is <*>", "New leader for partition <*> is <*>", "New leader for partition <*> is <*>"},
		},
		{
			name: "a value pair in the prefix: names tagged with an id",
			msgs: []string{"Task tasks.send_email[3f2a9c1e-7b6d-4a5c-8b2a-190817263544] raised unexpected: KeyError('user_id')", "Task reports.build_daily[0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d] raised unexpected: ValueError('no rows for this day')", "Task billing.charge_card[c0ffee00-aaaa-4bbb-8ccc-dddddddddddd] raised unexpected: TimeoutError()"},
			want: []string{"Task <*>[<*>] raised unexpected: <*>", "Task <*>[<*>] raised unexpected: <*>", "Task <*>[<*>] raised unexpected: <*>"},
		},
		{
			name: "a value pair in the prefix: the same key",
			msgs: []string{"job queue=mail failed with Error(code=7, reason=quota)", "job queue=sms failed with Error(code=9)", "job queue=push failed with Error(code=1, reason=disk full, retry=no)"},
			want: []string{"job queue=<*> failed with <*>", "job queue=<*> failed with <*>", "job queue=<*> failed with <*>"},
		},
		{
			name: "bare names in the prefix still split it",
			msgs: []string{"Task alpha raised unexpected: KeyError('user_id')", "Task beta raised unexpected: ValueError('no rows for this day')", "Task gamma raised unexpected: TimeoutError()"},
			want: []string{"Task alpha raised unexpected: KeyError('user_id')", "Task beta raised unexpected: ValueError('no rows for this day')", "Task gamma raised unexpected: TimeoutError()"},
		},
		{
			name: "a dump that does not end the message is not a tail",
			msgs: []string{"value is Point(1, 2) now", "value is Point(3) now here", "value is Point(4, 5, 6) then"},
			want: []string{"value is Point(<*>, <*>) now", "value is Point(<*>) now here", "value is Point(<*>, <*>, <*>) then"},
		},
		{
			name: "tails of one template after a key",
			msgs: []string{"net changed: MDNS: IPV4 Addr: 1.2.3.4", "net changed: MDNS: IPV6 Addr: 10.0.0.9", "net changed: 3 SRV Recs, 4 TXT Recs", "net changed: MDNS: IPV4 Addr: 1.2.3.5"},
			want: []string{"net changed: MDNS: IPV4 Addr: <*>", "net changed: MDNS: IPV6 Addr: <*>", "net changed: <*> SRV Recs, <*> TXT Recs", "net changed: MDNS: IPV4 Addr: <*>"},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assertMinedTemplates(t, test.msgs, test.want)
		})
	}
}

// TestMiner_TailsLater checks that a tail pattern takes later messages of
// any length, also through Match without Add, and survives a snapshot.
func TestMiner_TailsLater(t *testing.T) {
	m := cluster.NewMiner()
	for _, msg := range []string{"Finished Rotate log files.", "Finished Daily apt upgrade and clean activities.", "Finished Daily man-db regeneration."} {
		m.Add(msg)
	}
	require.Equal(t, 1, m.Len(), "the three tails are one pattern")
	p := m.Add("Finished Clean php session files and more.")
	assert.Equal(t, "Finished <*>.", p.Template)
	assert.Equal(t, uint64(4), p.Count)
	q, ok := m.Match("Finished Phase two.")
	require.True(t, ok)
	assert.Equal(t, p.ID, q.ID)
	_, ok = m.Match("Finished Phase two")
	assert.False(t, ok, "a tail without the closing period is not covered")

	b, err := json.Marshal(m)
	require.NoError(t, err)
	r := cluster.NewMiner()
	require.NoError(t, json.Unmarshal(b, r))
	got := r.Add("Finished Other work entirely.")
	assert.Equal(t, p.ID, got.ID, "the restored pattern is still a tail pattern")
	assert.Equal(t, "Finished <*>.", got.Template)
}

// TestMiner_TailsWildFirst checks that a tail pattern whose first token is
// a variable takes a later message with another first token through Add
// and through Match without Add, also after a snapshot.
func TestMiner_TailsWildFirst(t *testing.T) {
	m := cluster.NewMiner()
	for _, msg := range []string{"(root) CMD (run-parts /etc/cron.hourly)", "(root) CMD (/usr/lib/php/sessionclean)", "(root) CMD (test -x /usr/sbin/anacron || run-parts --report /etc/cron.daily)"} {
		m.Add(msg)
	}
	require.Equal(t, 1, m.Len(), "the three tails are one pattern")
	q, ok := m.Match("(nobody) CMD (echo hello there)")
	require.True(t, ok, "Match finds the tail through its second token")
	assert.Equal(t, "(<*>) CMD (<*>)", q.Template)
	p := m.Add("(postgres) CMD (pg_dump shop > /backups/shop.sql)")
	assert.Equal(t, q.ID, p.ID)
	assert.Equal(t, uint64(4), p.Count)

	b, err := json.Marshal(m)
	require.NoError(t, err)
	r := cluster.NewMiner()
	require.NoError(t, json.Unmarshal(b, r))
	got := r.Add("(backup) CMD (/usr/local/bin/backup.sh --full)")
	assert.Equal(t, p.ID, got.ID, "the restored tail still covers other first tokens")
	assert.Equal(t, "(<*>) CMD (<*>)", got.Template)
}

package pattern_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// ids places msgs in order and then returns the ID of each (after all were
// placed, so that later generalizations show).
func ids(m *pattern.Miner, msgs []string) []signature.Sig {
	for _, msg := range msgs {
		m.Of(msg)
	}
	out := make([]signature.Sig, len(msgs))
	for i, msg := range msgs {
		_, out[i] = m.Of(msg)
	}
	return out
}

func distinct(s []signature.Sig) int {
	set := map[signature.Sig]bool{}
	for _, x := range s {
		set[x] = true
	}
	return len(set)
}

// The families below are written from the idioms of real services; the
// expected templates are written by hand.
func TestMiner_families(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want string // the family's template
	}{
		{"quoted free text of variable length", []string{
			`search query="green lamp desk" returned 12 results in 3ms`,
			`search query="red" returned 4 results in 1ms`,
			`search query="blue office chair with arms" returned 0 results in 9ms`,
			`search query="lamp" returned 7 results in 2ms`,
		}, `search query=<*> returned <*> results in <*>`},
		{"email addresses", []string{
			`email sent to ines.miller@example.com template=welcome`,
			`email sent to bob@mail.test template=welcome`,
			`email sent to x_y.z@shop.example.org template=welcome`,
		}, `email sent to <*> template=welcome`},
		{"user names (an open set)", []string{
			`user alice logged in from 10.0.0.1`, `user bob logged in from 10.0.0.2`,
			`user carol logged in from 10.0.0.3`, `user dave logged in from 10.0.0.4`,
			`user erin logged in from 10.0.0.5`, `user frank logged in from 10.0.0.6`,
		}, `user <*> logged in from <*>`},
		{"list of variable length", []string{
			`tags updated for product 4821: red, blue, green`,
			`tags updated for product 17: red`,
			`tags updated for product 99: sale, new`,
		}, `tags updated for product <*>: <*>`},
		{"lists of words of variable length (not clauses)", []string{
			`tags updated for product 4821: red, blue, green`,
			`tags updated for product 99: sale, new`,
		}, `tags updated for product <*>: <*>`},
		{"JSON bodies with optional keys", []string{
			`api request body={"sku": "SKU-AB1234", "qty": 2, "gift": false} accepted`,
			`api request body={"sku": "SKU-CD7", "qty": 1} accepted`,
			`api request body={"sku": "SKU-EF55", "qty": 3, "gift": true, "note": "ring twice"} accepted`,
		}, `api request body=<*> accepted`},
		{"single-quoted SQL", []string{
			`audit: user 'bob' executed 'DELETE FROM carts WHERE id = 12'`,
			`audit: user 'alice' executed 'SELECT * FROM orders'`,
			`audit: user 'carol' executed 'UPDATE users SET name = ? WHERE id = 7'`,
		}, `audit: user <*> executed <*>`},
		{"qualified names (namespaces, templates) past the first token", []string{
			`createCollection namespace=shop.carts uuidDisposition=generated`,
			`createCollection namespace=analytics.events uuidDisposition=generated`,
			`createCollection namespace=shop.audit uuidDisposition=generated`,
		}, `createCollection namespace=<*> uuidDisposition=generated`},
		{"names as key= values (two are enough)", []string{
			`session expired user=alice idle=30`,
			`session expired user=bob idle=12`,
		}, `session expired user=<*> idle=<*>`},
		{"names as key= values next to a closed set that stays", []string{
			`job done class=HardWorker queue=default status=succeeded`,
			`job done class=InvoiceMailer queue=mailers status=succeeded`,
		}, `job done class=<*> queue=<*> status=succeeded`},
		{"names of the kind of a masked value (scheme, key space)", []string{
			`Starting new Web server: tcp:0.0.0.0:3000 on PID: 12`,
			`Starting new Web server: unix:/run/gitea.sock on PID: 13`,
		}, `Starting new Web server: <*> on PID: <*>`},
		{"names, then a value in their place (fewer than MinWordValues names)", []string{
			`account alice deleted by admin`,
			`account bob deleted by admin`,
			`account 40172 deleted by admin`,
			`account carol deleted by admin`,
		}, `account <*> deleted by admin`},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			got := ids(m, test.msgs)
			assert.Equal(t, 1, distinct(got), "one pattern for the family")
			tmpl, ok := m.Template(got[0])
			require.True(t, ok)
			assert.Equal(t, test.want, tmpl)
			assert.Equal(t, signature.OfTemplate(test.want), got[0], "the ID is the signature of the template")
		})
	}
}

// A variable with only punctuation around it ("<*>:", "::<*>") is a value
// in its position: a few names and such a value there are one event at once,
// not words of a closed set waiting for MinWordValues names.
func TestMiner_delimitedVariableIsValue(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
	}{
		{"unit names and an instance (systemd)", []string{
			"nginx.service: Failed with result 'exit-code'.",
			"cart.service: Failed with result 'exit-code'.",
			"worker@3.service: Failed with result 'exit-code'.",
		}},
		{"a masked address after a separator", []string{
			"peer gw-east joined the mesh at epoch 4",
			"peer gw-west joined the mesh at epoch 9",
			"peer ::1 joined the mesh at epoch 12",
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := ids(pattern.New(), test.msgs)
			assert.Equal(t, 1, distinct(got), "one pattern: %v", got)
		})
	}
}

// The quoted text that opens a structured record (logfmt msg=, a JSON
// message first) is its event, not free text to mask: two messages are
// two patterns, each line of one is one pattern. Quoted text elsewhere is
// still a value (TestMiner_families).
func TestMiner_headQuoteIsEvent(t *testing.T) {
	tests := []struct {
		name   string
		events [][]string
	}{
		{"logfmt msg=", [][]string{
			{`msg="worker started" id=12 queue=emails`, `msg="worker started" id=7 queue=emails`},
			{`msg="worker stopped" id=12 queue=emails`, `msg="worker stopped" id=9 queue=emails`},
			{`msg="cache evicted" keys=120 reason=size`, `msg="cache evicted" keys=7 reason=size`},
		}},
		{"a quoted message first", [][]string{
			{`"became leader at term" term=4`, `"became leader at term" term=5`},
			{`"lost leader" term=4`, `"lost leader" term=6`},
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			var all []string
			for _, ev := range test.events {
				all = append(all, ev...)
			}
			got := ids(m, all)
			assert.Equal(t, len(test.events), distinct(got), "one pattern per event: %v", got)
			k := 0
			for _, ev := range test.events {
				assert.Equal(t, 1, distinct(got[k:k+len(ev)]), "the lines of %q", ev[0])
				k += len(ev)
			}
		})
	}
}

// Events that differ in a plain word of a small closed set stay apart.
func TestMiner_closedSetsStayApart(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
	}{
		{"lifecycle states", []string{"job 12 started", "job 13 paused", "job 14 resumed", "job 15 stopped"}},
		{"HTTP methods", []string{
			"request completed method=GET path=/a/1 status=200",
			"request completed method=POST path=/a/2 status=201",
			"request completed method=DELETE path=/a/3 status=204",
		}},
		{"event words replaced next to a variable (HDFS)", []string{
			"10.250.19.102:50010 Served block blk_-1608999687919862906 to /10.250.19.102",
			"10.250.15.198:50010 Starting thread to transfer block blk_4292382298896622412 to 10.250.15.240:50010",
		}},
		{"different events of one component", []string{
			"websocket connection opened from 10.0.0.1:443",
			"websocket connection closed from 10.0.0.1:443 after 3s",
		}},
		{"one more key=value field after a variable (OpenSSH PAM)", []string{
			"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186",
			"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186 user=root",
		}},
		{"different heads of one tail (OpenSSH PAM)", []string{
			"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186",
			"PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186",
		}},
		{"key= states (verb forms, methods, capitalized display forms)", []string{
			"job finished id=7 status=succeeded", "job finished id=8 status=failed",
			"job finished id=9 status=Cancelled", "job finished id=10 status=Expired",
		}},
		{"names before a masked value and more structure", []string{
			"cache get user:12:profile", "cache get cart:12:profile",
		}},
		{"two clauses after a variable (ZooKeeper)", []string{
			"Closed socket connection for client /10.10.34.11:45307 which had sessionid 0x14f05578bf70007",
			"Closed socket connection for client /10.10.34.13:37177 (no session established for client)",
		}},
		{"a key= value as the subject (first token)", []string{
			"event=login user=bob", "event=logout user=bob",
		}},
		{"qualified names as the subject (first token)", []string{
			"rpc.statd startup succeeded", "rpc.idmapd startup succeeded",
		}},
		{"qualified constants name the event", []string{
			"action: android.intent.action.SCREEN_ON", "action: android.intent.action.SCREEN_OFF",
		}},
		{"different heads of one tail (DHCP)", []string{
			"DHCPDISCOVER from 00:11:43:e3:ba:c3 via eth1",
			"DHCPREQUEST for 10.100.4.251 (10.100.0.250) from 00:11:43:e3:ba:c3 via eth1",
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := ids(pattern.New(), test.msgs)
			assert.Equal(t, len(test.msgs), distinct(got), "each event its own pattern: %v", got)
			for i, msg := range test.msgs {
				assert.Equal(t, signature.Of(msg), got[i], "an unmerged pattern keeps its signature")
			}
		})
	}
}

// TestMiner_keptStatusStaysApart checks that a number the normalizer kept
// (the HTTP status of an access-log line, after its route; in a status=
// attribute after method= and path=) is part of the event: a 5xx response
// never shares a pattern with a 2xx one, however many statuses are seen.
func TestMiner_keptStatusStaysApart(t *testing.T) {
	statuses := []int{200, 201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 502, 503, 504}
	shapes := []struct {
		name string
		line func(i, status int) string
	}{
		{"combined access log", func(i, status int) string {
			return fmt.Sprintf(`10.0.0.%d - - [07/Dec/2016:11:05:%02d +0100] "GET /api/orders/%d HTTP/1.1" %d 512 "-" "curl/8.0"`, i, i%60, 1000+i, status)
		}},
		{"key=value", func(i, status int) string {
			return fmt.Sprintf("request completed method=GET path=/api/orders/%d status=%d duration=%dms", 1000+i, status, i)
		}},
	}
	for _, shape := range shapes {
		t.Run(shape.name, func(t *testing.T) {
			m := pattern.New()
			byStatus := map[int]signature.Sig{}
			for round := range 3 {
				for j, status := range statuses {
					_, id := m.Of(shape.line(round*len(statuses)+j, status))
					if prev, ok := byStatus[status]; ok {
						assert.Equal(t, prev, id, "one status, one pattern (status %d)", status)
					}
					byStatus[status] = id
				}
			}
			ids := map[signature.Sig]int{}
			for status, id := range byStatus {
				if other, ok := ids[id]; ok {
					t.Errorf("statuses %d and %d share pattern %s", status, other, id)
				}
				ids[id] = status
			}
		})
	}
}

// Two processes that see one family in different orders converge on the
// same pattern ID.
func TestMiner_fleetConsistent(t *testing.T) {
	var msgs []string
	words := []string{"green", "lamp", "desk", "red", "chair", "blue", "sofa", "oak", "table"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		q := ""
		for j := range 1 + r.IntN(4) {
			if j > 0 {
				q += " "
			}
			q += words[r.IntN(len(words))]
		}
		msgs = append(msgs,
			fmt.Sprintf(`search query="%s" returned %d results in %dms`, q, r.IntN(50), r.IntN(90)),
			fmt.Sprintf(`email sent to user%d.%s@example.com template=welcome`, i, words[r.IntN(len(words))]),
			fmt.Sprintf(`user %s logged in from 10.0.0.%d`, []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace"}[i%7], i))
	}
	want := map[string]bool{}
	for seed := range uint64(5) {
		order := append([]string(nil), msgs...)
		rand.New(rand.NewPCG(seed, 7)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		m := pattern.New()
		got := ids(m, order)
		set := map[string]bool{}
		for _, id := range got {
			set[id.String()] = true
		}
		assert.Len(t, set, 3, "order %d: three families", seed)
		if seed == 0 {
			want = set
			continue
		}
		assert.Equal(t, want, set, "order %d: the same IDs as order 0", seed)
	}
}

func TestMiner_SetMap(t *testing.T) {
	m := pattern.New()
	sig, id := m.Of("job 12 started")
	require.Equal(t, sig, id)
	e := m.Epoch()
	target := signature.OfTemplate("job <*> <*>")
	m.SetMap(map[signature.Sig]signature.Sig{sig: target})
	assert.NotEqual(t, e, m.Epoch(), "SetMap changes the epoch")
	_, id = m.Of("job 12 started")
	assert.Equal(t, target, id, "the map overrides the miner")
	m.SetMap(nil)
	_, id = m.Of("job 12 started")
	assert.Equal(t, sig, id, "nil removes the map")
}

func TestMiner_epochOnGeneralization(t *testing.T) {
	m := pattern.New()
	_, a := m.Of(`handler main.(*Server).Get failed`)
	e := m.Epoch()
	_, b := m.Of(`handler main.(*Server).Put failed`)
	assert.NotEqual(t, a, b, "the pattern generalized: new ID")
	assert.NotEqual(t, e, m.Epoch(), "and the epoch changed")
	assert.Equal(t, signature.OfTemplate("handler <*> failed"), b)
	_, a2 := m.Of(`handler main.(*Server).Get failed`)
	assert.Equal(t, b, a2, "the first signature maps to the new ID")
	e = m.Epoch()
	m.Of(`handler main.(*Server).Delete failed`)
	assert.Equal(t, e, m.Epoch(), "joining without change keeps the epoch")
}

// Values recognizable from one record (quoted groups, bracketed groups,
// e-mail addresses) are masked when a pattern is created, so that the
// first record already has its family's ID.
// An empty bracketed or quoted value is a value of the same field: the
// pattern of the family keeps "(<*>)", and a pattern that has it learned
// does not change (no new ID) when a record with the value empty comes.
func TestMiner_emptyValue(t *testing.T) {
	tests := []struct {
		name   string
		msgs   []string
		want   string
		stable bool // the first record's pattern already has the final template
	}{
		{"value first (Linux ftpd)", []string{
			"connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005",
			"connection from 222.33.90.199 () at Mon Jun 20 03:40:59 2005",
		}, "connection from <*> (<*>) at <*>", true},
		{"empty first", []string{
			"connection from 222.33.90.199 () at Mon Jun 20 03:40:59 2005",
			"connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005",
		}, "connection from <*> (<*>) at <*>", false},
		{"a value in an enclosed variable's place (NetworkManager)", []string{
			"device (enp3s0): state change: disconnected -> prepare",
			"device (wlp2s0): state change: disconnected -> prepare",
			"device (eth0): state change: disconnected -> prepare",
		}, "device (<*>): state change: disconnected -> prepare", true},
		{"a value where a variable and its delimiter are (Thunderbird ntpd)", []string{
			"synchronized to 10.100.16.250, stratum 3",
			"synchronized to 10.100.18.250, stratum 3",
			"synchronized to LOCAL(0), stratum 10",
		}, "synchronized to <*>, stratum <*>", true},
		{"the value first", []string{
			"device (eth0): state change: disconnected -> prepare",
			"device (enp3s0): state change: disconnected -> prepare",
		}, "device (<*>): state change: disconnected -> prepare", false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			var now []signature.Sig
			for _, msg := range test.msgs {
				_, id := m.Of(msg)
				now = append(now, id)
			}
			final := ids(m, test.msgs)
			require.Equal(t, 1, distinct(final), "one pattern")
			got, _ := m.Template(final[0])
			assert.Equal(t, test.want, got)
			if test.stable {
				assert.Equal(t, 1, distinct(now), "the pattern of the first record does not change")
			}
		})
	}
}

func TestMiner_maskedAtCreation(t *testing.T) {
	tests := []struct{ msg, want string }{
		{`email sent to ines.miller@example.com template=welcome`, `email sent to <*> template=welcome`},
		{`search query="green lamp desk" returned 12 results`, `search query=<*> returned <*> results`},
		{`message from Ines <ines.miller@example.com>: "hi there"`, `message from Ines <<*>>: <*>`},
		{`body={"sku": "A", "qty": 2} accepted`, `body=<*> accepted`},
		{`fields=[email,phone] updated`, `fields=<*> updated`},
		{`audit: user 'bob' executed 'DELETE FROM carts WHERE id = 12'`, `audit: user <*> executed <*>`},
		{"request failed: panic: boom\ngoroutine 1 [running]:\nmain.main()", `request failed: panic: boom <*>`},
		{`it's a plain sentence, isn't it`, `it's a plain sentence, isn't it`},
		// The normalizer masked the local part but kept the domain.
		{`failed to send email to dave213@mail.test: smtp 421 service not available`, `failed to send email to <*>: smtp <*> service not available`},
		// A proper name: two or more capitalized words after a lower-case one.
		{`admin Tomasz Patel granted role admin to mei.garcia@mail.test`, `admin <*> granted role admin to <*>`},
		{`account Hana Ivanova-Smith deleted by niaj`, `account <*>-Smith deleted by niaj`},
		{`message from Ines Miller, support`, `message from <*>, support`},
		{`Started User Manager for root`, `Started User Manager for root`},
		{`loading Spring DispatcherServlet now`, `loading Spring DispatcherServlet now`},
		{`user Bob logged in`, `user Bob logged in`},
		// A qualified name past the first token; not the subject, not a
		// constant, not a sentence's last word or a version.
		{`createCollection namespace=shop.carts uuidDisposition=generated`, `createCollection namespace=<*> uuidDisposition=generated`},
		{`Rendered orders/show.html.erb within layouts/application`, `Rendered <*> within <*>`},
		{`Server configuration file in use: standalone.xml`, `Server configuration file in use: <*>`},
		{`rpc.statd startup succeeded`, `rpc.statd startup succeeded`},
		{`nginx.service: Main process exited, code=exited, status=1/FAILURE`, `<*>: Main process exited, code=exited, status=<*>`},
		{`com.apple.CacheDelete.daily: scheduler_evaluate_activity told me to run this job`, `<*>: scheduler_evaluate_activity told me to run this job`},
		{`kernel.panic: x`, `<*>: x`},
		{`rpc.statd: startup succeeded`, `<*>: startup succeeded`},
		{`Note: rpc.statd started`, `Note: <*> started`},
		{`action: android.intent.action.SCREEN_ON`, `action: android.intent.action.SCREEN_ON`},
		{`migration done. next step is vacuum`, `migration done. next step is vacuum`},
		// A comma list of variables or names, whatever its length.
		{`Shrinking ISR from 1,2,3 to 1,2. Leader: ok`, `Shrinking ISR from <*> to <*>. Leader: ok`},
		{`mons a,b,c in quorum`, `mons <*> in quorum`},
		{`protocols=tcp,udp enabled`, `protocols=<*> enabled`},
		{`failed, retrying later`, `failed, retrying later`},
		{`flags a=b,c=d set`, `flags a=b,c=d set`},
		{`region usertable,,17 split`, `region <*> split`},
		{`region usertable,17, split`, `region <*>, split`},
		{`,a,b ,,`, `,a,b ,,`},
	}
	for _, test := range tests {
		m := pattern.New()
		_, id := m.Of(test.msg)
		got, _ := m.Template(id)
		assert.Equal(t, test.want, got, test.msg)
		assert.Equal(t, signature.OfTemplate(test.want), id)
	}
}

// A value recognizable from one record is masked at creation, so the
// family's first record already has the family's pattern: first-N and the
// new-pattern detector see one identity from the start.
func TestMiner_firstRecordHasFamilyID(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
	}{
		{"qualified names", []string{
			`Slow query ns=shop.orders command=find durationMillis=812`,
			`Slow query ns=shop.users command=find durationMillis=95`,
			`Slow query ns=analytics.events command=find durationMillis=4410`,
		}},
		{"lists of variable length", []string{
			`Expanding ISR from 1,2 to 1,2,3`,
			`Expanding ISR from 3,1,2 to 3,1`,
			`Expanding ISR from 2 to 2,1`,
		}},
		{"quoted text", []string{
			`search query="green lamp desk" returned 12 results`,
			`search query="red" returned 4 results`,
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := pattern.New()
			now := make([]signature.Sig, len(test.msgs))
			for i, msg := range test.msgs {
				_, now[i] = m.Of(msg)
			}
			assert.Equal(t, 1, distinct(now), "one ID from the first record: %v", now)
			assert.Equal(t, uint64(0), m.Stats().Generalized, "no generalization needed")
		})
	}
}

func TestMiner_bounded(t *testing.T) {
	m := pattern.New(pattern.WithMaxPatterns(16))
	for i := range 5000 {
		// Distinct events: every template has its own constant words.
		m.Of(word(i) + " happened in " + word(i+1))
	}
	st := m.Stats()
	assert.LessOrEqual(t, st.Patterns, 16)
	assert.Positive(t, st.Evicted)
	// A pattern in use survives the churn (CLOCK second chance).
	m2 := pattern.New(pattern.WithMaxPatterns(16))
	_, hot := m2.Of("hot event happened")
	for i := range 2000 {
		m2.Of(word(i) + " cold event")
		if _, id := m2.Of("hot event happened"); id != hot {
			t.Fatalf("the hot pattern changed ID after %d cold ones", i)
		}
	}
}

func TestMiner_unminedLongTemplates(t *testing.T) {
	m := pattern.New()
	msg := ""
	for i := range 100 {
		msg += "w" + strconv.Itoa(i%10) + "x "
	}
	sig, id := m.Of(msg)
	assert.Equal(t, sig, id)
	assert.Equal(t, uint64(1), m.Stats().Unmined)
}

func TestMiner_allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations are not counted under -race")
	}
	m := pattern.New()
	msg := `search query="green lamp desk" returned 12 results in 3ms`
	sig, _ := m.Of(msg)
	m.Of(`search query="red" returned 12 results in 3ms`)
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.ID(sig, msg) }), "a placed signature")
	msgs := make([]string, 200)
	for i := range msgs {
		msgs[i] = `search query="q` + strconv.Itoa(i) + ` x" returned 1 results in 3ms`
	}
	i := 0
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.Of(msgs[i]); i++ }), "a first sight joining a pattern unchanged")
}

func TestMiner_races(t *testing.T) {
	m := pattern.New(pattern.WithMaxPatterns(32))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				m.Of(fmt.Sprintf(`email sent to u%d@example.com template=t%d`, i, (i+g)%3))
				m.Of(fmt.Sprintf("event%d happened", (i*g)%100))
				if i%100 == 0 {
					m.SetMap(map[signature.Sig]signature.Sig{1: 2})
					m.Stats()
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, m.Stats().Patterns, 32)
}

// word returns a distinct plain word for each i.
func word(i int) string {
	b := []byte("w")
	for ; i > 0; i /= 26 {
		b = append(b, byte('a'+i%26))
	}
	return string(b)
}

// TestMiner_Origin checks that a pattern's origin is the ID it was created
// with, through generalizations and merges, and that an ID the miner never
// gave is its own origin.
func TestMiner_Origin(t *testing.T) {
	m := pattern.New()
	_, a := m.Of(`handler main.(*Server).Get failed`)
	assert.Equal(t, a, m.Origin(a), "a pattern that never generalized")
	_, b := m.Of(`handler main.(*Server).Put failed`)
	require.NotEqual(t, a, b)
	assert.Equal(t, a, m.Origin(b), "a generalized pattern keeps its first ID as origin")
	assert.Equal(t, signature.Sig(12345), m.Origin(12345), "an unknown ID")

	// A new event that differs from a known one in a plain word (a new
	// member of a closed set) is a new pattern with an origin of its own:
	// the valve sees it as new.
	_, declined := m.Of("payment 12 failed: card declined")
	_, fraud := m.Of("payment 13 failed: fraud suspected")
	assert.NotEqual(t, declined, fraud)
	assert.NotEqual(t, m.Origin(declined), m.Origin(fraud), "a sibling in an event word has its own origin")

	// One that differs only in a name (a plain word that is not an event
	// word) is a pattern of its own until MinWordValues names merge, with
	// the history of the known event: the valve does not see it as new.
	_, byAlice := m.Of(`account <*> deleted by alice`)
	_, byBob := m.Of(`account <*> deleted by bob`)
	assert.NotEqual(t, byAlice, byBob, "a name sibling is a pattern of its own")
	assert.Equal(t, m.Origin(byAlice), m.Origin(byBob), "a name sibling shares the known event's origin")
	_, paused := m.Of("job 7 on node one paused")
	_, resumed := m.Of("job 8 on node one resumed")
	assert.NotEqual(t, m.Origin(paused), m.Origin(resumed), "a state verb form is an event word")
	_, viaGet := m.Of("request GET served from cache")
	_, viaPost := m.Of("request POST served from cache")
	assert.NotEqual(t, m.Origin(viaGet), m.Origin(viaPost), "an HTTP method is an event word")

	// Siblings merged after MinWordValues names: all of them end in the
	// pattern of the first one that took the merge, whose origin is its
	// first ID.
	names := []string{"alice", "bob", "carol", "dave", "erin", "frank"}
	var first []signature.Sig
	for _, n := range names {
		_, id := m.Of("user " + n + " logged in from 10.0.0.1")
		first = append(first, id)
	}
	_, merged := m.Of("user alice logged in from 10.0.0.1")
	assert.Equal(t, signature.OfTemplate("user <*> logged in from <*>"), merged)
	assert.Contains(t, first[:pattern.MinWordValues], m.Origin(merged), "the origin is one of the siblings' first IDs")
}

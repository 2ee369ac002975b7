package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_Labels checks the labelling conventions of the corrected Loghub
// templates that the miner applies to a normalized message.
func TestMiner_Labels(t *testing.T) {
	tests := []struct {
		name, msg, want string
	}{
		{"boolean in parentheses", "enterQuietMode(true) done", "enterQuietMode(<*>) done"},
		{"boolean after a colon, any case", "nodeBlacklistingEnabled:TRUE", "nodeBlacklistingEnabled:<*>"},
		{"boolean value of key=value", "maps.isEmpty=false ok", "maps.isEmpty=<*> ok"},
		{"null", "OutputCommitter set in config null", "OutputCommitter set in config <*>"},
		{"null in parentheses", "Error returned from agent: (null)", "Error returned from agent: (<*>)"},
		{"Python's None and nil are null", "task succeeded: None, next=nil", "task succeeded: <*>, next=<*>"},
		{"none and Nil as words stay", "reason 'none', Nil value", "reason 'none', Nil value"},
		{"default user names", "session opened for user root by admin", "session opened for user <*> by <*>"},
		{"word glued to a variable", "headroom=<memory:1024, vCores:8>", "headroom=<memory:<*>, vCores:<*>"},
		{"star glued to a variable", "IRQs 3 *5 7", "IRQs <*> <*> <*>"},
		{"dotted variables join", "codec 1.(null). Failed", "codec <*>.(<*>). Failed"},
		{"slash keeps its variables apart", "Intel(R) PRO/1000 Network", "Intel(R) PRO/<*> Network"},
		{"values inside a word stay", "truevalue nullable rooted Administrator", "truevalue nullable rooted Administrator"},
		{"angle brackets around a variable stay", "accepting connection <0.1201.0> now", "accepting connection <<*>> now"},
		{"angle brackets after a delimiter", "conn (<0.1.0>), closed", "conn (<<*>>), closed"},
		{"angle bracket glued to a word", "IOThunderboltSwitch<0>(0x0)::listenerCallback - ok", "<*>(<*>)::listenerCallback - ok"},
		{"constant token unchanged", "Transitioned from NEW to UNASSIGNED", "Transitioned from NEW to UNASSIGNED"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			got := m.Add(test.msg)
			assert.Equal(t, test.want, got.Template, "template of %q", test.msg)
			p, ok := m.Match(test.msg)
			assert.True(t, ok, "Match(%q) after Add", test.msg)
			assert.Equal(t, got.ID, p.ID, "Match(%q) finds the pattern Add made", test.msg)
		})
	}
}

// TestMiner_LabelsMerge checks that messages differing only in a boolean,
// null or default user name fall into one pattern.
func TestMiner_LabelsMerge(t *testing.T) {
	m := cluster.NewMiner()
	a := m.Add("enterQuietMode(true) for en0")
	b := m.Add("enterQuietMode(false) for en0")
	c := m.Add("enterQuietMode(null) for en0")
	assert.Equal(t, a.ID, b.ID)
	assert.Equal(t, a.ID, c.ID)
	assert.Equal(t, uint64(3), c.Count)
	assert.Equal(t, "enterQuietMode(<*>) for en0", c.Template)
}

// TestMiner_EventWords checks that messages differing only in a state word
// or an HTTP method stay apart however many values are seen, while a
// position with ordinary values still generalizes.
func TestMiner_EventWords(t *testing.T) {
	m := cluster.NewMiner()
	for _, l := range []string{
		"job alpha on node one started", "job alpha on node one paused", "job alpha on node one resumed", "job alpha on node one stopped",
		"request GET for the home page done", "request POST for the home page done", "request PUT for the home page done", "request DELETE for the home page done",
		"user alice logged in from the web", "user bob logged in from the web", "user carol logged in from the web",
	} {
		m.Add(l)
	}
	tmpl := func(l string) string {
		p, ok := m.Match(l)
		require.True(t, ok, "Match(%q)", l)
		return p.Template
	}
	assert.Equal(t, "job alpha on node one started", tmpl("job alpha on node one started"), "a state word is part of the event")
	assert.Equal(t, "job alpha on node one paused", tmpl("job alpha on node one paused"))
	assert.Equal(t, "request GET for the home page done", tmpl("request GET for the home page done"), "an HTTP method is part of the event")
	assert.Equal(t, "request DELETE for the home page done", tmpl("request DELETE for the home page done"))
	assert.Equal(t, "user <*> logged in from the web", tmpl("user bob logged in from the web"), "a user name is still a variable")
}

// TestMiner_ValuePositions checks that a value position (after the same
// key=, or one quoted word) becomes a variable once two messages differ
// only there, while bare words, state verb forms and capitalized
// enumerated values still wait for three values.
func TestMiner_ValuePositions(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "key=value",
			msgs: []string{"connection authorized: user=app database=shop", "connection authorized: user=alice database=payments"},
			want: []string{"connection authorized: user=<*> database=<*>", "connection authorized: user=<*> database=<*>"},
		},
		{
			name: "quoted values",
			msgs: []string{"closing unit 'default' of the store", "closing unit 'crm' of the store"},
			want: []string{"closing unit '<*>' of the store", "closing unit '<*>' of the store"},
		},
		{
			name: "an empty value pairs with a value",
			msgs: []string{"client gone name= flags=N cmd=subscribe", "client gone name=worker flags=N cmd=psubscribe"},
			want: []string{"client gone name=<*> flags=N cmd=<*>", "client gone name=<*> flags=N cmd=<*>"},
		},
		{
			name: "bare words wait for three values",
			msgs: []string{"closing unit alpha of the store", "closing unit beta of the store"},
			want: []string{"closing unit alpha of the store", "closing unit beta of the store"},
		},
		{
			name: "capitalized states stay apart",
			msgs: []string{"icon now in state 'Active'", "icon now in state 'Inactive'"},
			want: []string{"icon now in state 'Active'", "icon now in state 'Inactive'"},
		},
		{
			name: "a short message learns a glued value at three values",
			msgs: []string{"Starting HikariPool-1", "Starting Thread-7", "Starting Worker-3"},
			want: []string{"Starting <*>", "Starting <*>", "Starting <*>"},
		},
		{
			name: "a short message keeps plain names apart",
			msgs: []string{"cupsd startup succeeded", "syslogd startup succeeded", "portmap startup succeeded"},
			want: []string{"cupsd startup succeeded", "syslogd startup succeeded", "portmap startup succeeded"},
		},
		{
			name: "a short message with an event word learns its subject at three values",
			msgs: []string{"Proxy http-in started.", "Proxy backend_api started.", "Proxy stats started."},
			want: []string{"Proxy <*> started.", "Proxy <*> started.", "Proxy <*> started."},
		},
		{
			name: "a subject label before the event word",
			msgs: []string{"logrotate.service: Succeeded.", "apt-daily-upgrade.service: Succeeded.", "man-db.service: Succeeded."},
			want: []string{"<*>: Succeeded.", "<*>: Succeeded.", "<*>: Succeeded."},
		},
		{
			name: "a short verb phrase learns its object at three values",
			msgs: []string{"PING DATABASE postgres", "PING DATABASE mysql", "PING DATABASE sqlite3"},
			want: []string{"PING DATABASE <*>", "PING DATABASE <*>", "PING DATABASE <*>"},
		},
		{
			name: "a short verb phrase waits for three objects",
			msgs: []string{"PING DATABASE postgres", "PING DATABASE mysql"},
			want: []string{"PING DATABASE postgres", "PING DATABASE mysql"},
		},
		{
			name: "a short verb phrase keeps event words apart",
			msgs: []string{"replication link started", "replication link stopped", "replication link failed"},
			want: []string{"replication link started", "replication link stopped", "replication link failed"},
		},
		{
			name: "a short message whose phrase holds a variable keeps its last word",
			msgs: []string{"PING 10.0.0.1 postgres", "PING 10.0.0.2 mysql", "PING 10.0.0.3 sqlite3"},
			want: []string{"PING <*> postgres", "PING <*> mysql", "PING <*> sqlite3"},
		},
		{
			name: "a short message with an event word waits for three values",
			msgs: []string{"Proxy http-in started.", "Proxy stats started."},
			want: []string{"Proxy http-in started.", "Proxy stats started."},
		},
		{
			name: "a first word that is no subject label stays",
			msgs: []string{"AppleActuatorDevice::start Entered", "AppleActuatorDeviceUserClient::start Entered", "IOHIDDevice::start Entered"},
			want: []string{"AppleActuatorDevice::start Entered", "AppleActuatorDeviceUserClient::start Entered", "IOHIDDevice::start Entered"},
		},
		{
			name: "state verb forms after a key stay apart",
			msgs: []string{"main process gone, code=exited, status=<*>", "main process gone, code=killed, status=<*>"},
			want: []string{"main process gone, code=exited, status=<*>", "main process gone, code=killed, status=<*>"},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			assertMinedTemplates(t, test.msgs, test.want)
		})
	}
}

package cluster

import "testing"

func TestValuePair(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"user=app", "user=alice", true},
		{"database=shop", "database=payments", true},
		{`"login",`, `"reset",`, true},
		{"'shop'", "'analytics'", true},
		{"'shop'", "'billing'", true}, // a quoted -ing word pairs with a plain value: a name
		{"'/'", "'billing'", true},
		{"'running'", "'pending'", false}, // two verb forms: states stay apart
		{"'billing'", "'stopped'", false},
		{"'shop'", "'stopped'", false},         // an -ed form waits for three values
		{"'Running'", "'idle'", false},         // a capitalized state
		{"state=running", "state=idle", false}, // a key= value keeps the verb-form rule
		{"'dispatcherServlet'", "'adminServlet'", true},
		{"user=app", "name=app2", false},          // different keys
		{"code=exited,", "code=killed,", false},   // state verb forms
		{"state=started", "state=stopped", false}, // state verb forms
		{"'Active'", "'Inactive'", false},         // capitalized enumerated states
		{"tty=NODEVssh", "tty=:<*>", false},       // a partly masked value has a shape of its own
		{"rhost=", "rhost=x", true},               // an empty value pairs with a value
		{"name=", "name=worker", true},
		{"state=", "state=stopped", false},                         // but not with a verb form
		{"mode=", "mode=Active", false},                            // nor with a capitalized state
		{`msg=`, `msg="worker`, false},                             // nor with the first word of quoted text
		{`msg="worker`, `msg="job`, false},                         // first word of quoted text
		{`msg="done"`, `msg="ok"`, true},                           // a whole quoted value
		{"alpha", "beta", false},                                   // bare words: no mark of a value
		{`"a b"`, `"c d"`, false},                                  // not one token
		{"'x'", `"y"`, false},                                      // different quotes
		{"'shop'.", "'crm'.", true},                                // shared closing punctuation
		{"'shop'.", "'crm',", false},                               // different punctuation
		{"tasks.send_email[<*>]", "tasks.resize_image[<*>]", true}, // names tagged with an id in brackets
		{"worker(<*>)", "reaper(<*>)", true},
		{"a[<*>]", "b(<*>)", false},             // different brackets
		{"a[<*>]:", "b[<*>]", false},            // different frames
		{"job_<*>", "task_<*>", false},          // no bracket around the id
		{"[<*>]", "x[<*>]", false},              // no name
		{"started[<*>]", "stopped[<*>]", false}, // verb forms name the event
		{"Active[<*>]", "Inactive[<*>]", false}, // capitalized states
		// A name that prefixes a masked value with ':' or ',' is part of
		// the value: a scheme, a key space, a table.
		{"tcp:<*>", "unix:<*>", true},
		{`"cart:<*>",`, `"product:<*>",`, true},
		{`"cart:<*>"}`, `"product:<*>"}`, true},
		{"events,<*>,<*>.", "usertable,<*>,<*>.", true},
		{"tcp:<*>", "tcp:<*>", false},                                                    // equal: no pair
		{"tcp:<*>", "unix:<*>,", false},                                                  // different rest
		{"tcp:<*>", "udp:x", false},                                                      // the rest is no masked value
		{"mapResourceRequest:<memory:<*>,", "reduceResourceRequest:<memory:<*>,", false}, // a field name follows
		{"AuthFail:sts:<*>", "AssocFail:sts:<*>", false},                                 // a word in the rest
		{"started:<*>", "stopped:<*>", false},                                            // verb forms name the event
		{"Active:<*>", "Inactive:<*>", false},                                            // capitalized states
		{"user=a:<*>", "user=b:<*>", false},                                              // a key=value, not a name
		{`"cart:<*>"`, `'cart2:<*>'`, false},                                             // different quotes
		{"9x:<*>", "8x:<*>", false},                                                      // a name starts with a letter
	}
	for _, tt := range tests {
		if got := valuePair(tt.a, tt.b); got != tt.want {
			t.Errorf("valuePair(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestMiner_namedValues: names that prefix a masked value (a scheme, a key
// space) merge at two values, as a value pair does, and become one <*>;
// names followed by a field (Hadoop's mapResourceRequest:<memory:...>) or
// by a word stay apart.
func TestMiner_namedValues(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string // the templates, in the order of the lines
	}{
		{
			name: "scheme",
			lines: []string{
				"Starting new Web server: tcp:0.0.0.0:3000 on PID: 1201",
				"Starting new Web server: unix:/run/gitea/gitea.sock on PID: 88",
			},
			want: []string{"Starting new Web server: <*> on PID: <*>", "Starting new Web server: <*> on PID: <*>"},
		},
		{
			name: "JSON key space",
			lines: []string{
				`{"@mt":"Cache miss for {Key}","Key":"cart:81723"}`,
				`{"@mt":"Cache miss for {Key}","Key":"product:5521"}`,
			},
			want: []string{`{"@mt":"Cache miss for {Key}","Key":"<*>"}`, `{"@mt":"Cache miss for {Key}","Key":"<*>"}`},
		},
		{
			name: "a field follows the name",
			lines: []string{
				"mapResourceRequest:<memory:1024, vCores:1>",
				"reduceResourceRequest:<memory:1024, vCores:1>",
			},
			want: []string{"mapResourceRequest:<memory:<*>, vCores:<*>", "reduceResourceRequest:<memory:<*>, vCores:<*>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMiner()
			for _, l := range tt.lines {
				m.Add(l)
			}
			for i, l := range tt.lines {
				p, ok := m.Match(l)
				if !ok || p.Template != tt.want[i] {
					t.Errorf("Match(%q) = %q, %v; want %q", l, p.Template, ok, tt.want[i])
				}
			}
		})
	}
}

func TestQualifiedPair(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"system.time.showampm", "system.ongoing.stat", true},
		{"com.tencent.mm/.ui.LauncherUI", "com.android.settings/.Settings", true},
		{"orders/show.html.erb", "sessions/new.html.erb", true},
		{"layouts/application", "layouts/auth", true},
		{"(billing.refresh_rates)", "(reports.nightly)", true},                         // the same frame
		{"mapred.tip.id", "mapred.job.id", true},                                       // property names
		{"backend_api/api1", "backend_db/db1", true},                                   // a backend and its server
		{"(billing.refresh_rates)", "[reports.nightly]", false},                        // different frames
		{"billing.refresh_rates,", "reports.nightly", false},                           // different closing punctuation
		{"system.time.showampm", "system.time.showampm", false},                        // equal: no pair
		{"system.time.showampm", "StatusBar", false},                                   // a bare word has no mark
		{"initialization.", "finalization.", false},                                    // a sentence word and its period
		{"android.intent.action.SCREEN_ON", "android.intent.action.SCREEN_OFF", false}, // constants name the event
		{"com.example.Foo", "android.intent.action.SCREEN_ON", false},
		{"1.2.3", "1.2.4", false},                 // a version starts with a digit
		{"com.<*>.Foo", "com.example.Foo", false}, // masked in part
		{"a.b c", "a.c d", false},                 // not one name
		{"and/or", "x/y", true},                   // the shape alone decides
	}
	for _, tt := range tests {
		if got := qualifiedPair(tt.a, tt.b); got != tt.want {
			t.Errorf("qualifiedPair(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	// The first token is a subject: Loghub keeps "rpc.statd startup
	// succeeded" apart from "rpc.idmapd startup succeeded".
	if valueAt("rpc.statd", "rpc.idmapd", 0) {
		t.Error("valueAt at position 0 took two qualified names as values")
	}
	if !valueAt("rpc.statd", "rpc.idmapd", 1) {
		t.Error("valueAt at position 1 did not take two qualified names as values")
	}
}

// TestMiner_qualifiedNames: an event whose lines carry two qualified names
// is one pattern with the name as one <*>; constants and subjects stay
// apart.
func TestMiner_qualifiedNames(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string // the templates, in the order of the lines
	}{
		{
			name:  "Android setting names",
			lines: []string{"visible is system.time.showampm", "visible is system.ongoing.stat"},
			want:  []string{"visible is <*>", "visible is <*>"},
		},
		{
			name: "Rails templates",
			lines: []string{
				"Rendered orders/show.html.erb within layouts/application (Duration: 5.2ms | Allocations: 2011)",
				"Rendered sessions/new.html.erb within layouts/auth (Duration: 1.1ms | Allocations: 640)",
			},
			want: []string{
				"Rendered <*> within <*> (Duration: <*> | Allocations: <*>)",
				"Rendered <*> within <*> (Duration: <*> | Allocations: <*>)",
			},
		},
		{
			name:  "intent constants",
			lines: []string{"onReceive action: android.intent.action.SCREEN_ON", "onReceive action: android.intent.action.SCREEN_OFF"},
			want:  []string{"onReceive action: android.intent.action.SCREEN_ON", "onReceive action: android.intent.action.SCREEN_OFF"},
		},
		{
			name:  "subjects",
			lines: []string{"rpc.statd startup succeeded", "rpc.idmapd startup succeeded"},
			want:  []string{"rpc.statd startup succeeded", "rpc.idmapd startup succeeded"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMiner()
			for _, l := range tt.lines {
				m.Add(l)
			}
			for i, l := range tt.lines {
				p, ok := m.Match(l)
				if !ok || p.Template != tt.want[i] {
					t.Errorf("Match(%q) = %q, %v; want %q", l, p.Template, ok, tt.want[i])
				}
			}
		})
	}
}

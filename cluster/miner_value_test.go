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
	}
	for _, tt := range tests {
		if got := valuePair(tt.a, tt.b); got != tt.want {
			t.Errorf("valuePair(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

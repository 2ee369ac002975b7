package logline_test

import (
	"fmt"
	"testing"

	"github.com/srex-dev/lipservice-go/logline"
)

func TestKeysTemplate(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		values []string
		want   string
	}{
		{"JSON without a message", `{"ts":1701942307.1,"uid":"CHhAvVGS1DHF","id.orig_h":"10.0.0.5","proto":"udp"}`, nil, "uid=<*> id.orig_h=<*> proto=<*>"},
		{"nested object flattened", `{"time":"2024-05-07T10:04:17Z","req":{"method":"GET","url":"/a"},"status":200}`, nil, "req.method=<*> req.url=<*> status=<*>"},
		{"value key kept", `{"time":"2024-05-07T10:04:17Z","method":"GET","status":200}`, []string{"method"}, "method=GET status=<*>"},
		{"logfmt", `time=2024-05-07T10:04:17Z level=info path=/a status=200`, nil, "path=<*> status=<*>"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			p := logline.NewParser(logline.Keys{Values: test.values})
			var sc logline.Scratch
			r, kind := p.Parse(test.line, &sc)
			if kind != logline.JSON && kind != logline.Logfmt {
				t.Fatalf("kind %v, want JSON or logfmt", kind)
			}
			if r.Message != "" {
				t.Fatalf("message %q, want none", r.Message)
			}
			if got := logline.KeysTemplate(r.Keys); got != test.want {
				t.Errorf("KeysTemplate = %q, want %q", got, test.want)
			}
		})
	}
	if got := logline.KeysTemplate(nil); got != "" {
		t.Errorf("KeysTemplate(nil) = %q, want empty", got)
	}
}

// A JSON line without a message field is named by its keys: its pattern ID
// is made of them (the time field "ts" is read as the time, not a key).
func ExampleKeysTemplate() {
	p := logline.NewParser(logline.Keys{})
	var sc logline.Scratch
	r, _ := p.Parse(`{"ts":1701942307.1,"uid":"CHhAvVGS1DHF","proto":"udp","query":"example.com"}`, &sc)
	fmt.Printf("%q\n", r.Message)
	fmt.Println(logline.KeysTemplate(r.Keys))
	// Output:
	// ""
	// uid=<*> proto=<*> query=<*>
}

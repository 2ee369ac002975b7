package cluster_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/cluster"
)

// TestMiner_keptEventTokensStayApart checks that the tokens the normalizer
// kept as part of the event (an HTTP status, a request line's method and
// route: internal/eventtok) never merge, however many values the position
// takes, while the variables around them still do.
func TestMiner_keptEventTokensStayApart(t *testing.T) {
	access := func(user, method, route, status string) string {
		return `10.0.0.1 - ` + user + ` [07/May/2026:10:00:42 +0000] "` + method + ` ` + route + ` HTTP/1.1" ` + status + ` 512 "-" "curl/8.5.0"`
	}
	tmpl := func(user, method, route, status string) string {
		return `<*> - ` + user + ` [<*>] "` + method + ` ` + route + ` HTTP/1.1" ` + status + ` <*> "-" "curl/<*>"`
	}
	tests := []struct {
		name string
		msgs []string
		want []string // final template of each message, via Match
	}{
		{
			name: "statuses",
			msgs: []string{access("-", "GET", "/login", "200"), access("-", "GET", "/login", "500"), access("-", "GET", "/login", "404"), access("-", "GET", "/login", "503")},
			want: []string{tmpl("-", "GET", "/login", "200"), tmpl("-", "GET", "/login", "500"), tmpl("-", "GET", "/login", "404"), tmpl("-", "GET", "/login", "503")},
		},
		{
			name: "a user merges, the status does not",
			msgs: []string{access("alice", "GET", "/login", "200"), access("bob", "GET", "/login", "200"), access("carol", "GET", "/login", "200"), access("dave", "GET", "/login", "500")},
			want: []string{tmpl("<*>", "GET", "/login", "200"), tmpl("<*>", "GET", "/login", "200"), tmpl("<*>", "GET", "/login", "200"), tmpl("dave", "GET", "/login", "500")},
		},
		{
			name: "routes",
			msgs: []string{access("-", "GET", "/login", "200"), access("-", "GET", "/healthz", "200"), access("-", "GET", "/metrics", "200"), access("-", "GET", "/api/v1/users/42", "200")},
			want: []string{tmpl("-", "GET", "/login", "200"), tmpl("-", "GET", "/healthz", "200"), tmpl("-", "GET", "/metrics", "200"), tmpl("-", "GET", "/api/<*>", "200")},
		},
		{
			name: "quoted methods",
			msgs: []string{access("-", "GET", "/login", "200"), access("-", "POST", "/login", "200"), access("-", "PUT", "/login", "200"), access("-", "PATCH", "/login", "200")},
			want: []string{tmpl("-", "GET", "/login", "200"), tmpl("-", "POST", "/login", "200"), tmpl("-", "PUT", "/login", "200"), tmpl("-", "PATCH", "/login", "200")},
		},
		{
			name: "status= values",
			msgs: []string{"request method=GET path=/api/users/1 status=200 took=3ms", "request method=GET path=/api/users/2 status=404 took=5ms", "request method=GET path=/api/users/3 status=503 took=9ms"},
			want: []string{"request method=GET path=/api/<*> status=200 took=<*>", "request method=GET path=/api/<*> status=404 took=<*>", "request method=GET path=/api/<*> status=503 took=<*>"},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			m := cluster.NewMiner()
			for _, msg := range test.msgs {
				m.Add(msg)
			}
			got := make([]string, len(test.msgs))
			for i, msg := range test.msgs {
				p, ok := m.Match(msg)
				assert.True(t, ok, "no pattern for %q", msg)
				got[i] = p.Template
			}
			assert.Equal(t, test.want, got, "final templates:\n%s", strings.Join(got, "\n"))
		})
	}
}

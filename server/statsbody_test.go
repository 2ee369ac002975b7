package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestPostStats_memoryBounded pins the memory a hostile stats body costs:
// 1.3 M empty pattern objects fit in a 3.9 MB body, under the 4 MiB body
// limit. Decoding such a body whole cost about 470 MB per request; read as
// a stream it stops at the 10 000-pattern limit. Eight such posts at once
// (the reproduction) must allocate less than 20 MB in total, 2.5 MB
// per 3.9 MB request: the 10 000 decoded patterns (128 bytes each), the
// decoder's buffer and the answer. (Measured: 10.3 MB for the eight.)
// TotalAlloc counts every byte allocated, so it bounds the peak heap
// growth from above.
func TestPostStats_memoryBounded(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)})
	const entries = 1_300_000
	var b bytes.Buffer
	b.WriteString(`{"service_name":"amp","patterns":[`)
	for i := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("{}")
	}
	b.WriteString("]}")
	body := b.Bytes()
	require.Less(t, len(body), 4<<20, "the body fits under the default 4 MiB limit")

	const posts = 8
	reqs := make([]*http.Request, posts)
	recs := make([]*httptest.ResponseRecorder, posts)
	for i := range posts {
		reqs[i] = httptest.NewRequest(http.MethodPost, "/api/v1/patterns/stats", bytes.NewReader(body))
		reqs[i].Header.Set("Authorization", "Bearer "+e.k1)
		recs[i] = httptest.NewRecorder()
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	for i := range posts {
		wg.Go(func() { e.srv.ServeHTTP(recs[i], reqs[i]) })
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d posts of %d bytes (%d patterns each) allocated %.1f MB", posts, len(body), entries, float64(allocated)/1e6)
	for i, rec := range recs {
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "post %d: %s", i, rec.Body)
		assert.Contains(t, errMsg(t, rec.Body.Bytes()), "more than 10000 patterns", "post %d", i)
	}
	assert.Less(t, allocated, uint64(20e6), "8 hostile posts allocate less than 20 MB in total")
}

// TestPostStats_stream checks the streaming decoder of the stats body
// against the JSON the whole-body decoder accepted and rejected, and the
// pattern limit at its edge.
func TestPostStats_stream(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, server.WithMaxPatternsPerReport(3))
	p := `{"signature":"0123456789abcdef","template":"x <*>","count":2,"level_counts":{"INFO":2}}`
	tests := []struct {
		name string
		body string
		want int
		msg  string // in the error, or the success body
	}{
		{"three patterns: at the limit", `{"service_name":"a","patterns":[` + p + `,` + p + `,` + p + `]}`, 202, `"accepted":1`},
		{"four patterns: over the limit", `{"service_name":"a","patterns":[` + p + `,` + p + `,` + p + `,` + p + `]}`, 413, "more than 3 patterns"},
		{"over the limit with garbage after it", `{"service_name":"a","patterns":[{},{},{},{},not json`, 413, "more than 3 patterns"},
		{"null patterns", `{"service_name":"a","patterns":null}`, 202, `"accepted":0`},
		{"no patterns field", `{"service_name":"a","total_logs":5}`, 202, `"accepted":0`},
		{"keys match case-insensitively", `{"Service_Name":"a","PATTERNS":[` + p + `]}`, 202, `"accepted":1`},
		{"every top-level field", `{"service_name":"a","team_id":1,"timestamp":"2026-03-14T10:00:00Z","total_logs":2,"unique_patterns":1,"patterns":[` + p + `]}`, 202, `"accepted":1`},
		{"patterns not an array", `{"service_name":"a","patterns":{}}`, 400, `"patterns" must be an array`},
		{"patterns twice", `{"service_name":"a","patterns":[],"patterns":[]}`, 400, "given twice"},
		{"unknown top-level field", `{"service_name":"a","nope":1}`, 400, `unknown field "nope"`},
		{"unknown pattern field", `{"service_name":"a","patterns":[{"nope":1}]}`, 400, `unknown field "nope"`},
		{"wrong type", `{"service_name":"a","total_logs":"many"}`, 400, `field "total_logs"`},
		{"not an object", `[{"service_name":"a"}]`, 400, "must be a JSON object"},
		{"truncated", `{"service_name":"a","patterns":[{}`, 400, "invalid JSON"},
		{"trailing data", `{"service_name":"a"} {}`, 400, "trailing data"},
		{"empty", ``, 400, "empty request body"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, test.body)
			require.Equal(t, test.want, code, "body: %s", body)
			if code >= 400 {
				assert.Contains(t, errMsg(t, body), test.msg)
			} else {
				assert.Contains(t, string(body), test.msg)
			}
		})
	}
	// The accepted reports were stored: the pattern's count adds up (3 × 2
	// in the first, 2 in each of the two others that carry it).
	code, _, body := e.do("GET", "/api/v1/services/a/patterns", e.k1, nil)
	require.Equal(t, http.StatusOK, code)
	assert.True(t, strings.Contains(string(body), `"count":10`), "stored total of the accepted reports: %s", body)
}

package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// newEnvStore is newEnv with store options (caps and retention).
func newEnvStore(t *testing.T, b storetest.Backend, so store.Options, opts ...server.Option) *env {
	t.Helper()
	clk := &clock{t: t0}
	so.Now = clk.now
	st := storetest.Open(t, b, so)
	opts = append([]server.Option{server.WithClock(clk.now), server.WithScheduleInterval(0)}, opts...)
	srv := server.New(st, opts...)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	e := &env{t: t, srv: srv, st: st, clk: clk}
	var err error
	e.k1, _, err = st.CreateKey(context.Background(), 1, "team1")
	require.NoError(t, err)
	e.k2, _, err = st.CreateKey(context.Background(), 2, "team2")
	require.NoError(t, err)
	return e
}

// addVersions stores versions 1..n of a policy of service name in team 1,
// each body a JSON object padded to about pad bytes.
func addVersions(t *testing.T, e *env, name string, n, pad int) store.Service {
	t.Helper()
	ctx := context.Background()
	svc, err := e.st.CreateService(ctx, store.Service{TeamID: 1, Name: name})
	require.NoError(t, err)
	filler := strings.Repeat("x", pad)
	for v := 1; v <= n; v++ {
		body := []byte(`{"version":` + strconv.Itoa(v) + `,"pad":"` + filler + `"}`)
		_, err := e.st.AddPolicy(ctx, store.PolicyRecord{ServiceID: svc.ID, Version: int64(v), Body: body, GeneratedBy: "test"})
		require.NoError(t, err)
	}
	return svc
}

type historyPage struct {
	Service  string `json:"service"`
	Policies []struct {
		Version int64 `json:"version"`
		Policy  struct {
			Version int64 `json:"version"`
		} `json:"policy"`
	} `json:"policies"`
	NextBefore int64 `json:"next_before"`
}

func (p historyPage) versions() []int64 {
	out := []int64{}
	for _, v := range p.Policies {
		out = append(out, v.Version)
	}
	return out
}

// TestPolicyHistory_retentionAndPaging stores 7 versions under a retention
// of 5 and pages through what is left with a cursor.
func TestPolicyHistory_retentionAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnvStore(t, b, store.Options{MaxPolicyVersions: 5})
		svc := addVersions(t, e, "api", 7, 10)
		all, err := e.st.PolicyHistory(context.Background(), svc.ID, 100)
		require.NoError(t, err)
		assert.Len(t, all, 5, "versions 1 and 2 were pruned when 6 and 7 were added")

		tests := []struct {
			name     string
			query    string
			want     []int64
			wantNext int64
		}{
			{"first page", "?limit=2", []int64{7, 6}, 6},
			{"second page", "?limit=2&before=6", []int64{5, 4}, 4},
			{"last page", "?limit=2&before=4", []int64{3}, 0},
			{"page ends exactly at the oldest", "?limit=5", []int64{7, 6, 5, 4, 3}, 0},
			{"page one short of the oldest", "?limit=4", []int64{7, 6, 5, 4}, 4},
			{"limit above the cap is lowered", "?limit=100000", []int64{7, 6, 5, 4, 3}, 0},
			{"default limit", "", []int64{7, 6, 5, 4, 3}, 0},
			{"before the oldest", "?before=3", []int64{}, 0},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				code, hdr, body := e.do("GET", "/api/v1/policies/api/history"+test.query, e.k1, nil)
				require.Equal(t, http.StatusOK, code, "%s", body)
				assert.Equal(t, "application/json", hdr.Get("Content-Type"))
				var page historyPage
				require.NoError(t, json.Unmarshal(body, &page), "the streamed body is one JSON object: %s", body)
				assert.Equal(t, "api", page.Service)
				assert.Equal(t, test.want, page.versions())
				assert.Equal(t, test.wantNext, page.NextBefore, "cursor of the next page")
				for _, p := range page.Policies {
					assert.Equal(t, p.Version, p.Policy.Version, "each entry carries its own body")
				}
			})
		}
		code, _, body := e.do("GET", "/api/v1/policies/api/history?before=-1", e.k1, nil)
		assert.Equal(t, http.StatusBadRequest, code, "%s", body)
	})
}

// heapWriter is a ResponseWriter that measures the live heap (after a GC)
// at every Write and keeps the largest value, discarding the bytes.
type heapWriter struct {
	hdr     http.Header
	code    int
	n       int
	writes  int
	maxHeap uint64
}

func (w *heapWriter) Header() http.Header  { return w.hdr }
func (w *heapWriter) WriteHeader(code int) { w.code = code }
func (w *heapWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	w.writes++
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w.maxHeap = max(w.maxHeap, ms.HeapAlloc)
	return len(p), nil
}

// TestPolicyHistory_peakMemory pins the memory of a large history answer:
// 40 versions of 1 MiB (40 MiB of JSON) are streamed while the live heap
// grows by less than 16 MiB. Building the answer in memory, as before,
// holds every body at least twice (80 MiB and more).
func TestPolicyHistory_peakMemory(t *testing.T) {
	const versions, pad = 40, 1 << 20
	e := newEnvStore(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	addVersions(t, e, "big", versions, pad)

	req := httptest.NewRequest("GET", "/api/v1/policies/big/history?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+e.k1)
	w := &heapWriter{hdr: http.Header{}}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	e.srv.ServeHTTP(w, req)

	require.Equal(t, http.StatusOK, w.code)
	assert.Greater(t, w.n, versions*pad, "every version was written")
	assert.Greater(t, w.writes, versions, "written item by item")
	growth := int64(w.maxHeap) - int64(base)
	t.Logf("history of %d MiB: peak live heap %+.1f MiB over the baseline", w.n>>20, float64(growth)/(1<<20))
	assert.Less(t, growth, int64(16<<20), "peak live heap while streaming")
}

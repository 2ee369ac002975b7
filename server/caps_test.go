package server_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestServiceCap checks the per-team cap on services, through both ways of
// creating one: POST /services and a stats report naming a new service.
func TestServiceCap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnvStore(t, b, store.Options{MaxServicesPerTeam: 2})
		code, _, body := e.do("POST", "/api/v1/services", e.k1, map[string]any{"name": "one"})
		require.Equal(t, http.StatusCreated, code, "%s", body)
		code, _, body = e.do("POST", "/api/v1/patterns/stats", e.k1, report("two", 1, t0, 5))
		require.Equal(t, http.StatusAccepted, code, "a report creates the second service: %s", body)

		tests := []struct {
			name   string
			method string
			path   string
			key    string
			body   any
			want   int
		}{
			{"create beyond the cap", "POST", "/api/v1/services", e.k1, map[string]any{"name": "three"}, http.StatusConflict},
			{"report beyond the cap", "POST", "/api/v1/patterns/stats", e.k1, report("three", 1, t0, 5), http.StatusConflict},
			{"report to a service under the cap", "POST", "/api/v1/patterns/stats", e.k1, report("one", 1, t0, 5), http.StatusAccepted},
			{"duplicate still says it exists", "POST", "/api/v1/services", e.k1, map[string]any{"name": "one"}, http.StatusConflict},
			{"another team has its own cap", "POST", "/api/v1/services", e.k2, map[string]any{"name": "three"}, http.StatusCreated},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				code, _, body := e.do(test.method, test.path, test.key, test.body)
				assert.Equal(t, test.want, code, "body: %s", body)
				if test.want == http.StatusConflict && test.name != "duplicate still says it exists" {
					assert.Contains(t, errMsg(t, body), "cap on services")
				}
			})
		}
		svcs, err := e.st.Services(context.Background(), 1)
		require.NoError(t, err)
		assert.Len(t, svcs, 2, "no third service was stored for team 1")
	})
}

// TestDashboard_manyServices checks the one-query service table: every
// service shows its own window total, and only the selected one gets the
// detail sections.
func TestDashboard_manyServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		const n = 30
		for i := range n {
			// Service i reports 1000+i records, so each row has its own total.
			code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, report("svc-"+strconv.Itoa(100+i), 1, t0, uint64(1000+i)))
			require.Equal(t, http.StatusAccepted, code, "%s", body)
		}
		code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k2, report("svc-100", 2, t0, 777777))
		require.Equal(t, http.StatusAccepted, code, "%s", body)

		sums, err := e.st.ServiceSummaries(context.Background(), 1, t0.Add(-time.Hour))
		require.NoError(t, err)
		require.Len(t, sums, n)
		for i, s := range sums {
			assert.Equal(t, "svc-"+strconv.Itoa(100+i), s.Name, "ordered by name")
			assert.Equal(t, int64(1000+i), s.Total, "total of %s", s.Name)
		}
		later, err := e.st.ServiceSummaries(context.Background(), 1, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, later, n, "services without volume in the window are listed")
		assert.Zero(t, later[0].Total, "volume before the window is not counted")

		code, _, body = e.do("GET", "/dashboard?service=svc-105", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		page := string(body)
		for i := range n {
			assert.Contains(t, page, ">"+strconv.Itoa(1000+i)+"<", "row of svc-%d", 100+i)
		}
		assert.NotContains(t, page, "777777", "team 2's volume is not mixed in")
		assert.Contains(t, page, `class="sel">svc-105<`)
	})
}

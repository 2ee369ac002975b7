package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

func TestDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		// Login form without a key.
		code, _, body := e.do("GET", "/dashboard", "", nil)
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, string(body), `action="/dashboard/login"`)
		for m := range 3 {
			e.clk.t = t0.Add(time.Duration(m) * time.Minute)
			r := report("checkout", 1, e.clk.t, 50000, 500, 5)
			r.Patterns[0].SampledCount = 5000
			c, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k1, r)
			require.Equal(t, http.StatusAccepted, c)
		}
		c, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k2, report("team2-secret-svc", 2, t0, 10))
		require.Equal(t, http.StatusAccepted, c)
		c, _, _ = e.do("POST", "/api/v1/policies/checkout/generate", e.k1, nil)
		require.Equal(t, http.StatusCreated, c)

		code, hdr, body := e.do("GET", "/dashboard?service=checkout", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		page := string(body)
		assert.Equal(t, "text/html; charset=utf-8", hdr.Get("Content-Type"))
		for _, want := range []string{
			"checkout",                 // services
			"event &lt;*&gt; number 0", // patterns, escaped
			"<polyline",                // volume chart
			"savings",
			"Policy history",
			"Anomalies",
			"Generated from 3 patterns", // reasoning
			// 3 minutes × (50 000 + 500 + 5) = 151 515 records.
			"151515",
			"records (1h)", // the window, without zero units
			">10:00<",      // chart labels: first and last minute
			">10:02 UTC<",
		} {
			assert.Contains(t, page, want)
		}
		assert.NotContains(t, page, "team2-secret-svc", "other teams' services are not shown")
		assert.NotContains(t, page, "http://", "self-contained: no external assets")
		assert.NotContains(t, page, "https://")

		// Login with a bad key, then a good one (cookie).
		code, _, _ = e.do("POST", "/dashboard/login", "", "key=lsk_bad", "Content-Type", "application/x-www-form-urlencoded")
		assert.Equal(t, http.StatusUnauthorized, code)
		code, hdr, _ = e.do("POST", "/dashboard/login", "", "key="+url.QueryEscape(e.k1), "Content-Type", "application/x-www-form-urlencoded")
		require.Equal(t, http.StatusSeeOther, code)
		cookie := hdr.Get("Set-Cookie")
		assert.True(t, strings.HasPrefix(cookie, "lipservice_key="), cookie)
		assert.Contains(t, cookie, "HttpOnly")
		code, _, body = e.do("GET", "/dashboard", "", nil, "Cookie", strings.SplitN(cookie, ";", 2)[0])
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, string(body), "checkout")
	})
}

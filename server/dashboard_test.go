package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
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
			"checkout",                   // services
			"event &lt;*&gt; number 0",   // patterns, escaped
			`<path class="volume total"`, // volume chart
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
		var cookie string
		for _, c := range hdr.Values("Set-Cookie") {
			if strings.HasPrefix(c, "lipservice_session=") {
				cookie = c
			}
		}
		require.NotEmpty(t, cookie, "session cookie: %q", hdr.Values("Set-Cookie"))
		assert.Contains(t, cookie, "HttpOnly")
		code, _, body = e.do("GET", "/dashboard", "", nil, "Cookie", strings.SplitN(cookie, ";", 2)[0])
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, string(body), "checkout")
	})
}

// TestDashboard_headers: every dashboard answer forbids framing
// (clickjacking) and caching.
func TestDashboard_headers(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)})
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}
	tests := []struct {
		name         string
		method, path string
		key, body    string
		want         int
	}{
		{"login form", "GET", "/dashboard", "", "", http.StatusOK},
		{"page", "GET", "/dashboard", e.k1, "", http.StatusOK},
		{"bad key", "GET", "/dashboard", "lsk_bad", "", http.StatusUnauthorized},
		{"failed login", "POST", "/dashboard/login", "", "key=lsk_bad", http.StatusUnauthorized},
		{"login", "POST", "/dashboard/login", "", "key=" + url.QueryEscape(e.k1), http.StatusSeeOther},
		{"logout", "POST", "/dashboard/logout", "", "", http.StatusSeeOther},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			code, hdr, _ := e.do(test.method, test.path, test.key, test.body, form...)
			require.Equal(t, test.want, code)
			assert.Contains(t, hdr.Get("Content-Security-Policy"), "frame-ancestors 'none'")
			assert.Equal(t, "DENY", hdr.Get("X-Frame-Options"))
			assert.Equal(t, "no-store", hdr.Get("Cache-Control"))
		})
	}
}

// TestDashboard_session: a login sets a cookie holding a random session
// token (never the API key), HttpOnly, SameSite=Strict, Secure over TLS;
// the session ends at logout, at expiry (12 h) and when the key is
// revoked; the raw key is no longer accepted as a cookie.
func TestDashboard_session(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		c, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k1, report("checkout", 1, t0, 10))
		require.Equal(t, http.StatusAccepted, c)

		login := func(target string, hdr ...string) *http.Cookie {
			t.Helper()
			req := httptest.NewRequest("POST", target, strings.NewReader("key="+url.QueryEscape(e.k1)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
			var session *http.Cookie
			for _, c := range rec.Result().Cookies() {
				switch c.Name {
				case "lipservice_session":
					session = c
				case "lipservice_key":
					assert.Negative(t, c.MaxAge, "the legacy key cookie is deleted")
				}
			}
			require.NotNil(t, session, "session cookie set")
			return session
		}
		page := func(cookie string) (int, string) {
			t.Helper()
			code, _, body := e.do("GET", "/dashboard", "", nil, "Cookie", cookie)
			return code, string(body)
		}

		ck := login("/dashboard/login")
		assert.True(t, strings.HasPrefix(ck.Value, "lss_"), ck.Value)
		assert.NotContains(t, ck.Value, e.k1, "the cookie does not hold the key")
		assert.True(t, ck.HttpOnly)
		assert.Equal(t, http.SameSiteStrictMode, ck.SameSite)
		assert.Equal(t, "/dashboard", ck.Path)
		assert.Equal(t, 12*3600, ck.MaxAge)
		assert.False(t, ck.Secure, "plain HTTP: a Secure cookie would never come back")
		assert.True(t, login("https://example.com/dashboard/login").Secure, "TLS")
		assert.True(t, login("/dashboard/login", "X-Forwarded-Proto", "https").Secure, "TLS at a proxy")

		code, body := page("lipservice_session=" + ck.Value)
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, body, "checkout", "logged in")

		// The raw key is not a session, in either cookie.
		code, body = page("lipservice_session=" + e.k1)
		assert.Equal(t, http.StatusUnauthorized, code)
		assert.NotContains(t, body, "checkout")
		code, body = page("lipservice_key=" + e.k1)
		assert.Equal(t, http.StatusOK, code, "login form")
		assert.NotContains(t, body, "checkout")

		// Logout ends the session on the server, not only in the browser.
		code, hdr, _ := e.do("POST", "/dashboard/logout", "", nil, "Cookie", "lipservice_session="+ck.Value)
		require.Equal(t, http.StatusSeeOther, code)
		assert.Contains(t, strings.Join(hdr.Values("Set-Cookie"), "\n"), "lipservice_session=; Path=/dashboard; Max-Age=0")
		code, body = page("lipservice_session=" + ck.Value)
		assert.Equal(t, http.StatusUnauthorized, code, "replayed after logout")
		assert.Contains(t, body, "log in again")

		// Expiry after 12 h.
		ck = login("/dashboard/login")
		e.clk.t = t0.Add(12*time.Hour - time.Second)
		code, _ = page("lipservice_session=" + ck.Value)
		assert.Equal(t, http.StatusOK, code, "still valid just before 12 h")
		e.clk.t = t0.Add(12 * time.Hour)
		code, _ = page("lipservice_session=" + ck.Value)
		assert.Equal(t, http.StatusUnauthorized, code, "expired at 12 h")

		// Revoking the key ends its sessions.
		ck = login("/dashboard/login")
		keys, err := e.st.Keys(context.Background(), 1)
		require.NoError(t, err)
		require.NoError(t, e.st.RevokeKey(context.Background(), 1, keys[0].ID))
		code, _ = page("lipservice_session=" + ck.Value)
		assert.Equal(t, http.StatusUnauthorized, code, "key revoked")
	})
}

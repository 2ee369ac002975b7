package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestReadCache checks the staleness bound of the key and policy cache:
// a key revoked behind the server's back (with the CLI) is refused once
// the TTL has passed; a version stored by another replica shows once the
// TTL has passed and the background refresh it starts has run, and at
// once past TTL+MaxStale;
// versions the server generates show at once, and a zero TTL turns the
// cache off.
func TestReadCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, ttl := range []time.Duration{0, 5 * time.Second} {
			t.Run("ttl="+ttl.String(), func(t *testing.T) {
				e := newEnv(t, b, server.WithCacheTTL(ttl))
				ctx := context.Background()
				code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, report("api", 1, t0, 100, 10))
				require.Equal(t, http.StatusAccepted, code, "%s", body)
				code, _, body = e.do("POST", "/api/v1/policies/api/generate", e.k1, nil)
				require.Equal(t, http.StatusCreated, code, "%s", body)
				code, hdr, _ := e.do("GET", "/api/v1/policies/api", e.k1, nil)
				require.Equal(t, http.StatusOK, code)
				etag1 := hdr.Get("ETag")

				// Generated here: served at once.
				code, _, body = e.do("POST", "/api/v1/policies/api/generate", e.k1, nil)
				require.Equal(t, http.StatusCreated, code, "%s", body)
				code, hdr, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil)
				require.Equal(t, http.StatusOK, code)
				etag2 := hdr.Get("ETag")
				assert.NotEqual(t, etag1, etag2, "a version this server generated is served at once")

				// Stored by another replica, and a key revoked behind the server's back.
				svc, err := e.st.Service(ctx, 1, "api")
				require.NoError(t, err)
				latest, err := e.st.LatestVersion(ctx, svc.ID)
				require.NoError(t, err)
				rec, err := e.st.AddPolicy(ctx, store.PolicyRecord{ServiceID: svc.ID, Version: latest + 1, Body: []byte(`{"other":"replica"}`)})
				require.NoError(t, err)
				k3, key3, err := e.st.CreateKey(ctx, 1, "to revoke")
				require.NoError(t, err)
				code, _, _ = e.do("GET", "/api/v1/services", k3, nil)
				require.Equal(t, http.StatusOK, code)
				require.NoError(t, e.st.RevokeKey(ctx, 1, key3.ID))

				_, hdr, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil)
				revokedCode, _, _ := e.do("GET", "/api/v1/services", k3, nil)
				if ttl > 0 {
					assert.Equal(t, etag2, hdr.Get("ETag"), "within the TTL the cached version is served")
					assert.Equal(t, http.StatusOK, revokedCode, "within the TTL the revoked key still works")
					e.clk.t = e.clk.t.Add(ttl)
					// Past the TTL the stale answers are served once more,
					// at once, while a background read refreshes each.
					_, hdr, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil)
					revokedCode, _, _ = e.do("GET", "/api/v1/services", k3, nil)
					assert.Equal(t, etag2, hdr.Get("ETag"), "stale while revalidating")
					assert.Equal(t, http.StatusUnauthorized, revokedCode, "a key is never served stale: refused once the TTL has passed")
					server.WaitRefreshes(e.srv)
					_, hdr, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil)
					revokedCode, _, _ = e.do("GET", "/api/v1/services", k3, nil)
				}
				assert.Equal(t, rec.ETag, hdr.Get("ETag"), "after the TTL (and a refresh) the other replica's version is served")
				assert.Equal(t, http.StatusUnauthorized, revokedCode, "after the TTL (and a refresh) the revoked key is refused")
				assert.Zero(t, e.srv.Stats().Errors)

				if ttl > 0 {
					// Beyond TTL+MaxStale nothing stale is served: a key
					// revoked while unused is refused by the next request.
					k4, key4, err := e.st.CreateKey(ctx, 1, "idle")
					require.NoError(t, err)
					code, _, _ = e.do("GET", "/api/v1/services", k4, nil)
					require.Equal(t, http.StatusOK, code)
					require.NoError(t, e.st.RevokeKey(ctx, 1, key4.ID))
					e.clk.t = e.clk.t.Add(ttl + server.MaxStale)
					code, _, _ = e.do("GET", "/api/v1/services", k4, nil)
					assert.Equal(t, http.StatusUnauthorized, code, "past TTL+MaxStale the first request reads the store")
				}
			})
		}
	})
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/srex-dev/lipservice-go/server/store"
)

// cookieName holds the dashboard session token after a login: a random
// token whose hash the store keeps with an expiry, never the API key.
const cookieName = "lipservice_session"

// legacyCookieName is the cookie in which earlier versions kept the raw API
// key; login and logout delete it from the browser.
const legacyCookieName = "lipservice_key"

// sessionTTL is how long a dashboard login lasts.
const sessionTTL = 12 * time.Hour

// bearer returns the key of an "Authorization: Bearer <key>" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const p = "Bearer "
	if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		return strings.TrimSpace(h[len(p):])
	}
	return ""
}

// team resolves the request's key to a team. It answers the request and
// returns ok=false when the key is missing or unknown, or when a team_id
// query parameter names another team.
func (s *Server) team(w http.ResponseWriter, r *http.Request, key string) (int64, bool) {
	if key == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lipservice"`)
		writeError(w, http.StatusUnauthorized, "missing api key: send Authorization: Bearer <key>")
		return 0, false
	}
	team, err := s.teamForKey(r, key)
	if errors.Is(err, store.ErrUnauthorized) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lipservice", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "invalid api key")
		return 0, false
	}
	if err != nil {
		s.internalError(w, err)
		return 0, false
	}
	if q := r.URL.Query().Get("team_id"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n <= 0 {
			writeError(w, http.StatusBadRequest, "team_id must be a positive integer")
			return 0, false
		}
		if n != team {
			writeError(w, http.StatusForbidden, "api key is not valid for team "+q)
			return 0, false
		}
	}
	return team, true
}

// teamForKey is [store.Store.TeamForKey] through the read cache.
func (s *Server) teamForKey(r *http.Request, key string) (int64, error) {
	hash := store.HashKey(key)
	// A key is never served stale (unlike a policy): a revoked key must be
	// refused within the TTL, so past it the request reads the store.
	if team, state := s.cache.team(hash); state == fresh {
		return team, nil
	}
	team, err := s.st.TeamForKey(r.Context(), key)
	if err == nil {
		s.cache.putTeam(hash, team)
	}
	return team, err
}

// authed wraps a handler that needs a team.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, team int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		team, ok := s.team(w, r, bearer(r))
		if !ok {
			return
		}
		h(w, r, team)
	}
}

// validName reports whether name is a usable service name: 1 to 128 bytes
// of letters, digits, '.', '_' and '-', and not "." or "..". Those two are
// path segments with a meaning of their own: the router cleans them out of
// a URL such as /api/v1/policies/.., so a service with that name could never
// be addressed.
func validName(name string) bool {
	if len(name) == 0 || len(name) > 128 || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

const nameRule = "service name must be 1 to 128 letters, digits, '.', '_' or '-', and not '.' or '..'"

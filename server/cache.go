package server

import (
	"net/http"
	"sync"
	"time"

	"github.com/srex-dev/lipservice-go/server/store"
)

// maxCacheEntries bounds each table of a readCache. 10 000 covers a fleet
// of 10 000 services (and as many keys) polling at once; beyond it an
// insert first deletes an arbitrary entry (the next one Go's map iteration
// yields), which costs that entry one extra database read.
const maxCacheEntries = 10000

// maxCacheBytes bounds the policy bodies a readCache holds: 64 MiB, the
// bodies of a few hundred large policies (10 000 patterns each) or of
// thousands of typical ones. Inserting beyond it deletes arbitrary entries
// until the total fits; a body larger than a quarter of it is not cached.
const maxCacheBytes = 64 << 20

// readCache keeps the answers of the two reads every policy fetch makes,
// the team of an API key and the latest policy of a service, for ttl, so
// that a fleet polling its policies does not query the database on every
// request (on SQLite those reads would compete with the stats writes).
//
// Staleness is bounded by ttl: a key revoked, or a policy version stored by
// another server replica, takes effect here at most ttl later. Versions
// this Server generates replace the cached entry at once. Unknown keys and
// missing policies are not cached. It is safe for concurrent use.
type readCache struct {
	ttl time.Duration
	now func() time.Time

	mu       sync.RWMutex
	teams    map[string]cachedTeam // by store.HashKey of the key
	policies map[policyKey]cachedPolicy
	bytes    int // sum of len(rec.Body) over policies
}

type cachedTeam struct {
	team int64
	at   time.Time
}

type policyKey struct {
	team int64
	name string
}

type cachedPolicy struct {
	svc store.Service
	rec store.PolicyRecord
	at  time.Time
}

func newReadCache(ttl time.Duration, now func() time.Time) *readCache {
	if ttl <= 0 {
		return nil
	}
	return &readCache{ttl: ttl, now: now, teams: map[string]cachedTeam{}, policies: map[policyKey]cachedPolicy{}}
}

func (c *readCache) fresh(at time.Time) bool {
	d := c.now().Sub(at)
	return d >= 0 && d < c.ttl
}

// team returns the cached team of a key hash. A nil cache never hits.
func (c *readCache) team(hash string) (int64, bool) {
	if c == nil {
		return 0, false
	}
	c.mu.RLock()
	e, ok := c.teams[hash]
	c.mu.RUnlock()
	if !ok || !c.fresh(e.at) {
		return 0, false
	}
	return e.team, true
}

func (c *readCache) putTeam(hash string, team int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.teams[hash]; !ok && len(c.teams) >= maxCacheEntries {
		for k := range c.teams {
			delete(c.teams, k)
			break
		}
	}
	c.teams[hash] = cachedTeam{team: team, at: c.now()}
}

// policy returns the cached service and latest policy of team's service
// name. A nil cache never hits.
func (c *readCache) policy(team int64, name string) (store.Service, store.PolicyRecord, bool) {
	if c == nil {
		return store.Service{}, store.PolicyRecord{}, false
	}
	c.mu.RLock()
	e, ok := c.policies[policyKey{team, name}]
	c.mu.RUnlock()
	if !ok || !c.fresh(e.at) {
		return store.Service{}, store.PolicyRecord{}, false
	}
	return e.svc, e.rec, true
}

// putPolicy caches rec as the latest policy of svc, unless a newer version
// is cached already.
func (c *readCache) putPolicy(svc store.Service, rec store.PolicyRecord) {
	if c == nil {
		return
	}
	k := policyKey{svc.TeamID, svc.Name}
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.policies[k]
	if ok && old.rec.Version > rec.Version && c.fresh(old.at) {
		return
	}
	if ok {
		delete(c.policies, k)
		c.bytes -= len(old.rec.Body)
	}
	if len(rec.Body) > maxCacheBytes/4 {
		return
	}
	for e, v := range c.policies {
		if len(c.policies) < maxCacheEntries && c.bytes+len(rec.Body) <= maxCacheBytes {
			break
		}
		delete(c.policies, e)
		c.bytes -= len(v.rec.Body)
	}
	c.policies[k] = cachedPolicy{svc: svc, rec: rec, at: c.now()}
	c.bytes += len(rec.Body)
}

// limitWrites runs h once a write slot is free (see
// [WithMaxConcurrentReports]); a request cancelled while waiting gets no
// answer (its client is gone).
func (s *Server) limitWrites(h func(http.ResponseWriter, *http.Request, int64)) func(http.ResponseWriter, *http.Request, int64) {
	return func(w http.ResponseWriter, r *http.Request, team int64) {
		select {
		case s.writeSlots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-s.writeSlots }()
		h(w, r, team)
	}
}

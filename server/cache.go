package server

import (
	"context"
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

// maxStale is how long past its TTL a cached answer may still be served
// while a background read refreshes it (stale-while-revalidate); beyond
// ttl+maxStale a request reads the database itself.
const maxStale = 30 * time.Second

// maxRefreshes bounds the background refreshes running at once: as many
// as the PostgreSQL pool has connections (16), four times the SQLite read
// pool. A stale entry whose refresh finds no slot is refreshed by a later
// request.
const maxRefreshes = 16

// readCache keeps the answers of the two reads every policy fetch makes,
// the team of an API key and the latest policy of a service, so that a
// fleet polling its policies does not wait for the database (on SQLite
// those reads would compete with the stats writes).
//
// An answer is fresh for ttl after it was read, and served as is. A key's
// team is never served past ttl: a revoked key is refused at most ttl
// later. A policy from ttl to ttl+maxStale (30 s) is stale: it is still
// served, at once, and the first request that finds it stale starts one
// background read of that entry (at most one per entry, at most
// maxRefreshes at once), which replaces it. After ttl+maxStale a request
// reads the database itself.
//
// A policy version stored by another server replica therefore takes
// effect here at most ttl+30 s later, and, for a service polled at least
// once per ttl, within ttl plus the time of one background read. Versions
// this Server generates replace the cached entry at once. Unknown keys and
// missing policies are not cached (a background read that finds the
// policy gone drops the entry). It is safe for concurrent use; the
// Server owns its goroutines and stops them in [Server.Shutdown] (close).
type readCache struct {
	ttl time.Duration
	now func() time.Time

	mu       sync.RWMutex
	teams    map[string]cachedTeam // by store.HashKey of the key
	policies map[policyKey]cachedPolicy
	bytes    int // sum of len(rec.Body) over policies

	// The background refreshes: the entries being refreshed (a string key
	// hash or a policyKey), a slot per running refresh, and their context,
	// cancelled by close.
	refreshing map[any]struct{}
	slots      chan struct{}
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	closed     bool
}

// freshness is what a lookup found.
type freshness uint8

const (
	miss  freshness = iota // nothing usable: read the database
	fresh                  // serve it
	stale                  // serve it, and refresh it in the background
)

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
	ctx, cancel := context.WithCancel(context.Background())
	return &readCache{ttl: ttl, now: now, teams: map[string]cachedTeam{}, policies: map[policyKey]cachedPolicy{},
		refreshing: map[any]struct{}{}, slots: make(chan struct{}, maxRefreshes), ctx: ctx, cancel: cancel}
}

// age classifies an answer read at at.
func (c *readCache) age(at time.Time) freshness {
	d := c.now().Sub(at)
	switch {
	case d < 0 || d >= c.ttl+maxStale:
		return miss
	case d < c.ttl:
		return fresh
	}
	return stale
}

func (c *readCache) fresh(at time.Time) bool { return c.age(at) == fresh }

// refresh runs load in the background to refresh the entry k, unless a
// refresh of k is running, maxRefreshes are, or the cache is closed. load
// gets a context cancelled by close. A nil cache does nothing.
func (c *readCache) refresh(k any, load func(ctx context.Context)) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if _, busy := c.refreshing[k]; busy || c.closed {
		c.mu.Unlock()
		return
	}
	select {
	case c.slots <- struct{}{}:
	default:
		c.mu.Unlock()
		return
	}
	c.refreshing[k] = struct{}{}
	c.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.wg.Done()
		defer func() {
			c.mu.Lock()
			delete(c.refreshing, k)
			c.mu.Unlock()
			<-c.slots
		}()
		load(c.ctx)
	}()
}

// close cancels the background refreshes and waits for them, or for ctx
// to end (then it returns ctx's error). Later stale answers are not
// refreshed. A nil cache does nothing.
func (c *readCache) close(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	done := make(chan struct{})
	go func() { c.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait waits for the background refreshes running (for tests).
func (c *readCache) wait() {
	if c != nil {
		c.wg.Wait()
	}
}

// team returns the cached team of a key hash and its freshness. A nil
// cache never hits.
func (c *readCache) team(hash string) (int64, freshness) {
	if c == nil {
		return 0, miss
	}
	c.mu.RLock()
	e, ok := c.teams[hash]
	c.mu.RUnlock()
	if !ok {
		return 0, miss
	}
	return e.team, c.age(e.at)
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
// name, and their freshness. A nil cache never hits.
func (c *readCache) policy(team int64, name string) (store.Service, store.PolicyRecord, freshness) {
	if c == nil {
		return store.Service{}, store.PolicyRecord{}, miss
	}
	c.mu.RLock()
	e, ok := c.policies[policyKey{team, name}]
	c.mu.RUnlock()
	if !ok {
		return store.Service{}, store.PolicyRecord{}, miss
	}
	return e.svc, e.rec, c.age(e.at)
}

// dropPolicy forgets a service's policy (a background read found none).
func (c *readCache) dropPolicy(team int64, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := policyKey{team, name}
	if old, ok := c.policies[k]; ok {
		delete(c.policies, k)
		c.bytes -= len(old.rec.Body)
	}
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

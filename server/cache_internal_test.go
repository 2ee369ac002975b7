package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
)

// TestReadCache_bounds fills the policy table beyond its entry cap and its
// byte budget: both bounds hold, the newest entry is kept, and a body too
// large to cache is not cached.
func TestReadCache_bounds(t *testing.T) {
	now := time.Unix(0, 0)
	c := newReadCache(time.Minute, func() time.Time { return now })
	for i := range maxCacheEntries + 50 {
		c.putPolicy(store.Service{TeamID: 1, Name: "s" + strconv.Itoa(i)}, store.PolicyRecord{Version: 1, Body: []byte("{}")})
		c.putTeam(strconv.Itoa(i), 1)
	}
	assert.Len(t, c.policies, maxCacheEntries)
	assert.Len(t, c.teams, maxCacheEntries)
	_, _, ok := c.policy(1, "s"+strconv.Itoa(maxCacheEntries+49))
	assert.Equal(t, fresh, ok, "the newest entry is kept")

	big := make([]byte, maxCacheBytes/8)
	for i := range 20 {
		c.putPolicy(store.Service{TeamID: 2, Name: "big" + strconv.Itoa(i)}, store.PolicyRecord{Version: 1, Body: big})
	}
	sum := 0
	for _, v := range c.policies {
		sum += len(v.rec.Body)
	}
	assert.Equal(t, sum, c.bytes, "byte count is exact")
	assert.LessOrEqual(t, c.bytes, maxCacheBytes, "byte budget")
	c.putPolicy(store.Service{TeamID: 3, Name: "huge"}, store.PolicyRecord{Version: 1, Body: make([]byte, maxCacheBytes/2)})
	_, _, ok = c.policy(3, "huge")
	assert.Equal(t, miss, ok, "a body over a quarter of the budget is not cached")

	// An older version does not replace a fresh newer one.
	c.putPolicy(store.Service{TeamID: 4, Name: "v"}, store.PolicyRecord{Version: 5})
	c.putPolicy(store.Service{TeamID: 4, Name: "v"}, store.PolicyRecord{Version: 4})
	_, rec, _ := c.policy(4, "v")
	assert.Equal(t, int64(5), rec.Version)
	var off *readCache
	_, hit := off.team("x")
	assert.Equal(t, miss, hit, "a nil cache never hits")
}

// TestReadCache_staleWhileRevalidate walks an entry through its ages: fresh
// within the TTL, stale (served, one refresh at a time) up to TTL+maxStale,
// a miss beyond; and checks the refresh bound and close.
func TestReadCache_staleWhileRevalidate(t *testing.T) {
	now := time.Unix(1000, 0)
	const ttl = time.Second
	c := newReadCache(ttl, func() time.Time { return now })
	svc := store.Service{TeamID: 1, Name: "api"}
	c.putPolicy(svc, store.PolicyRecord{Version: 1})
	c.putTeam("h", 7)
	ages := []struct {
		name string
		age  time.Duration
		want freshness
	}{
		{"just read", 0, fresh},
		{"before the TTL", ttl - time.Nanosecond, fresh},
		{"at the TTL", ttl, stale},
		{"just before TTL+maxStale", ttl + maxStale - time.Nanosecond, stale},
		{"at TTL+maxStale", ttl + maxStale, miss},
		{"clock went back", -time.Second, miss},
	}
	start := now
	for _, a := range ages {
		now = start.Add(a.age)
		_, rec, got := c.policy(1, "api")
		assert.Equal(t, a.want, got, "policy, %s", a.name)
		if got != miss {
			assert.Equal(t, int64(1), rec.Version, "the cached answer, %s", a.name)
		}
		team, got := c.team("h")
		assert.Equal(t, a.want, got, "team, %s", a.name)
		if got != miss {
			assert.Equal(t, int64(7), team, "the cached team, %s", a.name)
		}
	}

	// One refresh per entry at a time.
	release := make(chan struct{})
	runs := make(chan string, 10)
	load := func(name string) func(context.Context) {
		return func(context.Context) { runs <- name; <-release }
	}
	c.refresh(policyKey{1, "api"}, load("first"))
	c.refresh(policyKey{1, "api"}, load("second"))
	assert.Equal(t, "first", <-runs)
	// At most maxRefreshes at once (one is running).
	for i := range maxRefreshes {
		c.refresh(policyKey{2, strconv.Itoa(i)}, load("bounded"))
	}
	for range maxRefreshes - 1 {
		assert.Equal(t, "bounded", <-runs)
	}
	close(release)
	c.wait()
	assert.Empty(t, runs, "no second refresh of a busy entry, none beyond the bound")
	c.refresh(policyKey{1, "api"}, load("after"))
	c.wait()
	assert.Equal(t, "after", <-runs, "a finished refresh frees its entry")

	// close cancels a running refresh and waits for it; none start after.
	cancelled := make(chan error, 1)
	c.refresh("h", func(ctx context.Context) { <-ctx.Done(); cancelled <- ctx.Err() })
	require.NoError(t, c.close(context.Background()))
	assert.ErrorIs(t, <-cancelled, context.Canceled)
	c.refresh("h", load("closed"))
	c.wait()
	assert.Empty(t, runs, "no refresh after close")
}

// TestLimitWrites checks that a report waiting for a write slot is not
// processed when its request is cancelled, and is once a slot frees.
func TestLimitWrites(t *testing.T) {
	s := &Server{writeSlots: make(chan struct{}, 1)}
	calls := 0
	h := s.limitWrites(func(http.ResponseWriter, *http.Request, int64) { calls++ })
	s.writeSlots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil).WithContext(ctx), 1)
	assert.Zero(t, calls, "a cancelled waiter does not run")
	<-s.writeSlots
	h(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil), 1)
	assert.Equal(t, 1, calls)
	assert.Empty(t, s.writeSlots, "the slot is released")
}

// TestReadCache_races exercises the cache from many goroutines; it exists
// to be run under -race.
func TestReadCache_races(t *testing.T) {
	now := time.Unix(0, 0)
	c := newReadCache(time.Minute, func() time.Time { return now })
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 500 {
				name := "s" + strconv.Itoa(i%50)
				c.putPolicy(store.Service{TeamID: int64(g % 2), Name: name}, store.PolicyRecord{Version: int64(i), Body: []byte("{}")})
				c.policy(int64(g%2), name)
				c.putTeam(name, int64(g))
				c.team(name)
			}
		}()
	}
	for range 8 {
		<-done
	}
	sum := 0
	for _, v := range c.policies {
		sum += len(v.rec.Body)
	}
	assert.Equal(t, sum, c.bytes, "byte count stays exact under concurrency")
}

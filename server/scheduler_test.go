package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestScheduler_ticker drives the scheduler goroutine with synctest's fake
// clock: it regenerates a policy every interval when new statistics
// arrived, does nothing on a tick without them, and stops on Shutdown.
// time.Sleep inside the bubble advances the fake clock; nothing waits for
// real time.
func TestScheduler_ticker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const interval = time.Minute
		ctx := context.Background()
		// The store is opened inside the bubble so that database/sql's
		// goroutine belongs to it (and is stopped by Close before the
		// bubble ends).
		st, err := store.Open(ctx, storetest.SQLiteDSN(t), store.Options{})
		require.NoError(t, err)
		defer st.Close()
		key, _, err := st.CreateKey(ctx, 1, "sched")
		require.NoError(t, err)
		// A negative threshold makes every run with new stats store a
		// version, so that versions count the runs that regenerated.
		srv := server.New(st, server.WithScheduleInterval(interval), server.WithRateChangeThreshold(-1))
		defer srv.Shutdown(ctx)

		postStats := func() {
			t.Helper()
			body, err := json.Marshal(report("api", 1, time.Now(), 5000, 50, 5))
			require.NoError(t, err)
			req := httptest.NewRequest(http.MethodPost, "/api/v1/patterns/stats", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+key)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			require.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
		}
		type counts struct{ runs, generated uint64 }
		now := func() counts {
			synctest.Wait() // the scheduler is idle: a pass in progress has finished
			s := srv.Stats()
			return counts{s.SchedulerRuns, s.Generated}
		}

		postStats()
		time.Sleep(interval - time.Second)
		assert.Equal(t, counts{0, 0}, now(), "no tick before the first interval")
		time.Sleep(time.Second)
		assert.Equal(t, counts{1, 1}, now(), "first tick: new stats, one policy")

		time.Sleep(time.Second) // stats strictly newer than the policy
		postStats()
		time.Sleep(interval - time.Second)
		assert.Equal(t, counts{2, 2}, now(), "second tick: new stats, second version")

		time.Sleep(interval)
		assert.Equal(t, counts{3, 2}, now(), "third tick: no new stats, no version")

		require.NoError(t, srv.Shutdown(ctx))
		require.NoError(t, srv.Shutdown(ctx), "Shutdown is idempotent")
		postStats()
		time.Sleep(10 * interval)
		assert.Equal(t, counts{3, 2}, now(), "no pass after Shutdown")

		svc, err := st.Service(ctx, 1, "api")
		require.NoError(t, err)
		v, err := st.LatestVersion(ctx, svc.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), v)
	})
}

// TestScheduler_shutdownDeadline: a Shutdown whose context has already
// ended returns nil or that context's error, never blocks, and a later
// Shutdown returns nil once the goroutine has exited.
func TestScheduler_shutdownDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st, err := store.Open(ctx, storetest.SQLiteDSN(t), store.Options{})
		require.NoError(t, err)
		defer st.Close()
		srv := server.New(st, server.WithScheduleInterval(time.Hour))
		expired, cancel := context.WithCancel(ctx)
		cancel()
		// The goroutine may or may not have seen the stop yet: either
		// Shutdown returns nil (it had) or the canceled context's error.
		err = srv.Shutdown(expired)
		if err != nil {
			assert.ErrorIs(t, err, context.Canceled)
		}
		require.NoError(t, srv.Shutdown(ctx), "a later Shutdown waits for the exit")
		synctest.Wait()
		assert.Zero(t, srv.Stats().SchedulerRuns)
	})
}

// TestScheduler_firstPolicy drives the scheduler with synctest's fake clock
// and the default 5-minute regeneration interval: a new service gets its
// first policy at the first check (every FirstPolicyCheck) once it has had
// statistics for FirstPolicyAfter, minutes before the first regeneration
// pass, and the check leaves services that have a policy alone.
func TestScheduler_firstPolicy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		start := time.Now() // the bubble's clock starts on a minute boundary
		require.Zero(t, start.Sub(start.Truncate(time.Minute)))
		st, err := store.Open(ctx, storetest.SQLiteDSN(t), store.Options{})
		require.NoError(t, err)
		defer st.Close()
		key, _, err := st.CreateKey(ctx, 1, "first")
		require.NoError(t, err)
		// Default interval (5 minutes); a negative threshold makes the
		// regeneration pass store every version it makes.
		srv := server.New(st, server.WithRateChangeThreshold(-1))
		defer srv.Shutdown(ctx)

		do := func(method, path string, body any) int {
			t.Helper()
			var rd *bytes.Reader
			if body != nil {
				b, err := json.Marshal(body)
				require.NoError(t, err)
				rd = bytes.NewReader(b)
			} else {
				rd = bytes.NewReader(nil)
			}
			req := httptest.NewRequest(method, path, rd)
			req.Header.Set("Authorization", "Bearer "+key)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			return rec.Code
		}
		post := func(service string) {
			t.Helper()
			require.Equal(t, http.StatusAccepted, do("POST", "/api/v1/patterns/stats", report(service, 1, time.Now(), 5000, 50, 5)))
		}
		policyAt := func(service string) int {
			t.Helper()
			synctest.Wait() // a scheduler pass in progress has finished
			return do("GET", "/api/v1/policies/"+service, nil)
		}
		until := func(d time.Duration) { time.Sleep(start.Add(d).Sub(time.Now())) }

		// "api" reports from 0 s on, every 20 s, like a client would.
		post("api")
		until(20 * time.Second)
		post("api")
		until(59 * time.Second)
		assert.Equal(t, http.StatusNotFound, policyAt("api"), "59 s: less than a minute of stats")
		until(60 * time.Second)
		assert.Equal(t, http.StatusOK, policyAt("api"), "60 s: a minute of stats, first policy")
		assert.Equal(t, uint64(1), srv.Stats().Generated)
		assert.Zero(t, srv.Stats().SchedulerRuns, "not the 5-minute pass")

		// "late" first reports at 65 s: its minute is up at 125 s, and the
		// check at 130 s generates its policy.
		until(65 * time.Second)
		post("late")
		until(129 * time.Second)
		assert.Equal(t, http.StatusNotFound, policyAt("late"), "64 s of stats")
		until(130 * time.Second)
		assert.Equal(t, http.StatusOK, policyAt("late"), "first check after a minute of stats")

		// New stats for "api" do not make the check generate again: that
		// is the regeneration pass's job (at 5 minutes).
		post("api")
		until(299 * time.Second)
		synctest.Wait()
		assert.Equal(t, uint64(2), srv.Stats().Generated, "one first policy per service")
		until(300 * time.Second)
		synctest.Wait()
		assert.Equal(t, uint64(1), srv.Stats().SchedulerRuns)
		assert.Equal(t, uint64(3), srv.Stats().Generated, "the 5-minute pass regenerated api (new stats)")

		require.NoError(t, srv.Shutdown(ctx))
	})
}

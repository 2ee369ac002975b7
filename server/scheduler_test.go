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

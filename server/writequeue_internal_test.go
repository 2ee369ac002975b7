package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

// statsBody is a stats report of service with n patterns.
func statsBody(t *testing.T, service string, n int) []byte {
	r := policy.StatsReport{ServiceName: service, Timestamp: time.Now()}
	for i := range n {
		tpl := "event <*> kind " + strconv.Itoa(i)
		r.Patterns = append(r.Patterns, policy.PatternReport{Signature: signature.OfTemplate(tpl), Template: tpl, Count: 10})
	}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return b
}

// TestWriteQueue holds the stats writer: reports are answered only once
// their batch is committed, a report beyond the queue bound is answered
// 503 with Retry-After and not stored, Shutdown writes what is queued, and
// reports after Shutdown are written directly.
func TestWriteQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		st := storetest.Open(t, b, store.Options{})
		// Two reports of 50 patterns fit (51 each, with the report), a third does not.
		s := New(st, WithScheduleInterval(0), WithMaxQueuedPatterns(110), WithStatsWriters(1))
		require.NoError(t, s.queue.close(ctx))
		hold := make(chan struct{})
		s.queue = newWriteQueue(st, 1, 110, hold)
		key, _, err := st.CreateKey(ctx, 1, "q")
		require.NoError(t, err)
		post := func(service string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/api/v1/patterns/stats", bytes.NewReader(statsBody(t, service, 50)))
			req.Header.Set("Authorization", "Bearer "+key)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			return rec
		}
		answers := make(chan *httptest.ResponseRecorder, 2)
		go func() { answers <- post("a") }()
		go func() { answers <- post("b") }()
		for {
			s.queue.mu.Lock()
			n := s.queue.queued
			s.queue.mu.Unlock()
			if n == 102 {
				break
			}
			runtime.Gosched()
		}
		assert.Empty(t, answers, "no answer before the commit")
		_, err = st.Service(ctx, 1, "a")
		assert.ErrorIs(t, err, store.ErrNotFound, "nothing committed yet")

		full := post("c")
		assert.Equal(t, http.StatusServiceUnavailable, full.Code, full.Body.String())
		assert.Equal(t, "1", full.Header().Get("Retry-After"))
		assert.Contains(t, full.Body.String(), "retry later")

		close(hold)
		for range 2 {
			rec := <-answers
			assert.Equal(t, http.StatusAccepted, rec.Code, rec.Body.String())
			assert.JSONEq(t, `{"accepted":50,"overflow":0}`, rec.Body.String())
		}
		for _, name := range []string{"a", "b"} {
			_, err := st.Service(ctx, 1, name)
			assert.NoError(t, err, "committed: %s", name)
		}
		_, err = st.Service(ctx, 1, "c")
		assert.ErrorIs(t, err, store.ErrNotFound, "the refused report was not stored")
		assert.Equal(t, http.StatusAccepted, post("c").Code, "accepted once the queue drained")

		require.NoError(t, s.Shutdown(ctx))
		after := post("d")
		assert.Equal(t, http.StatusAccepted, after.Code, "written directly after Shutdown: %s", after.Body.String())
		_, err = st.Service(ctx, 1, "d")
		assert.NoError(t, err)
		assert.Equal(t, uint64(4), s.Stats().Reports)
	})
}

// TestWriteQueue_shutdownDrains queues reports behind a held writer, then
// shuts down: Shutdown waits for them to be written, and each is answered.
func TestWriteQueue_shutdownDrains(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	s := New(st, WithScheduleInterval(0))
	require.NoError(t, s.queue.close(ctx))
	hold := make(chan struct{})
	s.queue = newWriteQueue(st, 1, DefaultMaxQueuedPatterns, hold)
	results := make(chan error, 3)
	for i := range 3 {
		go func() {
			res, err := s.queue.submit(ctx, 1, store.Report{Service: "s" + strconv.Itoa(i), Time: time.Now(), TotalLogs: 1})
			if err == nil {
				err = res.Err
			}
			results <- err
		}()
	}
	for {
		s.queue.mu.Lock()
		n := s.queue.queued
		s.queue.mu.Unlock()
		if n == 3 {
			break
		}
		runtime.Gosched()
	}
	stopped := make(chan error, 1)
	go func() { stopped <- s.Shutdown(ctx) }()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, s.queue.close(short), context.DeadlineExceeded, "close waits for the held writer")
	close(hold)
	require.NoError(t, <-stopped)
	for range 3 {
		assert.NoError(t, <-results)
	}
	svcs, err := st.Services(ctx, 1)
	require.NoError(t, err)
	assert.Len(t, svcs, 3, "every queued report was written")
}

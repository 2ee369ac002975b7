package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/signature"
)

// handlerTransport serves requests in memory with h, so that client tests
// need no sockets (and run inside synctest bubbles).
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { t.h.ServeHTTP(rec, r); close(done) }()
	select {
	case <-done:
		return rec.Result(), nil
	case <-r.Context().Done():
		<-done
		return nil, r.Context().Err()
	}
}

// fakeServer is a scriptable policy server. Its fields are guarded by mu.
type fakeServer struct {
	mu       sync.Mutex
	status   int    // policy answer status (0: 200)
	body     string // policy answer body
	etag     string
	slow     bool // wait for the request to be canceled
	requests int
	inm      []string // If-None-Match values seen
	reports  []string // stats bodies received
	auth     []string
	down     bool // answer with a transport error
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	slow, status, body, etag := f.slow, f.status, f.body, f.etag
	if r.Method == http.MethodPost {
		data, _ := io.ReadAll(r.Body)
		f.reports = append(f.reports, string(data))
		f.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	f.inm = append(f.inm, r.Header.Get("If-None-Match"))
	f.mu.Unlock()
	if slow {
		<-r.Context().Done()
		return
	}
	if etag != "" {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func (f *fakeServer) set(status int, body, etag string) {
	f.mu.Lock()
	f.status, f.body, f.etag = status, body, etag
	f.mu.Unlock()
}

func (f *fakeServer) client() *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		f.mu.Lock()
		down := f.down
		f.mu.Unlock()
		if down {
			return nil, errors.New("connection refused")
		}
		return handlerTransport{f}.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// recordingSetter records the versions it was given.
type recordingSetter struct {
	mu       sync.Mutex
	versions []int64
	err      error
}

func (s *recordingSetter) SetPolicy(p *policy.Policy) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.versions = append(s.versions, p.Version)
	return nil
}

func (s *recordingSetter) got() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.versions...)
}

func doc(version int64, rate float64) string {
	return fmt.Sprintf(`{"version":%d,"global_rate":1,"pattern_rates":{"00000000000000aa":%g},"generated_by":"test"}`, version, rate)
}

// newTestClient returns a client whose loop waits an hour before its own
// fetches after the first, so that tests drive it with Sync and Report. Its
// request timeout is a minute, far above what an in-memory request takes on
// a busy machine: a test that needs the timeout to fire runs in a synctest
// bubble (see TestClient_slowServer), where time only passes when every
// goroutine is blocked.
func newTestClient(t *testing.T, f *fakeServer, opts ...client.Option) *client.Client {
	t.Helper()
	opts = append([]client.Option{
		client.WithHTTPClient(f.client()), client.WithInterval(time.Hour), client.WithBackoff(time.Hour, time.Hour),
		client.WithTeamID(7), client.WithAPIKey("lsk_test"), client.WithTimeout(time.Minute),
	}, opts...)
	c, err := client.New("http://lipservice.test", "api", opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Shutdown(context.Background())) })
	return c
}

func TestNewClient_errors(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "http://", "::"} {
		_, err := client.New(u, "api")
		assert.Error(t, err, "base URL %q", u)
	}
	_, err := client.New("http://x", "")
	assert.Error(t, err, "empty service")
}

// TestClient_faults feeds the client one fault after another and checks
// that the last good policy stays in force and every fault is counted.
func TestClient_faults(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	f := &fakeServer{}
	f.set(200, doc(5, 0.5), `"v5"`)
	set := &recordingSetter{}
	c := newTestClient(t, f, client.WithSetter(set), client.WithMaxResponseBytes(4096))
	ctx := context.Background()
	require.NoError(t, c.Sync(ctx))
	require.NotNil(t, c.Policy())
	require.Equal(t, int64(5), c.Policy().Version)

	tests := []struct {
		name    string
		setup   func()
		wantErr error // nil: any error
		counter func(client.Stats) uint64
	}{
		{"500", func() { f.set(500, `{"error":"boom"}`, "") }, nil, func(s client.Stats) uint64 { return s.FetchErrors }},
		{"garbage JSON", func() { f.set(200, `{"version": 9, garbage`, "") }, policy.ErrInvalidPolicy, func(s client.Stats) uint64 { return s.Rejected }},
		{"invalid rate", func() { f.set(200, doc(9, 1.5), "") }, policy.ErrInvalidPolicy, func(s client.Stats) uint64 { return s.Rejected }},
		{"NaN-ish rate", func() { f.set(200, strings.Replace(doc(9, 0.5), "0.5", "-0.5", 1), "") }, policy.ErrInvalidPolicy, func(s client.Stats) uint64 { return s.Rejected }},
		{"too large", func() { f.set(200, `{"reasoning":"`+strings.Repeat("x", 5000)+`","version":9}`, "") }, client.ErrResponseTooLarge, func(s client.Stats) uint64 { return s.Rejected }},
		{"older version", func() { f.set(200, doc(4, 0.1), "") }, client.ErrOlderVersion, func(s client.Stats) uint64 { return s.OlderVersions }},
		// A server slower than the timeout: TestClient_slowServer.
		{"server down", func() { f.mu.Lock(); f.down = true; f.mu.Unlock() }, nil, func(s client.Stats) uint64 { return s.FetchErrors }},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			test.setup()
			before := test.counter(c.Stats())
			err := c.Sync(ctx)
			require.Error(t, err)
			if test.wantErr != nil {
				assert.ErrorIs(t, err, test.wantErr)
			}
			assert.Equal(t, before+1, test.counter(c.Stats()), "fault counted")
			assert.Equal(t, int64(5), c.Policy().Version, "last good policy stays")
			assert.InDelta(t, 0.5, c.Policy().PatternRates[0xaa], 1e-12)
		})
	}
	var se *client.StatusError
	f.set(503, `{"error":"maintenance"}`, "")
	f.mu.Lock()
	f.down = false
	f.mu.Unlock()
	require.ErrorAs(t, c.Sync(ctx), &se)
	assert.Equal(t, 503, se.Code)
	assert.Equal(t, "maintenance", se.Message)

	set.err = errors.New("sampler says no")
	f.set(200, doc(6, 0.2), "")
	assert.Error(t, c.Sync(ctx), "setter refusal")
	assert.Equal(t, int64(5), c.Policy().Version)
	set.err = nil
	require.NoError(t, c.Sync(ctx), "recovers once the server is healthy")
	assert.Equal(t, int64(6), c.Policy().Version)
	assert.Equal(t, []int64{5, 6}, set.got(), "the setter saw only good policies")
}

// TestClient_slowServer: a server that does not answer within the request
// timeout is a fetch error, and the last good policy stays. It runs in a
// synctest bubble, so the 50 ms timeout is fake time: it fires once every
// goroutine waits (the server for the request's end), however slowly the
// machine runs the request up to there.
func TestClient_slowServer(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{}
		f.set(200, doc(5, 0.5), `"v5"`)
		c := newTestClient(t, f, client.WithTimeout(50*time.Millisecond))
		require.NoError(t, c.Sync(context.Background()))
		require.Equal(t, int64(5), c.Policy().Version)

		f.mu.Lock()
		f.slow = true
		f.mu.Unlock()
		start := time.Now()
		err := c.Sync(context.Background())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 50*time.Millisecond, time.Since(start), "the request timeout (fake time)")
		assert.Equal(t, uint64(1), c.Stats().FetchErrors, "fault counted")
		assert.Equal(t, int64(5), c.Policy().Version, "last good policy stays")
	})
}

func TestClient_etagAndVersions(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	f := &fakeServer{}
	f.set(404, `{"error":"no policy generated yet"}`, "")
	c := newTestClient(t, f)
	ctx := context.Background()
	require.NoError(t, c.Sync(ctx), "404 is not an error: no policy yet")
	assert.Nil(t, c.Policy())
	f.set(200, doc(1, 0.5), `"v1"`)
	require.NoError(t, c.Sync(ctx))
	require.NoError(t, c.Sync(ctx))
	f.set(200, doc(2, 0.25), `"v2"`)
	require.NoError(t, c.Sync(ctx))
	assert.Equal(t, int64(2), c.Policy().Version)
	st := c.Stats()
	assert.GreaterOrEqual(t, st.NoPolicy, uint64(1), "the loop's first fetch may also have seen the 404")
	assert.Equal(t, uint64(2), st.Updates)
	assert.Equal(t, uint64(1), st.NotModified, "second fetch of v1 revalidated")
	f.mu.Lock()
	defer f.mu.Unlock()
	// The initial loop fetch may or may not have happened before the first
	// Sync; the last three requests are deterministic.
	n := len(f.inm)
	require.GreaterOrEqual(t, n, 4)
	assert.Equal(t, []string{"", `"v1"`, `"v1"`}, f.inm[n-3:], "If-None-Match carries the last ETag")
	assert.Equal(t, "Bearer lsk_test", f.auth[0])
}

func TestClient_lastKnownGood(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	path := filepath.Join(t.TempDir(), "policy.json")
	f := &fakeServer{}
	f.set(200, doc(3, 0.3), `"v3"`)
	c := newTestClient(t, f, client.WithCachePath(path))
	require.NoError(t, c.Sync(context.Background()))
	require.NoError(t, c.Shutdown(context.Background()))

	// The server is down at start-up: the cached policy is in force at once.
	down := &fakeServer{down: true}
	set := &recordingSetter{}
	c2 := newTestClient(t, down, client.WithCachePath(path), client.WithSetter(set))
	require.NotNil(t, c2.Policy(), "last-known-good loaded by NewClient")
	assert.Equal(t, int64(3), c2.Policy().Version)
	assert.Equal(t, []int64{3}, set.got())
	assert.Error(t, c2.Sync(context.Background()))
	assert.Equal(t, int64(3), c2.Policy().Version)

	// With the cache's ETag, the first fetch from a healthy server is a 304.
	c3 := newTestClient(t, f, client.WithCachePath(path))
	require.NoError(t, c3.Sync(context.Background()))
	assert.Equal(t, int64(3), c3.Policy().Version)
	assert.GreaterOrEqual(t, c3.Stats().NotModified, uint64(1))

	// A corrupt cache is counted and ignored.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"policy":{"global_rate":7}}`), 0o600))
	c4 := newTestClient(t, down, client.WithCachePath(bad))
	assert.Nil(t, c4.Policy())
	assert.Equal(t, uint64(1), c4.Stats().CacheErrors)
}

// source is a settable StatsSource.
type source struct {
	mu    sync.Mutex
	stats []policy.PatternStat
}

func (s *source) PatternStats() []policy.PatternStat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]policy.PatternStat(nil), s.stats...)
}

func (s *source) set(st ...policy.PatternStat) {
	s.mu.Lock()
	s.stats = st
	s.mu.Unlock()
}

func TestClient_reportDeltas(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	f := &fakeServer{}
	f.set(404, "", "")
	src := &source{}
	c := newTestClient(t, f, client.WithStatsSource(src), client.WithMaxPatternsPerReport(2))
	ctx := context.Background()
	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	ps := func(sig signature.Sig, tpl string, seen, kept, errs uint64) policy.PatternStat {
		return policy.PatternStat{Pattern: sig, Template: tpl, Seen: seen, Kept: kept, FirstSeen: at, LastSeen: at,
			Levels: policy.LevelCounts{Info: seen - errs, Error: errs}}
	}
	src.set(ps(1, "a <*>", 100, 10, 0), ps(2, "b", 50, 50, 5), ps(3, "c", 1, 1, 0))
	require.NoError(t, c.Report(ctx))
	src.set(ps(1, "a <*>", 130, 13, 0), ps(2, "b", 50, 50, 5), ps(3, "c", 4, 4, 0))
	require.NoError(t, c.Report(ctx))
	f.mu.Lock()
	require.Len(t, f.reports, 2)
	var r1, r2 policy.StatsReport
	require.NoError(t, json.Unmarshal([]byte(f.reports[0]), &r1))
	require.NoError(t, json.Unmarshal([]byte(f.reports[1]), &r2))
	f.mu.Unlock()
	assert.Equal(t, "api", r1.ServiceName)
	assert.Equal(t, int64(7), r1.TeamID)
	// First report: all cumulative counts; the cap of 2 keeps the largest.
	assert.Equal(t, uint64(151), r1.TotalLogs)
	assert.Equal(t, 3, r1.UniquePatterns)
	require.Len(t, r1.Patterns, 2)
	assert.Equal(t, signature.Sig(1), r1.Patterns[0].Signature)
	assert.Equal(t, uint64(100), r1.Patterns[0].Count)
	assert.Equal(t, uint64(10), r1.Patterns[0].SampledCount)
	assert.Equal(t, policy.LevelCounts{Info: 45, Error: 5}, r1.Patterns[1].LevelCounts)
	// Second report: deltas 30 (a) and 3 (c); b did not change.
	assert.Equal(t, uint64(33), r2.TotalLogs)
	require.Len(t, r2.Patterns, 2)
	assert.Equal(t, uint64(30), r2.Patterns[0].Count)
	assert.Equal(t, uint64(3), r2.Patterns[0].SampledCount)
	assert.Equal(t, uint64(3), r2.Patterns[1].Count)
	assert.Equal(t, uint64(1), c.Stats().PatternsTruncated)
	assert.Equal(t, uint64(2), c.Stats().Reports)
}

func TestClient_reportFailureKeepsCounts(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	f := &fakeServer{down: true}
	src := &source{}
	c := newTestClient(t, f, client.WithStatsSource(src))
	src.set(policy.PatternStat{Pattern: 1, Template: "a", Seen: 10, Kept: 1})
	require.Error(t, c.Report(context.Background()))
	assert.Equal(t, uint64(1), c.Stats().ReportErrors)
	src.set(policy.PatternStat{Pattern: 1, Template: "a", Seen: 25, Kept: 2})
	f.mu.Lock()
	f.down = false
	f.mu.Unlock()
	require.NoError(t, c.Report(context.Background()))
	f.mu.Lock()
	defer f.mu.Unlock()
	var r policy.StatsReport
	require.NoError(t, json.Unmarshal([]byte(f.reports[len(f.reports)-1]), &r))
	assert.Equal(t, uint64(25), r.TotalLogs, "the failed report's counts are sent with the next")
}

// TestClient_privacy logs messages full of personal data and secrets, and
// checks that none of it reaches the server.
func TestClient_privacy(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	secrets := []string{"alice@example.com", "alice", "10.20.30.40", "bob", "eyJhbGciOiJIUzI1NiJ9", "hunter2", "carol", "sk_live_51HxYzAbCdEfGh", "2001:db8::1", "dave", "AKIAIOSFODNN7EXAMPLE"}
	msgs := []string{
		"login failed for alice@example.com from 10.20.30.40",
		"user bob logged in with token=eyJhbGciOiJIUzI1NiJ9.payload.sig",
		"password=hunter2 rejected for user carol",
		"charge with key sk_live_51HxYzAbCdEfGh from 2001:db8::1",
		"Username: dave, account locked",
		"aws key AKIAIOSFODNN7EXAMPLE rotated",
	}
	src := &source{}
	var stats []policy.PatternStat
	for _, m := range msgs {
		// What a sampler would record: the normalized template.
		stats = append(stats, policy.PatternStat{Pattern: signature.Of(m), Template: signature.Normalize(m), Seen: 1, Kept: 1})
	}
	src.set(stats...)
	f := &fakeServer{}
	f.set(404, "", "")
	c := newTestClient(t, f, client.WithStatsSource(src))
	require.NoError(t, c.Report(context.Background()))
	f.mu.Lock()
	defer f.mu.Unlock()
	require.Len(t, f.reports, 1)
	for _, s := range secrets {
		assert.NotContains(t, f.reports[0], s)
	}
	assert.Contains(t, f.reports[0], "login failed for", "templates stay readable")
}

func FuzzMaskTemplate(f *testing.F) {
	for _, s := range []string{"", "user bob", "a=b c@d", "token=<*>", "x\xffy", "AKIAIOSFODNN7EXAMPLE1", "   ", "user"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := client.MaskTemplate(s)
		if strings.ContainsRune(m, '@') {
			t.Fatalf("MaskTemplate(%q) = %q keeps '@'", s, m)
		}
		if m2 := client.MaskTemplate(m); m2 != m {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, m, m2)
		}
	})
}

func TestMaskTemplate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"user bob logged in", "user <*> logged in"},
		{"token=abc def", "token=<*> def"},
		{"mail to x@y.org", "mail to <*>"},
		{"User: dave left", "User: <*> left"},
		{"key AbCdEf0123456789xyz", "key <*>"},
		{"plain words only", "plain words only"},
		{"", ""},
	}
	for _, test := range tests {
		t.Run(test.in, func(t *testing.T) {
			assert.Equal(t, test.want, client.MaskTemplate(test.in))
		})
	}
}

// TestClient_loop checks the goroutine's schedule on a fake clock: fetches
// every interval (jitter off), exponential backoff after failures, and a
// final report on Shutdown.
func TestClient_loop(t *testing.T) {
	t.Cleanup(func() { leaktest.VerifyNone(t) })
	synctest.Test(t, func(t *testing.T) {
		f := &fakeServer{}
		f.set(200, doc(1, 0.5), `"v1"`)
		src := &source{}
		src.set(policy.PatternStat{Pattern: 1, Template: "a", Seen: 1, Kept: 1})
		c, err := client.New("http://lipservice.test", "api", client.WithHTTPClient(f.client()),
			client.WithInterval(time.Minute), client.WithStatsInterval(10*time.Minute), client.WithJitter(0),
			client.WithBackoff(time.Second, 30*time.Second), client.WithStatsSource(src))
		require.NoError(t, err)
		synctest.Wait()
		assert.Equal(t, uint64(1), c.Stats().Fetches, "fetch at start")
		time.Sleep(5*time.Minute + time.Millisecond)
		synctest.Wait()
		assert.Equal(t, uint64(6), c.Stats().Fetches, "one per minute")
		assert.Equal(t, uint64(5), c.Stats().NotModified)

		// Server down: retries after 1, 2, 4, 8, 16, 30, 30 s.
		f.mu.Lock()
		f.down = true
		f.mu.Unlock()
		time.Sleep(time.Minute) // next regular fetch fails at +1 min
		synctest.Wait()
		base := c.Stats().FetchErrors
		assert.Equal(t, uint64(1), base)
		for i, d := range []time.Duration{1, 2, 4, 8, 16, 30, 30} {
			time.Sleep(d * time.Second)
			synctest.Wait()
			assert.Equal(t, base+uint64(i+1), c.Stats().FetchErrors, "retry %d after %v s", i+1, int(d))
		}
		assert.Equal(t, int64(1), c.Policy().Version, "policy stays while the server is down")
		f.mu.Lock()
		f.down = false
		f.mu.Unlock()
		require.NoError(t, c.Shutdown(context.Background()))
		require.NoError(t, c.Shutdown(context.Background()), "idempotent")
		assert.ErrorIs(t, c.Sync(context.Background()), client.ErrClosed)
		assert.Equal(t, uint64(1), c.Stats().Reports, "final report on Shutdown")
	})
}

package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

// instance is one simulated service process: a sampler, the per-pattern
// counters a stats source needs, and kept/seen tallies by level.
type instance struct {
	s  *sampler.Sampler
	mu sync.Mutex
	ps map[signature.Sig]*policy.PatternStat

	seen, kept  [policy.NumSeverities]int
	decideNanos []int64
}

func newInstance(t *testing.T) *instance {
	s, err := sampler.New()
	require.NoError(t, err)
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return &instance{s: s, ps: map[signature.Sig]*policy.PatternStat{}}
}

func (in *instance) log(at time.Time, level slog.Level, msg string) {
	rec := sampler.Record{Time: at, Level: level, Message: msg}
	start := time.Now()
	d := in.s.Decide(&rec)
	el := time.Since(start).Nanoseconds()
	sev := policy.SeverityIndex(level)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.decideNanos = append(in.decideNanos, el)
	in.seen[sev]++
	p := in.ps[d.Pattern]
	if p == nil {
		p = &policy.PatternStat{Pattern: d.Pattern, Template: signature.Normalize(msg), FirstSeen: at}
		in.ps[d.Pattern] = p
	}
	p.Seen++
	p.LastSeen = at
	switch sev {
	case 0:
		p.Levels.Debug++
	case 1:
		p.Levels.Info++
	case 2:
		p.Levels.Warning++
	case 3:
		p.Levels.Error++
	default:
		p.Levels.Critical++
	}
	if d.Keep {
		in.kept[sev]++
		p.Kept++
	}
}

// PatternStats implements client.StatsSource.
func (in *instance) PatternStats() []policy.PatternStat {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]policy.PatternStat, 0, len(in.ps))
	for _, p := range in.ps {
		out = append(out, *p)
	}
	return out
}

func (in *instance) reset() {
	in.mu.Lock()
	in.seen, in.kept, in.decideNanos = [5]int{}, [5]int{}, nil
	in.mu.Unlock()
}

// workload logs one simulated minute: 3 000 cache hits, 1 000 requests, 30
// session refreshes (rare) and 20 payment errors.
func workload(in *instance, minute time.Time, user string) {
	for i := range 3000 {
		at := minute.Add(time.Duration(i) * 20 * time.Millisecond)
		in.log(at, slog.LevelInfo, "cache hit for key "+strconv.Itoa(i)+" user="+user)
		if i%3 == 0 {
			in.log(at, slog.LevelInfo, "request GET /orders served in "+strconv.Itoa(i%97)+" ms")
		}
		if i%100 == 0 {
			in.log(at, slog.LevelInfo, "session refreshed for user "+user)
		}
		if i%150 == 0 {
			in.log(at, slog.LevelError, "payment failed with code "+strconv.Itoa(400+i%7))
		}
	}
}

// TestEndToEnd: a server, three instances with their own clients. Stats flow
// in, a policy is generated, every instance picks it up, and the kept volume
// falls to the target while errors stay at 100 %.
func TestEndToEnd(t *testing.T) {
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	srv := server.New(st, server.WithScheduleInterval(0), server.WithDefaultKeep(0.1))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	key, _, err := st.CreateKey(context.Background(), 1, "e2e")
	require.NoError(t, err)

	ctx := context.Background()
	var ins []*instance
	var clients []*client.Client
	for i := range 3 {
		in := newInstance(t)
		c, err := client.New(hs.URL, "checkout", client.WithAPIKey(key), client.WithTeamID(1),
			client.WithSetter(in.s), client.WithStatsSource(in), client.WithInterval(time.Hour),
			client.WithCachePath(t.TempDir()+"/policy-"+strconv.Itoa(i)+".json"))
		require.NoError(t, err)
		t.Cleanup(func() { c.Shutdown(context.Background()) })
		ins, clients = append(ins, in), append(clients, c)
	}
	t0 := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	users := []string{"alice", "bob", "carol"}
	// Phase 1: no policy yet (the default keeps everything); report stats.
	for i, in := range ins {
		workload(in, t0, users[i])
		require.NoError(t, clients[i].Report(ctx))
	}
	for i, in := range ins {
		assert.Equal(t, in.seen, in.kept, "instance %d keeps everything before a policy exists", i)
	}
	code, body := post(t, hs.URL+"/api/v1/policies/checkout/generate", key, "")
	require.Equal(t, http.StatusCreated, code, body)

	// Every instance picks the policy up.
	for i, c := range clients {
		require.NoError(t, c.Sync(ctx))
		require.NotNil(t, c.Policy(), "instance %d", i)
		assert.Equal(t, int64(1), c.Policy().Version)
		assert.Equal(t, int64(1), ins[i].s.Policy().Version, "the sampler has it")
	}
	// Phase 2: the same workload under the policy.
	var seen, kept int
	for i, in := range ins {
		in.reset()
		for m := 1; m <= 3; m++ {
			workload(in, t0.Add(time.Duration(m)*time.Minute), users[i])
		}
		assert.Equal(t, in.seen[3], in.kept[3], "instance %d keeps every ERROR", i)
		for sev := range 5 {
			seen += in.seen[sev]
			kept += in.kept[sev]
		}
	}
	frac := float64(kept) / float64(seen)
	t.Logf("kept %d of %d records (%.2f %%) under target 10 %%", kept, seen, 100*frac)
	// The target is 10 %; the sampler's first-N rule (10 records per pattern
	// per 10 s window) adds about 2 points on this workload.
	assert.Greater(t, frac, 0.08)
	assert.Less(t, frac, 0.14)
	// Stats reach the server with masked templates only.
	code, body = get(t, hs.URL+"/api/v1/services/checkout/patterns", key)
	require.Equal(t, http.StatusOK, code)
	for _, u := range users {
		assert.NotContains(t, body, u, "user names never reach the server")
	}
}

func post(t *testing.T, url, key, body string) (int, string) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	return send(t, req)
}

func get(t *testing.T, url, key string) (int, string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, string) {
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func p99(ns []int64) time.Duration {
	s := slices.Clone(ns)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return time.Duration(s[len(s)*99/100])
}

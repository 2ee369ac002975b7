package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

var t0 = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// clock is a settable clock for the server.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// env is a server on one backend with a key for team 1 and one for team 2.
type env struct {
	t      *testing.T
	srv    *server.Server
	st     *store.Store
	clk    *clock
	k1, k2 string
}

func newEnv(t *testing.T, b storetest.Backend, opts ...server.Option) *env {
	t.Helper()
	clk := &clock{t: t0}
	st := storetest.Open(t, b, store.Options{Now: clk.now})
	opts = append([]server.Option{server.WithClock(clk.now), server.WithScheduleInterval(0)}, opts...)
	srv := server.New(st, opts...)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	e := &env{t: t, srv: srv, st: st, clk: clk}
	var err error
	e.k1, _, err = st.CreateKey(context.Background(), 1, "team1")
	require.NoError(t, err)
	e.k2, _, err = st.CreateKey(context.Background(), 2, "team2")
	require.NoError(t, err)
	return e
}

// do sends a request and returns the status, headers and body.
func (e *env) do(method, path, key string, body any, hdr ...string) (int, http.Header, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func errMsg(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal(body, &v), "error bodies are JSON: %s", body)
	require.NotEmpty(t, v.Error, "error body has a message: %s", body)
	return v.Error
}

// report builds a stats report: pattern i has counts[i] INFO records, its
// template "event <*> number i".
func report(service string, team int64, at time.Time, counts ...uint64) policy.StatsReport {
	r := policy.StatsReport{ServiceName: service, TeamID: team, Timestamp: at}
	for i, c := range counts {
		tpl := "event <*> number " + strconv.Itoa(i)
		r.Patterns = append(r.Patterns, policy.PatternReport{
			Signature: signature.OfTemplate(tpl), Template: tpl, Count: c, SampledCount: c,
			FirstSeen: at.Add(-time.Minute), LastSeen: at, LevelCounts: policy.LevelCounts{Info: c},
		})
		r.TotalLogs += c
	}
	r.UniquePatterns = len(r.Patterns)
	return r
}

func TestHealth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		for _, path := range []string{"/healthz", "/health", "/api/v1/health"} {
			code, _, body := e.do("GET", path, "", nil)
			require.Equal(t, http.StatusOK, code, path)
			var v map[string]any
			require.NoError(t, json.Unmarshal(body, &v))
			assert.Equal(t, "ok", v["status"])
			assert.Equal(t, b.Name, v["database"])
		}
		e.st.Close()
		code, _, _ := e.do("GET", "/healthz", "", nil)
		assert.Equal(t, http.StatusServiceUnavailable, code, "closed database")
	})
}

func TestAPI_errors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b, server.WithMaxBodyBytes(1<<10), server.WithMaxPatternsPerReport(3))
		code, _, _ := e.do("POST", "/api/v1/services", e.k1, map[string]any{"name": "api"})
		require.Equal(t, http.StatusCreated, code)
		big := report("api", 1, t0, 1, 2, 3, 4)
		tests := []struct {
			name   string
			method string
			path   string
			key    string
			body   any
			want   int
			msg    string
		}{
			{"no key", "GET", "/api/v1/services", "", nil, 401, "missing api key"},
			{"bad key", "GET", "/api/v1/services", "lsk_wrong", nil, 401, "invalid api key"},
			{"unknown path", "GET", "/api/v1/nope", e.k1, nil, 404, "no such endpoint"},
			{"wrong method", "DELETE", "/api/v1/services/api", e.k1, nil, 405, ""},
			{"bad team_id", "GET", "/api/v1/services?team_id=x", e.k1, nil, 400, "team_id"},
			{"garbage JSON", "POST", "/api/v1/services", e.k1, "{not json", 400, "invalid JSON"},
			{"empty body", "POST", "/api/v1/services", e.k1, "", 400, "empty request body"},
			{"unknown field", "POST", "/api/v1/services", e.k1, `{"name":"x","nope":1}`, 400, "unknown field"},
			{"trailing data", "POST", "/api/v1/services", e.k1, `{"name":"x"} {}`, 400, "trailing"},
			{"body too large", "POST", "/api/v1/patterns/stats", e.k1, `{"service_name":"` + strings.Repeat("a", 2000) + `"}`, 413, "larger than 1024 bytes"},
			{"bad service name", "POST", "/api/v1/services", e.k1, map[string]any{"name": "a b"}, 400, "service name"},
			{"service name dot", "POST", "/api/v1/services", e.k1, map[string]any{"name": "."}, 400, "not '.' or '..'"},
			{"service name dot dot", "POST", "/api/v1/services", e.k1, map[string]any{"name": ".."}, 400, "not '.' or '..'"},
			{"stats service dot dot", "POST", "/api/v1/patterns/stats", e.k1, report("..", 1, t0, 1), 400, "service_name"},
			{"stats service dot", "POST", "/api/v1/patterns/stats", e.k1, report(".", 1, t0, 1), 400, "service_name"},
			{"bad target", "POST", "/api/v1/services", e.k1, map[string]any{"name": "x", "target_keep": 2}, 400, "target_keep"},
			{"duplicate service", "POST", "/api/v1/services", e.k1, map[string]any{"name": "api"}, 409, "already exists"},
			{"missing service", "GET", "/api/v1/services/nope", e.k1, nil, 404, "not found"},
			{"no policy yet", "GET", "/api/v1/policies/api", e.k1, nil, 404, "no policy generated yet"},
			{"generate without stats", "POST", "/api/v1/policies/api/generate", e.k1, nil, 409, "no statistics"},
			{"too many patterns", "POST", "/api/v1/patterns/stats", e.k1, big, 413, "more than 3 patterns"},
			{"stats bad service", "POST", "/api/v1/patterns/stats", e.k1, report("no/slash", 1, t0, 1), 400, "service_name"},
			{"stats bad signature", "POST", "/api/v1/patterns/stats", e.k1, `{"service_name":"api","patterns":[{"signature":"zz"}]}`, 400, "invalid JSON"},
			{"stats negative count", "POST", "/api/v1/patterns/stats", e.k1, `{"service_name":"api","total_logs":-1}`, 400, "invalid JSON"},
			{"bad history limit", "GET", "/api/v1/policies/api/history?limit=0", e.k1, nil, 400, "limit"},
			{"rename", "PUT", "/api/v1/services/api", e.k1, map[string]any{"name": "other"}, 400, "renamed"},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				code, hdr, body := e.do(test.method, test.path, test.key, test.body)
				assert.Equal(t, test.want, code, "body: %s", body)
				if test.msg != "" {
					assert.Contains(t, errMsg(t, body), test.msg)
					assert.Equal(t, "application/json", hdr.Get("Content-Type"))
				}
			})
		}
	})
}

// TestTeamIsolation checks that team 2's key can neither read nor write
// team 1's data, through every endpoint.
func TestTeamIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		code, _, _ := e.do("POST", "/api/v1/services", e.k1, map[string]any{"name": "billing", "target_keep": 0.5})
		require.Equal(t, http.StatusCreated, code)
		code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, report("billing", 1, t0, 1000, 10))
		require.Equal(t, http.StatusAccepted, code, "%s", body)
		code, _, body = e.do("POST", "/api/v1/policies/billing/generate", e.k1, nil)
		require.Equal(t, http.StatusCreated, code, "%s", body)

		tests := []struct {
			name   string
			method string
			path   string
			body   any
			want   int
		}{
			{"read policy by team_id", "GET", "/api/v1/policies/billing?team_id=1", nil, 403},
			{"read policy by name", "GET", "/api/v1/policies/billing", nil, 404},
			{"read history", "GET", "/api/v1/policies/billing/history", nil, 404},
			{"read service", "GET", "/api/v1/services/billing", nil, 404},
			{"read service by team_id", "GET", "/api/v1/services/billing?team_id=1", nil, 403},
			{"read patterns", "GET", "/api/v1/services/billing/patterns", nil, 404},
			{"list services of team 1", "GET", "/api/v1/services?team_id=1", nil, 403},
			{"generate", "POST", "/api/v1/policies/billing/generate", nil, 404},
			{"update targets", "PUT", "/api/v1/services/billing", map[string]any{"target_keep": 0.01}, 404},
			{"write stats as team 1", "POST", "/api/v1/patterns/stats", report("billing", 1, t0, 5), 403},
			{"create service as team 1", "POST", "/api/v1/services", map[string]any{"name": "x", "team_id": 1}, 403},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				code, _, body := e.do(test.method, test.path, e.k2, test.body)
				assert.Equal(t, test.want, code, "body: %s", body)
				assert.NotContains(t, string(body), "event <*>", "no team 1 data leaks")
			})
		}
		// Team 2 listing sees none of team 1's services.
		code, _, body = e.do("GET", "/api/v1/services", e.k2, nil)
		require.Equal(t, http.StatusOK, code)
		assert.JSONEq(t, `{"services":[]}`, string(body))
		// Team 2 writing stats under the same service name creates its own.
		code, _, _ = e.do("POST", "/api/v1/patterns/stats", e.k2, report("billing", 0, t0, 7))
		require.Equal(t, http.StatusAccepted, code)
		// Team 1's data is unchanged: 1000 + 10 records, target 0.5.
		code, _, body = e.do("GET", "/api/v1/services/billing/patterns", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		var ps struct {
			Patterns []struct{ Count int64 } `json:"patterns"`
		}
		require.NoError(t, json.Unmarshal(body, &ps))
		require.Len(t, ps.Patterns, 2)
		assert.Equal(t, int64(1000), ps.Patterns[0].Count)
		svc, err := e.st.Service(context.Background(), 1, "billing")
		require.NoError(t, err)
		assert.InDelta(t, 0.5, svc.TargetKeep, 1e-12)
	})
}

func TestServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		code, hdr, body := e.do("POST", "/api/v1/services", e.k1, map[string]any{"name": "api", "description": "front door", "target_keep": 0.2})
		require.Equal(t, http.StatusCreated, code, "%s", body)
		assert.Equal(t, "/api/v1/services/api", hdr.Get("Location"))
		assert.JSONEq(t, `{"name":"api","team_id":1,"description":"front door","target_keep":0.2,"target_per_second":0,"created_at":"2026-03-14T10:00:00Z"}`, string(body))
		code, _, _ = e.do("POST", "/api/v1/services", e.k1, map[string]any{"name": "worker", "team_id": 1})
		require.Equal(t, http.StatusCreated, code)
		code, _, body = e.do("GET", "/api/v1/services?team_id=1", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		var list struct{ Services []struct{ Name string } }
		require.NoError(t, json.Unmarshal(body, &list))
		require.Len(t, list.Services, 2)
		assert.Equal(t, "api", list.Services[0].Name)
		assert.Equal(t, "worker", list.Services[1].Name)
		code, _, body = e.do("PUT", "/api/v1/services/worker", e.k1, map[string]any{"target_per_second": 25})
		require.Equal(t, http.StatusOK, code, "%s", body)
		assert.Contains(t, string(body), `"target_per_second":25`)

		// PUT stores the description, and replaces every setting: a field
		// left out takes its zero value.
		code, _, body = e.do("PUT", "/api/v1/services/api", e.k1, map[string]any{"description": "edge proxy", "target_keep": 0.3})
		require.Equal(t, http.StatusOK, code, "%s", body)
		assert.JSONEq(t, `{"name":"api","team_id":1,"description":"edge proxy","target_keep":0.3,"target_per_second":0,"created_at":"2026-03-14T10:00:00Z"}`, string(body))
		code, _, body = e.do("GET", "/api/v1/services/api", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		assert.Contains(t, string(body), `"description":"edge proxy"`, "stored, not only echoed")
		code, _, body = e.do("PUT", "/api/v1/services/api", e.k1, map[string]any{"target_per_second": 5})
		require.Equal(t, http.StatusOK, code, "%s", body)
		assert.Contains(t, string(body), `"description":""`, "left out: cleared")
		assert.Contains(t, string(body), `"target_keep":0,`, "left out: cleared")

		long := strings.Repeat("d", 1025)
		for _, method := range []string{"POST", "PUT"} {
			path := "/api/v1/services"
			if method == "PUT" {
				path += "/api"
			}
			code, _, body = e.do(method, path, e.k1, map[string]any{"name": "api", "description": long})
			assert.Equal(t, http.StatusBadRequest, code, method)
			assert.Contains(t, errMsg(t, body), "description must be", method)
		}
		code, _, body = e.do("PUT", "/api/v1/services/api", e.k1, map[string]any{"description": "x", "descripton": "typo"})
		assert.Equal(t, http.StatusBadRequest, code, "unknown fields are still rejected")
		assert.Contains(t, errMsg(t, body), `unknown field "descripton"`)
		code, _, _ = e.do("PUT", "/api/v1/services/nope", e.k1, map[string]any{"description": "x"})
		assert.Equal(t, http.StatusNotFound, code)
	})
}

// TestPolicy_generateAndServe posts stats, generates a policy and fetches it
// with ETag revalidation.
func TestPolicy_generateAndServe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		// Two minutes of stats: 100 000, 1 000 and 10 records per minute.
		for m := range 2 {
			code, _, body := e.do("POST", "/api/v1/patterns/stats?team_id=1", e.k1, report("api", 1, t0.Add(time.Duration(m)*time.Minute), 100000, 1000, 10))
			require.Equal(t, http.StatusAccepted, code, "%s", body)
			assert.JSONEq(t, `{"accepted":3,"overflow":0}`, string(body))
		}
		e.clk.t = t0.Add(2 * time.Minute)
		code, hdr, body := e.do("POST", "/api/v1/policies/api/generate", e.k1, map[string]any{"keep_fraction": 0.01})
		require.Equal(t, http.StatusCreated, code, "%s", body)
		var gen struct {
			Version   int64           `json:"version"`
			ETag      string          `json:"etag"`
			Policy    json.RawMessage `json:"policy"`
			Projected struct {
				KeptFraction float64 `json:"kept_fraction"`
				Savings      float64 `json:"savings"`
			} `json:"projected"`
		}
		require.NoError(t, json.Unmarshal(body, &gen))
		assert.Equal(t, int64(1), gen.Version)
		assert.Equal(t, gen.ETag, hdr.Get("ETag"))
		assert.InDelta(t, 0.01, gen.Projected.KeptFraction, 1e-9)
		assert.InDelta(t, 0.99, gen.Projected.Savings, 1e-9)

		code, hdr, body = e.do("GET", "/api/v1/policies/api?team_id=1", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		etag := hdr.Get("ETag")
		assert.Equal(t, gen.ETag, etag)
		assert.JSONEq(t, string(gen.Policy), string(body))
		p, err := policy.Parse(body)
		require.NoError(t, err, "served policy validates")
		assert.Equal(t, int64(1), p.Version)
		assert.Equal(t, generate.Author, p.GeneratedBy)
		loud := signature.OfTemplate("event <*> number 0")
		assert.Less(t, p.PatternRates[loud], 0.01, "the loud pattern carries the cut")
		_, rare := p.PatternRates[signature.OfTemplate("event <*> number 2")]
		assert.False(t, rare, "the rare pattern is kept in full")

		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			code, _, body = e.do("GET", "/api/v1/policies/api", e.k1, nil, "If-None-Match", inm)
			assert.Equal(t, http.StatusNotModified, code, "If-None-Match: %s", inm)
			assert.Empty(t, body)
		}
		code, _, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil, "If-None-Match", `"v0-stale"`)
		assert.Equal(t, http.StatusOK, code)

		// A second generation makes version 2; history is newest first.
		code, _, _ = e.do("POST", "/api/v1/policies/api/generate", e.k1, nil)
		require.Equal(t, http.StatusCreated, code)
		code, hdr, _ = e.do("GET", "/api/v1/policies/api", e.k1, nil, "If-None-Match", etag)
		assert.Equal(t, http.StatusOK, code, "new version invalidates the old ETag")
		assert.NotEqual(t, etag, hdr.Get("ETag"))
		code, _, body = e.do("GET", "/api/v1/policies/api/history", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		var hist struct {
			Policies []struct {
				Version int64           `json:"version"`
				Policy  json.RawMessage `json:"policy"`
			} `json:"policies"`
		}
		require.NoError(t, json.Unmarshal(body, &hist))
		require.Len(t, hist.Policies, 2)
		assert.Equal(t, int64(2), hist.Policies[0].Version)
		assert.Equal(t, int64(1), hist.Policies[1].Version)

		// Pattern listing shows the rates in force.
		code, _, body = e.do("GET", "/api/v1/services/api/patterns?limit=2", e.k1, nil)
		require.Equal(t, http.StatusOK, code)
		var ps struct {
			Patterns []struct {
				Signature   string  `json:"signature"`
				WindowCount int64   `json:"window_count"`
				Rate        float64 `json:"rate"`
			} `json:"patterns"`
		}
		require.NoError(t, json.Unmarshal(body, &ps))
		require.Len(t, ps.Patterns, 2)
		assert.Equal(t, loud.String(), ps.Patterns[0].Signature)
		assert.Equal(t, int64(200000), ps.Patterns[0].WindowCount)
		// Version 2 used the server default target (keep 10 %).
		assert.Less(t, ps.Patterns[0].Rate, 0.1)
	})
}

// TestGenerate_anomalies checks the server-side flags: a pattern first seen in
// the recent window is new, one whose recent rate is ≥ 5× its earlier rate
// is a spike; both are kept at rate 1.
func TestGenerate_anomalies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b, server.WithRecentWindow(5*time.Minute))
		ctx := context.Background()
		// 20 minutes of history: steady 10 000/min (pattern 0) and 100/min (pattern 1).
		for m := range 20 {
			e.clk.t = t0.Add(time.Duration(m) * time.Minute)
			code, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k1, report("api", 1, t0.Add(time.Duration(m)*time.Minute), 10000, 100))
			require.Equal(t, http.StatusAccepted, code)
		}
		// In the last 5 minutes pattern 1 jumps to 1 000/min and pattern 2 appears.
		for m := 20; m < 25; m++ {
			e.clk.t = t0.Add(time.Duration(m) * time.Minute)
			r := report("api", 1, t0.Add(time.Duration(m)*time.Minute), 10000, 1000, 50)
			r.Patterns[2].FirstSeen = t0.Add(time.Duration(m) * time.Minute)
			code, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k1, r)
			require.Equal(t, http.StatusAccepted, code)
		}
		e.clk.t = t0.Add(25 * time.Minute)
		svc, err := e.st.Service(ctx, 1, "api")
		require.NoError(t, err)
		res, err := e.srv.Generate(ctx, svc, generate.Target{KeepFraction: 0.05})
		require.NoError(t, err)
		kinds := map[string]string{}
		for _, a := range res.Anomalies {
			kinds[a.Template] = a.Kind
		}
		assert.Equal(t, map[string]string{"event <*> number 1": "rate_spike", "event <*> number 2": "new_pattern"}, kinds)
		rates := map[string]float64{}
		for _, r := range res.Generated.Rates {
			rates[r.Template] = r.Rate
		}
		assert.InDelta(t, 1, rates["event <*> number 1"], 1e-12)
		assert.InDelta(t, 1, rates["event <*> number 2"], 1e-12)
		assert.Less(t, rates["event <*> number 0"], 0.05)
		stored, err := e.st.Anomalies(ctx, svc.ID, 0)
		require.NoError(t, err)
		assert.Len(t, stored, 2)
	})
}

func TestRunScheduled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		assert.Equal(t, 0, e.srv.RunScheduled(ctx), "no stats, nothing to do")
		code, _, _ := e.do("POST", "/api/v1/patterns/stats", e.k1, report("a", 1, t0, 5000, 5))
		require.Equal(t, http.StatusAccepted, code)
		code, _, _ = e.do("POST", "/api/v1/patterns/stats", e.k2, report("b", 2, t0, 5000, 5))
		require.Equal(t, http.StatusAccepted, code)
		e.clk.t = t0.Add(time.Minute)
		assert.Equal(t, 2, e.srv.RunScheduled(ctx), "one policy per service with new stats")
		assert.Equal(t, 0, e.srv.RunScheduled(ctx), "no new stats since")
		st := e.srv.Stats()
		assert.Equal(t, uint64(2), st.Generated)
		assert.Equal(t, uint64(3), st.SchedulerRuns)
		assert.Zero(t, st.Errors)
	})
}

// TestRunScheduled_keepsSimilar: a scheduled run stores a new version only
// when the rates move beyond the change threshold or the listed pattern set
// changes; with a negative threshold every run stores one.
func TestRunScheduled_keepsSimilar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		tests := []struct {
			name      string
			threshold float64
			// counts per pattern of the reports of minutes 0 to 3; a
			// scheduled run follows each.
			reports [][]uint64
			want    []int // versions stored by each run
		}{
			{
				name:      "default threshold",
				threshold: server.DefaultRateChangeThreshold,
				reports: [][]uint64{
					{5000, 50, 5},        // first policy: version 1
					{5000, 50, 5},        // same mix: identical rates
					{5500, 50, 5},        // loud pattern +10 % in one minute: its rate moves < 1 %
					{5000, 50, 5, 20000}, // a new chatty pattern enters pattern_rates
				},
				want: []int{1, 0, 0, 1},
			},
			{
				name:      "mix shift",
				threshold: server.DefaultRateChangeThreshold,
				// Two equal chatty patterns, then one of them 9× louder:
				// the quieter one's rate goes from about 0.1 to about 0.25.
				reports: [][]uint64{{5000, 5000, 5}, {45000, 5000, 5}},
				want:    []int{1, 1},
			},
			{
				name:      "negative threshold stores every run",
				threshold: -1,
				reports:   [][]uint64{{5000, 50, 5}, {5000, 50, 5}, {5500, 50, 5}},
				want:      []int{1, 1, 1},
			},
		}
		for _, test := range tests {
			t.Run(test.name, func(t *testing.T) {
				e := newEnv(t, b, server.WithRateChangeThreshold(test.threshold))
				svc := "svc-" + strconv.Itoa(len(test.want))
				var unchanged uint64
				for m, counts := range test.reports {
					at := t0.Add(time.Duration(m) * time.Minute)
					e.clk.t = at
					code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, report(svc, 1, at, counts...))
					require.Equal(t, http.StatusAccepted, code, "%s", body)
					e.clk.t = at.Add(30 * time.Second)
					got := e.srv.RunScheduled(ctx)
					assert.Equal(t, test.want[m], got, "run after minute %d", m)
					if got == 0 {
						unchanged++
					}
				}
				st := e.srv.Stats()
				assert.Equal(t, unchanged, st.Unchanged)
				assert.Zero(t, st.Errors)
				code, _, body := e.do("GET", "/api/v1/policies/"+svc+"/history", e.k1, nil)
				require.Equal(t, http.StatusOK, code)
				var hist struct {
					Policies []struct {
						Version int64 `json:"version"`
					} `json:"policies"`
				}
				require.NoError(t, json.Unmarshal(body, &hist))
				var stored int
				for _, n := range test.want {
					stored += n
				}
				require.Len(t, hist.Policies, stored)
				assert.Equal(t, int64(stored), hist.Policies[0].Version, "versions stay dense")
			})
		}
	})
}

func TestNew_nilStorePanics(t *testing.T) {
	assert.Panics(t, func() { server.New(nil) })
}

func TestShutdown_idempotent(t *testing.T) {
	st := storetest.Open(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)}, store.Options{})
	srv := server.New(st, server.WithScheduleInterval(time.Hour))
	require.NoError(t, srv.Shutdown(context.Background()))
	require.NoError(t, srv.Shutdown(context.Background()))
}

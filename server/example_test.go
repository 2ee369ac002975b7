package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/signature"
)

// A control-plane round trip over HTTP: create a team key (through the
// store, as `lipservice-server keys create` does) and a service, post one
// instance's pattern statistics, generate a policy and fetch it, then
// revalidate it with its ETag. The clock is fixed, so the output (the ETag
// included) is the same on every run.
func Example() {
	dir, err := os.MkdirTemp("", "server-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 14, 10, 5, 0, 0, time.UTC) }
	st, err := store.Open(ctx, filepath.Join(dir, "lipservice.db"), store.Options{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	key, _, err := st.CreateKey(ctx, 1, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := server.New(st, server.WithClock(now), server.WithScheduleInterval(0))
	defer srv.Shutdown(ctx)
	hs := httptest.NewServer(srv)
	defer hs.Close()

	call := func(method, path string, body any, hdr ...string) (*http.Response, []byte) {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, hs.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+key)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	resp, _ := call("POST", "/api/v1/services", map[string]any{"name": "checkout", "target_keep": 0.05})
	fmt.Println("create service:", resp.StatusCode)

	// Five minutes of one instance: a chatty cache pattern, a steady
	// request pattern, a rare one and an error.
	at := now().Add(-5 * time.Minute)
	pat := func(tpl string, info, errs uint64) policy.PatternReport {
		return policy.PatternReport{Signature: signature.OfTemplate(tpl), Template: tpl,
			Count: info + errs, SampledCount: info + errs, FirstSeen: at, LastSeen: now(),
			LevelCounts: policy.LevelCounts{Info: info, Error: errs}}
	}
	rep := policy.StatsReport{ServiceName: "checkout", TeamID: 1, Timestamp: at, Patterns: []policy.PatternReport{
		pat("cache hit for key <*>", 60000, 0),
		pat("GET /orders served in <*> ms", 6000, 0),
		pat("session refreshed for user <*>", 150, 0),
		pat("payment failed with code <*>", 0, 40),
	}}
	for _, p := range rep.Patterns {
		rep.TotalLogs += p.Count
	}
	resp, body := call("POST", "/api/v1/patterns/stats", rep)
	fmt.Println("post stats:", resp.StatusCode, string(bytes.TrimSpace(body)))

	// Generate now (the scheduler would do it every 5 minutes).
	resp, body = call("POST", "/api/v1/policies/checkout/generate", nil)
	var gen struct {
		Version   int64 `json:"version"`
		Projected struct {
			KeptFraction float64 `json:"kept_fraction"`
		} `json:"projected"`
	}
	json.Unmarshal(body, &gen)
	fmt.Printf("generate: %d version %d, projected kept %.3f\n", resp.StatusCode, gen.Version, gen.Projected.KeptFraction)

	// What an instance's client.Client does: fetch, then revalidate.
	resp, body = call("GET", "/api/v1/policies/checkout?team_id=1", nil)
	etag := resp.Header.Get("ETag")
	p, err := policy.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("fetch:", resp.StatusCode, "version", p.Version, "etag", etag)
	for _, tpl := range []string{"cache hit for key <*>", "GET /orders served in <*> ms"} {
		fmt.Printf("  %-30s rate %.4f\n", tpl, p.PatternRates[signature.OfTemplate(tpl)])
	}
	fmt.Println("  errors exempt:", p.Exempt.Levels)
	resp, _ = call("GET", "/api/v1/policies/checkout?team_id=1", nil, "If-None-Match", etag)
	fmt.Println("revalidate:", resp.StatusCode)
	// Output:
	// create service: 201
	// post stats: 202 {"accepted":4,"overflow":0}
	// generate: 201 version 1, projected kept 0.050
	// fetch: 200 version 1 etag "v1-c8064c6c4d38a6f5"
	//   cache hit for key <*>          rate 0.0318
	//   GET /orders served in <*> ms   rate 0.2017
	//   errors exempt: [ERROR CRITICAL]
	// revalidate: 304
}

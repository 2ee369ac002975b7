package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/client"
	"github.com/srex-dev/lipservice-go/signature"
)

// printSetter stands in for the sampler: it receives the policies the
// client puts in force.
type printSetter struct{}

func (printSetter) SetPolicy(p *policy.Policy) error {
	fmt.Println("setter: version", p.Version, "in force")
	return nil
}

// oneStat stands in for the sampler's counters: one pattern whose template
// still holds a user name and an e-mail address.
type oneStat struct{}

func (oneStat) PatternStats() []policy.PatternStat {
	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	tpl := "login ok for user alice email alice@example.com from 10.1.2.3"
	return []policy.PatternStat{{Pattern: signature.OfTemplate(tpl), Template: tpl, Seen: 120, Kept: 12,
		FirstSeen: at, LastSeen: at.Add(time.Minute), Levels: policy.LevelCounts{Info: 120}}}
}

// A Client syncs a service's policy from a LipService server (here a
// stand-in that serves one fixed policy with an ETag) and reports its
// pattern statistics. The first fetch happens when the client starts; Sync
// revalidates with If-None-Match and gets 304. Templates are masked before
// they leave the process.
func ExampleClient() {
	const etag = `"v3-example"`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/policies/{service}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Printf("server: GET %s If-None-Match: %q\n", r.URL.RequestURI(), r.Header.Get("If-None-Match"))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(`{"version": 3, "global_rate": 1, "pattern_rates": {"9f2c1a7e0b3d4c55": 0.01}}`))
	})
	mux.HandleFunc("POST /api/v1/patterns/stats", func(w http.ResponseWriter, r *http.Request) {
		var rep policy.StatsReport
		json.NewDecoder(r.Body).Decode(&rep)
		for _, p := range rep.Patterns {
			fmt.Printf("server: stats for %s: %q count %d sampled %d\n", rep.ServiceName, p.Template, p.Count, p.SampledCount)
		}
		w.WriteHeader(http.StatusAccepted)
	})
	hs := httptest.NewServer(mux)
	defer hs.Close()

	c, err := client.New(hs.URL, "checkout",
		client.WithAPIKey("lsk_example"), client.WithTeamID(1),
		client.WithSetter(printSetter{}), client.WithStatsSource(oneStat{}),
		client.WithInterval(time.Hour), // this example syncs by hand
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := c.Sync(ctx); err != nil {
		fmt.Println(err)
	}
	if err := c.Report(ctx); err != nil {
		fmt.Println(err)
	}
	// Shutdown sends a final report of the counts since the last one:
	// none here.
	if err := c.Shutdown(ctx); err != nil {
		fmt.Println(err)
	}
	st := c.Stats()
	fmt.Printf("client: version %d, %d fetches, %d update, %d not modified, %d report\n",
		st.Version, st.Fetches, st.Updates, st.NotModified, st.Reports)
	// Output:
	// server: GET /api/v1/policies/checkout?team_id=1 If-None-Match: ""
	// setter: version 3 in force
	// server: GET /api/v1/policies/checkout?team_id=1 If-None-Match: "\"v3-example\""
	// server: stats for checkout: "login ok for user <*> email <*> from <*>" count 120 sampled 12
	// client: version 3, 2 fetches, 1 update, 1 not modified, 1 report
}

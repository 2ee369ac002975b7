package server_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestStats_countOverflow posts the largest count the wire format allows,
// 18446744073709551615, in every count field, again and again (the issue's
// reproduction: after 5 such posts SQLite held a REAL and the team's
// dashboard, the patterns list and generation answered 500 for good). One
// report also repeats a signature 1 100 times, so that its merged count
// passes the int64 range within the report. Every page keeps answering and
// the totals stay at store.MaxCount.
func TestStats_countOverflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		const huge = "18446744073709551615" // math.MaxUint64
		pattern := func(tpl string) string {
			return `{"signature":"` + sigOf(tpl) + `","template":"` + tpl + `","count":` + huge + `,"sampled_count":` + huge +
				`,"level_counts":{"DEBUG":` + huge + `,"INFO":` + huge + `,"WARNING":` + huge + `,"ERROR":` + huge + `,"CRITICAL":` + huge + `}}`
		}
		body := func(at time.Time, patterns ...string) string {
			return `{"service_name":"amp","timestamp":"` + at.Format(time.RFC3339) + `","total_logs":` + huge +
				`,"patterns":[` + strings.Join(patterns, ",") + `]}`
		}
		for i := range 6 {
			at := t0.Add(time.Duration(i%2) * time.Minute)
			code, _, resp := e.do("POST", "/api/v1/patterns/stats", e.k1, body(at, pattern("loud <*>"), pattern("other <*>")))
			require.Equal(t, http.StatusAccepted, code, "post %d: %s", i, resp)
		}
		repeated := make([]string, 1100)
		for i := range repeated {
			repeated[i] = pattern("loud <*>")
		}
		for i := range 2 {
			code, _, resp := e.do("POST", "/api/v1/patterns/stats", e.k1, body(t0.Add(time.Minute), repeated...))
			require.Equal(t, http.StatusAccepted, code, "repeated post %d: %s", i, resp)
		}
		e.clk.t = t0.Add(2 * time.Minute)

		code, _, resp := e.do("GET", "/dashboard", e.k1, nil)
		assert.Equal(t, http.StatusOK, code, "dashboard: %.300s", resp)
		code, _, resp = e.do("GET", "/dashboard?service=amp", e.k1, nil)
		assert.Equal(t, http.StatusOK, code, "dashboard of the service: %.300s", resp)
		assert.Contains(t, string(resp), strconv.FormatInt(store.MaxCount, 10), "saturated volume shown")

		code, _, resp = e.do("GET", "/api/v1/services/amp/patterns", e.k1, nil)
		require.Equal(t, http.StatusOK, code, "patterns: %s", resp)
		var pl struct {
			Patterns []struct {
				Template     string `json:"template"`
				Count        int64  `json:"count"`
				SampledCount int64  `json:"sampled_count"`
				WindowCount  int64  `json:"window_count"`
				LevelCounts  struct {
					Error int64 `json:"ERROR"`
				} `json:"level_counts"`
			} `json:"patterns"`
		}
		require.NoError(t, json.Unmarshal(resp, &pl))
		require.Len(t, pl.Patterns, 2)
		for _, p := range pl.Patterns {
			// "other" got 6 posts of 2^53 (the cap on one posted count):
			// 5.4e16, exact; "loud" passed the int64 range and saturated.
			want := int64(6 << 53)
			if p.Template == "loud <*>" {
				want = store.MaxCount
			}
			assert.Equal(t, want, p.Count, p.Template)
			assert.Equal(t, want, p.SampledCount, p.Template)
			assert.Equal(t, want, p.WindowCount, p.Template)
			assert.Equal(t, want, p.LevelCounts.Error, p.Template)
		}

		code, _, resp = e.do("POST", "/api/v1/policies/amp/generate", e.k1, nil)
		require.Equal(t, http.StatusCreated, code, "generate: %s", resp)
		code, _, resp = e.do("GET", "/api/v1/policies/amp", e.k1, nil)
		assert.Equal(t, http.StatusOK, code, "policy: %s", resp)
		code, _, resp = e.do("GET", "/api/v1/services", e.k1, nil)
		assert.Equal(t, http.StatusOK, code, "services: %s", resp)
	})
}

// sigOf returns the signature text of a template.
func sigOf(tpl string) string { return signature.OfTemplate(tpl).String() }

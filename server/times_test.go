package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// TestStats_patternTimes: a pattern's first_seen and last_seen follow the
// rule of the report time. A missing one, one more than a day old or more
// than 5 minutes ahead of the server is replaced by the report time;
// plausible ones are stored as sent (in order).
func TestStats_patternTimes(t *testing.T) {
	now := t0 // the server's clock
	at := now.Add(-30 * time.Second)
	var zero time.Time
	tests := []struct {
		name        string
		reportAt    time.Time
		first, last time.Time
		wantFirst   time.Time
		wantLast    time.Time
	}{
		{"plausible", at, now.Add(-2 * time.Hour), at, now.Add(-2 * time.Hour), at},
		{"skew within 5 minutes", at, at, now.Add(4 * time.Minute), at, now.Add(4 * time.Minute)},
		{"missing", at, zero, zero, at, at},
		{"epoch first seen", at, time.Unix(0, 0), at, at, at},
		{"a year old", at, now.AddDate(-1, 0, 0), now.AddDate(-1, 0, 0), at, at},
		{"far-future last seen", at, at, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), at, at},
		{"both far future", at, now.AddDate(1, 0, 0), now.AddDate(2, 0, 0), at, at},
		{"inverted", at, now.Add(-time.Minute), now.Add(-time.Hour), now.Add(-time.Hour), now.Add(-time.Minute)},
		{"implausible report time too", now.AddDate(0, 0, -3), now.AddDate(0, 0, -3), now.AddDate(0, 0, -3), now, now},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			e := newEnv(t, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(t)})
			r := report("svc", 1, test.reportAt, 10)
			r.Patterns[0].FirstSeen, r.Patterns[0].LastSeen = test.first, test.last
			code, _, body := e.do("POST", "/api/v1/patterns/stats", e.k1, r)
			require.Equal(t, http.StatusAccepted, code, "%s", body)
			code, _, body = e.do("GET", "/api/v1/services/svc/patterns", e.k1, nil)
			require.Equal(t, http.StatusOK, code, "%s", body)
			var got struct {
				Patterns []struct {
					FirstSeen time.Time `json:"first_seen"`
					LastSeen  time.Time `json:"last_seen"`
				} `json:"patterns"`
			}
			require.NoError(t, json.Unmarshal(body, &got))
			require.Len(t, got.Patterns, 1)
			assert.Equal(t, test.wantFirst.UTC(), got.Patterns[0].FirstSeen, "first_seen")
			assert.Equal(t, test.wantLast.UTC(), got.Patterns[0].LastSeen, "last_seen")
		})
	}
}

package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// BenchmarkDashboard renders the dashboard of a team with many services on
// SQLite, each with one stats report in the window. The service table is
// one query whatever the number of services; the per-op time grows only
// with the rows rendered.
func BenchmarkDashboard(b *testing.B) {
	for _, n := range []int{100, 3000} {
		b.Run(strconv.Itoa(n)+"-services", func(b *testing.B) {
			ctx := context.Background()
			now := time.Now()
			st := storetest.Open(b, storetest.Backend{Name: "sqlite", DSN: storetest.SQLiteDSN(b)}, store.Options{MaxServicesPerTeam: -1})
			srv := server.New(st, server.WithScheduleInterval(0))
			b.Cleanup(func() { srv.Shutdown(ctx) })
			key, _, err := st.CreateKey(ctx, 1, "bench")
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				_, err := st.RecordStats(ctx, 1, store.Report{Service: "svc-" + strconv.Itoa(i), Time: now, TotalLogs: 100,
					Patterns: []store.PatternCount{{Signature: "00000000000000aa", Template: "t", Count: 100, Sampled: 10}}})
				if err != nil {
					b.Fatal(err)
				}
			}
			req := httptest.NewRequest("GET", "/dashboard", nil)
			req.Header.Set("Authorization", "Bearer "+key)
			var code int
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				code = rec.Code
			}
			if code != http.StatusOK {
				b.Fatalf("status %d", code)
			}
		})
	}
}

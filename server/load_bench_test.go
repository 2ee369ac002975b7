package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/server"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/server/store/storetest"
)

// BenchmarkServer_PostStats posts stats reports (50 patterns each, from 20
// services) over HTTP against each backend. 1 000 instances reporting once a
// minute is 16.7 requests/s; req/s and p99-ms say how far above that the
// server is on this machine.
func BenchmarkServer_PostStats(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			dsn := storetest.SQLiteDSN(b)
			if name == "postgres" {
				dsn = storetest.PostgresDSN(b)
			}
			st := storetest.Open(b, storetest.Backend{Name: name, DSN: dsn}, store.Options{})
			srv := server.New(st, server.WithScheduleInterval(0))
			b.Cleanup(func() { srv.Shutdown(context.Background()) })
			hs := httptest.NewServer(srv)
			b.Cleanup(hs.Close)
			key, _, err := st.CreateKey(context.Background(), 1, "load")
			if err != nil {
				b.Fatal(err)
			}
			bodies := make([][]byte, 20)
			for i := range bodies {
				counts := make([]uint64, 50)
				for j := range counts {
					counts[j] = uint64(1000 / (j + 1))
				}
				r := report("svc-"+strconv.Itoa(i), 1, time.Now(), counts...)
				bodies[i], _ = json.Marshal(r)
			}
			var mu sync.Mutex
			var lat []int64
			var n int
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var local []int64
				i := 0
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, hs.URL+"/api/v1/patterns/stats", bytes.NewReader(bodies[i%len(bodies)]))
					req.Header.Set("Authorization", "Bearer "+key)
					start := time.Now()
					resp, err := hs.Client().Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusAccepted {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
					local = append(local, time.Since(start).Nanoseconds())
					i++
				}
				mu.Lock()
				lat = append(lat, local...)
				n += len(local)
				mu.Unlock()
			})
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(p99(lat))/1e6, "p99-ms")
		})
	}
}

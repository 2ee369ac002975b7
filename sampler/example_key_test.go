package sampler_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// A custom sampling key: records are sampled per message and route, so
// that the first N of each route are kept, where the template key would
// count every route's "request served" together. The key is built with
// signature.OfTemplate and signature.WithKey, which do not allocate.
func ExampleWithKey() {
	byRoute := func(_ slog.Level, msg string, attrs []sampler.Attr) signature.Sig {
		k := signature.OfTemplate(msg)
		for _, a := range attrs {
			if a.Key == "route" {
				k = signature.WithKey(k, a.Value)
			}
		}
		return k
	}
	s, err := sampler.New(
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(2)}),
		sampler.WithKey(byRoute),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	kept := map[string]int{}
	for range 100 {
		for _, route := range []string{"/health", "/login", "/orders"} {
			r := sampler.Record{Time: at, Level: slog.LevelInfo, Message: "request served",
				Attrs: []sampler.Attr{{Key: "route", Value: route}}}
			if s.Decide(&r).Keep {
				kept[route]++
			}
		}
	}
	fmt.Println(kept)
	st := s.Stats()
	fmt.Println(len(st.Patterns), "keys,", st.Seen, "seen,", st.Kept, "kept")
	// Output:
	// map[/health:2 /login:2 /orders:2]
	// 3 keys, 300 seen, 6 kept
}

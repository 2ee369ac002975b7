package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/srex-dev/lipservice-go/server/store"
)

// Example opens a SQLite store, records a stats report and stores a policy.
func Example() {
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "lipservice.db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	res, _ := s.RecordStats(ctx, 1, store.Report{Service: "checkout", Time: at, TotalLogs: 120, Patterns: []store.PatternCount{
		{Signature: "3f2a9c0d11e4b7a5", Template: "charged card <*>", Count: 120, Sampled: 12, Levels: store.Levels{Info: 120}},
	}})
	p, _ := s.AddPolicy(ctx, store.PolicyRecord{ServiceID: res.ServiceID, Version: 1, Body: []byte(`{"global_rate":1,"version":1}`)})
	svc, _ := s.Service(ctx, 1, "checkout")
	fmt.Println(svc.Name, p.Version, p.ETag)
	// Output:
	// checkout 1 "v1-4a65b29fb1467c41"
}

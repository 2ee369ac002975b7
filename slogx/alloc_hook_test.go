//go:build !race

package slogx_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// A hook that does not allocate adds no allocation to Handle, kept or
// dropped, with and without the sampler reading attributes.
func TestHandle_allocsWithHook(t *testing.T) {
	dropped := 0
	hook := func(_ context.Context, _ slog.Record, d sampler.Decision) {
		if !d.Keep {
			dropped++
		}
	}
	for _, attrKeys := range []bool{false, true} {
		s, err := sampler.New(sampler.WithPolicy(policy.Uniform(0.5)), sampler.WithAttrKeys(attrKeys))
		if err != nil {
			t.Fatal(err)
		}
		h := slogx.New(nopHandler{}, s, slogx.WithHook(hook), slogx.WithRateKey(""))
		ctx := context.Background()
		r := slog.NewRecord(time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC), slog.LevelInfo, "request served", 0)
		r.AddAttrs(slog.String("method", "GET"), slog.Int("status", 200))
		_ = h.Handle(ctx, r)
		allocs := testing.AllocsPerRun(1000, func() { _ = h.Handle(ctx, r) })
		if allocs != 0 {
			t.Errorf("attr keys %v: %v allocs per record, want 0", attrKeys, allocs)
		}
		_ = s.Shutdown(ctx)
	}
	if dropped == 0 {
		t.Error("the hook saw no dropped record")
	}
}

//go:build !race

package sampler_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestDecideAllocs pins Decide at zero allocations per record in steady
// state (within a window), for every rule.
func TestDecideAllocs(t *testing.T) {
	closed := valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { return false })
	open := valveFunc(func(signature.Sig, string, slog.Level, time.Time) bool { return true })
	printf := printfRecords(4096) // cache misses: more records than runs
	tests := []struct {
		name string
		opts []sampler.Option
		recs []sampler.Record
	}{
		{"constant uniform", []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1))},
			[]sampler.Record{{Time: t0, Message: "request handled", Attrs: []sampler.Attr{{Key: "method"}, {Key: "status"}}}}},
		{"printf uniform", []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1))}, printf},
		{"no cache", []sampler.Option{sampler.WithSignatureCache(false)}, printf},
		{"default first-N", nil, []sampler.Record{{Time: t0, Message: "request handled"}}},
		{"zero time uses clock", []sampler.Option{sampler.WithClock(&fakeClock{t: t0})}, []sampler.Record{{Message: "request handled"}}},
		{"trace id", []sampler.Option{sampler.WithPolicy(policy.Uniform(0.5))},
			[]sampler.Record{{Time: t0, Message: "request handled", TraceID: [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}},
		{"valve closed", []sampler.Option{sampler.WithValve(closed), sampler.WithPolicy(policy.Uniform(0.1))}, printf},
		{"valve open boost", []sampler.Option{sampler.WithValve(open),
			sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.1), AnomalyBoost: 2})}, printf},
		{"pattern and exemptions", []sampler.Option{sampler.WithPolicy(&policy.Policy{
			PatternRates: map[signature.Sig]float64{signature.Of("x"): 0.5},
			Exempt:       &policy.Exemptions{Levels: []string{"ERROR"}, Attrs: []policy.AttrMatch{{Key: "audit", Value: "yes"}}}})},
			[]sampler.Record{{Time: t0, Message: "request handled", Attrs: []sampler.Attr{{Key: "audit", Value: "no"}}}}},
		{"adaptive", []sampler.Option{sampler.WithPolicy(&policy.Policy{TargetPerSecond: 10})}, printf},
		{"value keys", []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1)), sampler.WithValueKeys("status", "method")},
			[]sampler.Record{{Time: t0, Message: "request handled", Attrs: []sampler.Attr{{Key: "method", Value: "GET"}, {Key: "status", Value: "200"}, {Key: "path", Value: "/a"}}},
				{Time: t0, Message: "request handled", Attrs: []sampler.Attr{{Key: "status", Value: "503"}, {Key: "method", Value: "POST"}}}}},
		{"value keys no cache", []sampler.Option{sampler.WithSignatureCache(false), sampler.WithValueKeys("status")},
			[]sampler.Record{{Time: t0, Message: "request handled", Attrs: []sampler.Attr{{Key: "status", Value: "404"}}}}},
		{"dry run with summary", []sampler.Option{sampler.WithPolicy(&policy.Policy{DryRun: true}),
			sampler.WithSummary(func(sampler.Summary) {})}, printf},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			s, err := sampler.New(test.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Shutdown(context.Background())
			s.Decide(&test.recs[0]) // the pattern is known
			i := 0
			allocs := testing.AllocsPerRun(1000, func() {
				s.Decide(&test.recs[i%len(test.recs)])
				i++
			})
			if allocs != 0 {
				t.Errorf("Decide: %v allocs per record, want 0", allocs)
			}
			var d sampler.Decision
			allocs = testing.AllocsPerRun(1000, func() {
				s.DecideInto(&test.recs[i%len(test.recs)], &d)
				i++
			})
			if allocs != 0 {
				t.Errorf("DecideInto: %v allocs per record, want 0", allocs)
			}
		})
	}
}

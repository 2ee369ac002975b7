//go:build !race

package sampler_test

import (
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// TestDecideAllocs_hookAndKey pins Decide at zero allocations per record
// with a hook and with a key function that do not allocate.
func TestDecideAllocs_hookAndKey(t *testing.T) {
	var n atomic.Uint64
	hook := func(_ sampler.Record, d sampler.Decision) {
		if d.Keep {
			n.Add(1)
		}
	}
	key := func(l slog.Level, msg string, attrs []sampler.Attr) signature.Sig {
		k := signature.OfTemplate(msg)
		for _, a := range attrs {
			if a.Key == "route" {
				k = signature.WithKey(k, a.Value)
			}
		}
		return k
	}
	printf := printfRecords(4096)
	routed := []sampler.Record{{Time: t0, Message: "served", Attrs: []sampler.Attr{{Key: "route", Value: "/a"}}}}
	tests := []struct {
		name string
		opts []sampler.Option
		recs []sampler.Record
	}{
		{"hook", []sampler.Option{sampler.WithHook(hook)}, printf},
		{"hook disabled", []sampler.Option{sampler.WithHook(hook)}, nil},
		{"key", []sampler.Option{sampler.WithKey(key)}, routed},
		{"key and hook", []sampler.Option{sampler.WithKey(key), sampler.WithHook(hook)}, routed},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			s := newSampler(t, append(test.opts, sampler.WithPolicy(policy.Uniform(0.1)))...)
			recs := test.recs
			if recs == nil {
				s.Disable()
				recs = printf
			}
			s.Decide(&recs[0])
			i := 0
			allocs := testing.AllocsPerRun(1000, func() {
				s.Decide(&recs[i%len(recs)])
				i++
			})
			if allocs != 0 {
				t.Errorf("Decide: %v allocs per record, want 0", allocs)
			}
		})
	}
	if n.Load() == 0 {
		t.Error("the hook saw no kept record")
	}
}

package sampler_test

import (
	"log/slog"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// BenchmarkSampler_DecideHook measures Decide of a constant message at rate
// 0.1 without a hook, with a counting hook and with a key function, in one
// run, so that the rows compare as ratios (zap's BenchmarkSampler_Check
// and _CheckWithHook).
func BenchmarkSampler_DecideHook(b *testing.B) {
	var kept, dropped int
	hook := func(_ sampler.Record, d sampler.Decision) {
		if d.Keep {
			kept++
		} else {
			dropped++
		}
	}
	key := func(l slog.Level, msg string, _ []sampler.Attr) signature.Sig { return signature.OfTemplate(msg) }
	cases := []struct {
		name string
		opts []sampler.Option
	}{
		{"no-hook", nil},
		{"hook", []sampler.Option{sampler.WithHook(hook)}},
		{"key", []sampler.Option{sampler.WithKey(key)}},
	}
	r := sampler.Record{Time: benchTime, Level: slog.LevelInfo, Message: "request handled"}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			kept, dropped = 0, 0
			s := newBenchSampler(b, policy.Uniform(0.1), bc.opts...)
			s.Decide(&r)
			b.ReportAllocs()
			for b.Loop() {
				benchSink = s.Decide(&r)
			}
			if bc.name == "hook" && kept+dropped < b.N {
				b.Fatalf("the hook saw %d of %d records", kept+dropped, b.N)
			}
		})
	}
}

package sampler_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// FuzzDecide checks that Decide never panics on any message, level, time or
// trace ID, that its rate is a probability, that the pattern does not
// depend on the cache, and that a decision at rate 1 keeps the record.
func FuzzDecide(f *testing.F) {
	for _, seed := range []struct {
		msg   string
		level int
		nanos int64
		key   string
		trace uint64
	}{
		{"request handled", 0, 0, "method", 0},
		{printf120, 4, 1e18, "", 42},
		{"", -8, -1, "", 0},
		{"\xff\xfe invalid utf8 <*> 12:34", 12, 1 << 62, "k", 1 << 63},
		{"user=alice@example.com id=550e8400-e29b-41d4-a716-446655440000", 8, -1 << 62, "user", ^uint64(0)},
	} {
		f.Add(seed.msg, seed.level, seed.nanos, seed.key, seed.trace)
	}
	pol := &policy.Policy{GlobalRate: new(0.5), SeverityRates: map[string]float64{"DEBUG": 0.1}, TargetPerSecond: 5,
		Exempt: &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "k"}}}}
	s1, err := sampler.New(sampler.WithPolicy(pol), sampler.WithMaxPatterns(16))
	if err != nil {
		f.Fatal(err)
	}
	s2, err := sampler.New(sampler.WithPolicy(pol), sampler.WithSignatureCache(false))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg string, level int, nanos int64, key string, trace uint64) {
		r := &sampler.Record{Time: time.Unix(0, nanos), Level: slog.Level(level), Message: msg}
		if key != "" {
			r.Attrs = []sampler.Attr{{Key: key, Value: msg}}
		}
		for i := range 8 {
			r.TraceID[8+i] = byte(trace >> (8 * i))
		}
		d1, d2 := s1.Decide(r), s2.Decide(r)
		if !(d1.Rate >= 0 && d1.Rate <= 1) {
			t.Fatalf("rate %v outside [0, 1]", d1.Rate)
		}
		if d1.Rate == 1 && !d1.Keep {
			t.Fatalf("dropped at rate 1: %+v", d1)
		}
		if d1.Pattern != d2.Pattern {
			t.Fatalf("pattern %v with the cache, %v without", d1.Pattern, d2.Pattern)
		}
		if d1.Reason == sampler.ReasonUnknown || d1.Reason == sampler.ReasonError {
			t.Fatalf("unexpected reason %v", d1.Reason)
		}
	})
}

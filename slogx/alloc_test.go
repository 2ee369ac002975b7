//go:build !race

package slogx_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// nopHandler accepts everything and allocates nothing, so that the
// allocations measured are slogx's own.
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }

// The hot path allocates nothing in steady state, whether the record is
// dropped, kept, or kept with the rate attribute (below slog's 5 inline
// attributes), with and without groups, and whether the sampler reads the
// attributes (keys in the pattern) or not. Skipped under -race, which
// instruments allocations.
func TestHandle_allocs(t *testing.T) {
	tests := []struct {
		name   string
		policy *policy.Policy
		trace  [16]byte
		group  bool
		nAttrs int
	}{
		{name: "dropped", policy: policy.Uniform(0.5), trace: dropID, nAttrs: 3},
		{name: "kept keep-all", policy: policy.KeepAll(), nAttrs: 3},
		{name: "kept with rate", policy: policy.Uniform(0.5), trace: keepID, nAttrs: 4},
		{name: "dropped in groups", policy: policy.Uniform(0.5), trace: dropID, group: true, nAttrs: 4},
		{name: "kept with rate in groups", policy: policy.Uniform(0.5), trace: keepID, group: true, nAttrs: 4},
		{name: "dropped, many attrs", policy: policy.Uniform(0.5), trace: dropID, nAttrs: 20},
	}
	for _, keys := range []bool{false, true} {
		for _, test := range tests {
			name := test.name
			if keys {
				name += ", keys read"
			}
			t.Run(name, func(t *testing.T) {
				testHandleAllocs(t, test.policy, test.trace, test.group, test.nAttrs, keys)
			})
		}
	}
}

func testHandleAllocs(t *testing.T, p *policy.Policy, trace [16]byte, group bool, nAttrs int, keys bool) {
	var h slog.Handler = slogx.New(nopHandler{}, newSampler(t, p, sampler.WithAttrKeys(keys)), slogx.WithTraceID(traceFromContext))
	r := slog.NewRecord(t0, slog.LevelInfo, "cache miss for key", 0)
	if group {
		h = h.WithGroup("req").WithAttrs([]slog.Attr{slog.String("id", "42")}).WithGroup("db")
		r.AddAttrs(slog.Group("conn", slog.String("host", "db1"), slog.Int("port", 5432)))
	}
	for i := r.NumAttrs(); i < nAttrs; i++ {
		r.AddAttrs(slog.String(string(rune('a'+i)), "v"))
	}
	ctx := withTrace(context.Background(), trace)
	got := testing.AllocsPerRun(1000, func() { _ = h.Handle(ctx, r) })
	if got != 0 {
		t.Errorf("allocs per Handle = %v, want 0", got)
	}
}

// Over the JSON handler, slogx adds no allocation to a kept record.
func TestHandle_allocsOverJSON(t *testing.T) {
	bare := slog.New(slog.NewJSONHandler(discard{}, nil))
	wrapped := slog.New(slogx.New(slog.NewJSONHandler(discard{}, nil), newSampler(t, policy.KeepAll())))
	log := func(l *slog.Logger) func() {
		return func() {
			l.LogAttrs(context.Background(), slog.LevelInfo, "request served", slog.String("path", "/api"), slog.Int("status", 200))
		}
	}
	want := testing.AllocsPerRun(1000, log(bare))
	if got := testing.AllocsPerRun(1000, log(wrapped)); got != want {
		t.Errorf("allocs per kept record = %v, bare JSON handler = %v", got, want)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Over the JSON handler, a kept record with the rate attribute costs no
// allocation once its weight has a derived handler: the JSON handler
// formats a float64 attribute of a record with encoding/json, which
// allocates.
func TestHandle_allocsOverJSONWithRate(t *testing.T) {
	l := slog.New(slogx.New(slog.NewJSONHandler(discard{}, nil), newSampler(t, policy.Uniform(0.5)), slogx.WithTraceID(traceFromContext)))
	ctx := withTrace(context.Background(), keepID)
	log := func() {
		l.LogAttrs(ctx, slog.LevelInfo, "request served", slog.String("path", "/api"), slog.Int("status", 200))
	}
	for range 1000 { // the weight gets its derived handler
		log()
	}
	if got := testing.AllocsPerRun(1000, log); got != 0 {
		t.Errorf("allocs per kept record with rate = %v, want 0", got)
	}
}

// With value keys (sampler.WithValueKeys), the text of number and bool
// values is written into the pooled scratch: Handle still allocates
// nothing, in and outside groups and in WithAttrs context.
func TestHandle_allocsValueKeys(t *testing.T) {
	s := newSampler(t, policy.Uniform(0.5), sampler.WithValueKeys("status", "method", "retry", "ratio", "conn.port"))
	var h slog.Handler = slogx.New(nopHandler{}, s, slogx.WithTraceID(traceFromContext))
	h = h.WithAttrs([]slog.Attr{slog.Int("status", 503), slog.Float64("ratio", 0.25)})
	// Four attributes: a kept record below slog's 5 inline ones gets its
	// rate attribute without allocating (see TestHandle_allocs).
	r := slog.NewRecord(t0, slog.LevelInfo, "request served", 0)
	r.AddAttrs(slog.Int("status", 200), slog.String("method", "GET"), slog.Bool("retry", true),
		slog.Group("conn", slog.Int("port", 5432)))
	for _, trace := range [][16]byte{dropID, keepID} {
		ctx := withTrace(context.Background(), trace)
		if got := testing.AllocsPerRun(1000, func() { _ = h.Handle(ctx, r) }); got != 0 {
			t.Errorf("allocs per Handle with value keys = %v, want 0", got)
		}
	}
}

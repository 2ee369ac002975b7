//go:build !race

package otelx_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

// nopProcessor accepts everything and allocates nothing, so that the
// allocations measured are otelx's own.
type nopProcessor struct{}

func (nopProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (nopProcessor) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (nopProcessor) Shutdown(context.Context) error                         { return nil }
func (nopProcessor) ForceFlush(context.Context) error                       { return nil }

// OnEmit allocates nothing in steady state, whether the record is dropped,
// kept, or kept with the rate attribute, except, when the sampler reads
// attributes (here: keys in the pattern), one allocation per map attribute,
// which attribute.Value.AsMap copies. Skipped under -race, which
// instruments allocations.
func TestOnEmit_allocs(t *testing.T) {
	attrs := []attribute.KeyValue{
		attribute.String("path", "/api"), attribute.Int("status", 200), attribute.String("user", "ann"),
	}
	withMaps := append(attrs[:2:2], attribute.Map("req", attribute.String("id", "7"), attribute.Map("db", attribute.String("host", "db1"))))
	tests := []struct {
		name   string
		policy *policy.Policy
		trace  [16]byte
		attrs  []attribute.KeyValue
		keys   bool // sampler.WithAttrKeys
		want   float64
	}{
		{name: "dropped", policy: policy.Uniform(0.5), trace: dropID, attrs: attrs},
		{name: "kept keep-all", policy: policy.KeepAll(), attrs: attrs},
		{name: "kept with rate", policy: policy.Uniform(0.5), trace: keepID, attrs: attrs},
		{name: "dropped, two maps, not read", policy: policy.Uniform(0.5), trace: dropID, attrs: withMaps},
		{name: "dropped, keys read", policy: policy.Uniform(0.5), trace: dropID, attrs: attrs, keys: true},
		{name: "dropped, two maps read", policy: policy.Uniform(0.5), trace: dropID, attrs: withMaps, keys: true, want: 2},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			ctx := withTrace(context.Background(), test.trace)
			p := otelx.NewProcessor(nopProcessor{}, newSampler(t, test.policy, sampler.WithAttrKeys(test.keys)))
			base := capture(t, ctx, otellog.SeverityInfo, "request served", test.attrs...)
			var r sdklog.Record
			got := testing.AllocsPerRun(1000, func() {
				r = base // a fresh copy each time: the rate attribute goes on r
				_ = p.OnEmit(ctx, &r)
			})
			if got != test.want {
				t.Errorf("allocs per OnEmit = %v, want %v", got, test.want)
			}
		})
	}
}

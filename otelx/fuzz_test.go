package otelx_test

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"

	"github.com/srex-dev/lipservice-go/otelx"
	"github.com/srex-dev/lipservice-go/policy"
)

// FuzzOnEmit feeds arbitrary bodies, keys and values through the processor.
// Properties: no panic; with a keep-all policy the record reaches the
// downstream with its body; with an exemption on the flattened key of a map
// attribute, a drop-all policy still keeps the record.
func FuzzOnEmit(f *testing.F) {
	f.Add("request served", "req", "path", "/api")
	f.Add("", "", "", "")
	f.Add("ünïcödé", "g.h", "ключ", "v\x00\xff")
	f.Add(strings.Repeat("x", 300), strings.Repeat("g", 300), "k", "v")
	keepAll := newSampler(f, policy.KeepAll())
	f.Fuzz(func(t *testing.T, body, group, key, val string) {
		ctx := context.Background()
		var down fakeProcessor
		emit(t, otelx.NewProcessor(&down, keepAll), ctx, otellog.SeverityInfo, body,
			attribute.String(key, val), attribute.Map(group, attribute.String(key, val)))
		got := down.got()
		if len(got) != 1 || got[0].Body().AsString() != body {
			t.Fatalf("keep-all: got %d records", len(got))
		}

		if key == "" || group == "" || len(group)+len(key) > 200 {
			return
		}
		p := policy.Uniform(0)
		p.Exempt = &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: group + "." + key, Value: val}}}
		var down2 fakeProcessor
		emit(t, otelx.NewProcessor(&down2, newSampler(t, p)), ctx, otellog.SeverityInfo, body,
			attribute.Map(group, attribute.String(key, val)))
		if len(down2.got()) != 1 {
			t.Fatalf("record with exempt attribute %q=%q was dropped", group+"."+key, val)
		}
	})
}

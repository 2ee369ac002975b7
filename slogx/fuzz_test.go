package slogx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/slogx"
)

// FuzzHandle feeds arbitrary messages, group names, keys and values through
// the handler. Properties: no panic; with a keep-all policy exactly one
// valid JSON record comes out, with the message intact; with an exemption on
// the group-qualified key, a drop-all policy still keeps the record.
func FuzzHandle(f *testing.F) {
	f.Add("request served", "req", "path", "/api")
	f.Add("", "", "", "")
	f.Add("user 42 logged in", "a.b", "k.k", "v\x00\xff")
	f.Add("ünïcödé", "g", "ключ", "値")
	f.Add(string(bytes.Repeat([]byte("x"), 300)), string(bytes.Repeat([]byte("g"), 300)), "k", "v")
	keepAll := newSampler(f, policy.KeepAll())
	f.Fuzz(func(t *testing.T, msg, group, key, val string) {
		var buf bytes.Buffer
		h := slog.Handler(slogx.New(slog.NewJSONHandler(&buf, nil), keepAll))
		h = h.WithGroup(group).WithAttrs([]slog.Attr{slog.String(key, val)})
		r := slog.NewRecord(t0, slog.LevelInfo, msg, 0)
		r.AddAttrs(slog.String(key, val), slog.Group(group, slog.String(key, val)))
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("output %q: %v", buf.Bytes(), err)
		}
		if bytes.Count(buf.Bytes(), []byte("\n")) != 1 {
			t.Fatalf("want one line, got %q", buf.Bytes())
		}

		if key == "" || group == "" || len(group)+len(key) > 200 {
			return
		}
		p := policy.Uniform(0)
		p.Exempt = &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: group + "." + key, Value: val}}}
		buf.Reset()
		h = slogx.New(slog.NewJSONHandler(&buf, nil), newSampler(t, p)).WithGroup(group)
		r = slog.NewRecord(t0, slog.LevelInfo, msg, 0)
		r.AddAttrs(slog.String(key, val))
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if buf.Len() == 0 {
			t.Fatalf("record with exempt attribute %q=%q was dropped", group+"."+key, val)
		}
	})
}

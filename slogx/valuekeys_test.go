package slogx_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
	"github.com/srex-dev/lipservice-go/slogx"
)

// TestHandler_valueKeys checks that slogx passes the values of the
// sampler's value keys (sampler.WithValueKeys) as text, numbers and bools
// included, so that they enter the pattern as "key=value": the expected
// signatures are built with the signature package's functions from the
// text slog's TextHandler writes for each value.
func TestHandler_valueKeys(t *testing.T) {
	const msg = "request served"
	fold := func(keys ...string) signature.Sig {
		s := signature.Of(msg)
		for _, k := range keys {
			s = signature.WithKey(s, k)
		}
		return s
	}
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want signature.Sig
	}{
		{"int", func(l *slog.Logger) { l.Info(msg, "status", 200, "path", "/a") }, fold("status=200", "path")},
		{"string", func(l *slog.Logger) { l.Info(msg, "status", "200", "path", "/b") }, fold("status=200", "path")},
		{"other int", func(l *slog.Logger) { l.Info(msg, "status", 503) }, fold("status=503")},
		{"uint and bool", func(l *slog.Logger) { l.Info(msg, slog.Uint64("status", 404), slog.Bool("retry", true)) }, fold("status=404", "retry=true")},
		{"float", func(l *slog.Logger) { l.Info(msg, "ratio", 0.25) }, fold("ratio=0.25")},
		{"key case", func(l *slog.Logger) { l.Info(msg, "STATUS", 201) }, fold("STATUS=201")},
		{"big float", func(l *slog.Logger) { l.Info(msg, "ratio", 3e21) }, fold("ratio=3e+21")},
		{"duration has no text", func(l *slog.Logger) { l.Info(msg, "status", 3*time.Second) }, fold("status=")},
		{"group", func(l *slog.Logger) { l.Info(msg, slog.Group("http", slog.Int("status", 500))) }, fold("http.status=500")},
		{"with attrs", func(l *slog.Logger) { l.With("status", 302).Info(msg, "path", "/c") }, fold("status=302", "path")},
		{"with group", func(l *slog.Logger) { l.WithGroup("http").Info(msg, "status", 204) }, fold("http.status=204")},
		{"not a value key", func(l *slog.Logger) { l.Info(msg, "code", 200) }, fold("code")},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var got []signature.Sig
			s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithPatternMining(false),
				sampler.WithValueKeys("status", "retry", "ratio", "http.status"),
				sampler.WithHook(func(_ sampler.Record, d sampler.Decision) { got = append(got, d.Signature) }))
			require.NoError(t, err)
			defer s.Shutdown(context.Background())
			test.log(slog.New(slogx.New(slog.NewJSONHandler(io.Discard, nil), s)))
			require.Len(t, got, 1)
			assert.Equal(t, test.want, got[0])
		})
	}
}

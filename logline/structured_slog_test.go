package logline_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// A record logged in-process through slogx and the same record written by
// slog's JSONHandler (or TextHandler) and read back from the file get the
// same signature and, through the sampler's pattern layer, the same pattern
// ID.
func TestParser_SameIDAsSlogx(t *testing.T) {
	logs := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"plain", func(l *slog.Logger) { l.Info("request served", "method", "GET", "status", 200) }},
		{"no attrs", func(l *slog.Logger) { l.Warn("disk almost full") }},
		{"group", func(l *slog.Logger) {
			l.Error("query failed", slog.Group("req", slog.String("id", "r1"), slog.Group("user", slog.Int("id", 7))), "err", "timeout")
		}},
		{"with attrs and group", func(l *slog.Logger) {
			l.With("svc", "api").WithGroup("http").Info("done", "path", "/x", "code", 500)
		}},
		{"escaped message", func(l *slog.Logger) { l.Info("say \"hi\"\n\tnow", "k", "v\"") }},
		{"unicode", func(l *slog.Logger) { l.Info("café ☕ <ok>", "ü", 1) }},
		{"level offset", func(l *slog.Logger) { l.Log(context.Background(), slog.LevelError+2, "bad", "x", 1.5) }},
	}
	handlers := []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"json", func(b *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{AddSource: true, Level: slog.LevelDebug})
		}},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	}
	p := logline.NewParser(logline.Keys{})
	for _, h := range handlers {
		for _, lg := range logs {
			t.Run(h.name+"/"+lg.name, func(t *testing.T) {
				s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithAttrKeys(true))
				require.NoError(t, err)
				defer s.Shutdown(context.Background())
				var buf bytes.Buffer
				lg.log(slog.New(slogx.New(h.new(&buf), s)))
				st := s.Stats().Patterns
				require.Len(t, st, 1)
				line := strings.TrimSuffix(buf.String(), "\n")
				var sc logline.Scratch
				r, kind := p.Parse(line, &sc)
				require.NotEqual(t, logline.Plain, kind, line)
				require.NotEqual(t, logline.Malformed, kind, line)
				// The file line, decided by a sampler of its own (as
				// lipservice sample does), gets the in-process record's
				// pattern ID, and its exact signature is the Parser's.
				s2, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithAttrKeys(true))
				require.NoError(t, err)
				defer s2.Shutdown(context.Background())
				rec := sampler.Record{Message: r.Message}
				for _, k := range r.Keys {
					rec.Attrs = append(rec.Attrs, sampler.Attr{Key: k})
				}
				d := s2.Decide(&rec)
				assert.Equal(t, r.Sig, d.Signature, "the Parser's signature is the sampler's for %s (keys %q)", line, r.Keys)
				assert.Equal(t, st[0].Pattern, d.Pattern, "in-process and file pattern IDs differ for %s (keys %q)", line, r.Keys)
			})
		}
	}
}

// With value keys, a record logged in-process through slogx with
// sampler.WithValueKeys and the same record read back from the file by a
// Parser with the same Keys.Values get the same pattern ID, numbers
// included (issue 14: the rule of --value-keys and of slogx is one).
func TestParser_SameIDAsSlogx_valueKeys(t *testing.T) {
	values := []string{"status", "method"}
	logs := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"int status", func(l *slog.Logger) { l.Info("request served", "method", "GET", "status", 200, "path", "/a") }},
		{"5xx", func(l *slog.Logger) { l.Error("request served", "method", "POST", "status", 503, "path", "/b") }},
		{"string status", func(l *slog.Logger) { l.Info("request served", "status", "404") }},
		{"with attrs", func(l *slog.Logger) { l.With("method", "PUT").Warn("request served", "status", 429) }},
		{"quoted value", func(l *slog.Logger) { l.Info("request served", "method", "M \"x\"", "status", 200) }},
	}
	handlers := []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	}
	p := logline.NewParser(logline.Keys{Values: values})
	seen := map[string]string{} // pattern ID -> first record name, per handler
	for _, h := range handlers {
		clear(seen)
		for _, lg := range logs {
			s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithValueKeys(values...))
			require.NoError(t, err)
			var buf bytes.Buffer
			lg.log(slog.New(slogx.New(h.new(&buf), s)))
			st := s.Stats().Patterns
			s.Shutdown(context.Background())
			require.Len(t, st, 1)
			line := strings.TrimSuffix(buf.String(), "\n")
			var sc logline.Scratch
			r, kind := p.Parse(line, &sc)
			require.Contains(t, []logline.Kind{logline.JSON, logline.Logfmt}, kind, line)
			// The file line decided as lipservice sample --value-keys
			// decides it: its keys, "key=value" for the value keys, as
			// attribute keys.
			s2, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithAttrKeys(true))
			require.NoError(t, err)
			rec := sampler.Record{Message: r.Message}
			for _, k := range r.Keys {
				rec.Attrs = append(rec.Attrs, sampler.Attr{Key: k})
			}
			d := s2.Decide(&rec)
			s2.Shutdown(context.Background())
			assert.Equal(t, st[0].Pattern, d.Pattern, "%s/%s: in-process and file pattern IDs differ for %s (keys %q)", h.name, lg.name, line, r.Keys)
			id := d.Pattern.String()
			assert.Empty(t, seen[id], "%s/%s shares a pattern with %s", h.name, lg.name, seen[id])
			seen[id] = lg.name
		}
	}
}

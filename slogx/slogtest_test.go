package slogx_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"testing/slogtest"

	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/slogx"
)

// parseJSONLines parses the output of a JSON handler, one object per line.
func parseJSONLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var ms []map[string]any
	for line := range bytes.Lines(b) {
		var m map[string]any
		require.NoError(t, json.Unmarshal(line, &m), "line %q", line)
		ms = append(ms, m)
	}
	return ms
}

// With a keep-all policy the handler is a conforming slog.Handler.
func TestSlogtest(t *testing.T) {
	s := newSampler(t, policy.KeepAll())

	t.Run("Run", func(t *testing.T) {
		var buf bytes.Buffer
		slogtest.Run(t, func(*testing.T) slog.Handler {
			buf.Reset()
			return slogx.New(slog.NewJSONHandler(&buf, nil), s)
		}, func(t *testing.T) map[string]any {
			ms := parseJSONLines(t, buf.Bytes())
			require.Len(t, ms, 1)
			return ms[0]
		})
	})

	t.Run("TestHandler", func(t *testing.T) {
		var buf bytes.Buffer
		h := slogx.New(slog.NewJSONHandler(&buf, nil), s)
		require.NoError(t, slogtest.TestHandler(h, func() []map[string]any {
			return parseJSONLines(t, buf.Bytes())
		}))
	})
}

package slogx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/slogx"
)

// Over slog's built-in handlers the rate attribute may come from a derived
// handler (next.WithAttrs) instead of the record: every kept record must
// still carry it exactly once, with the right value, inside the open
// groups, next to the record's own attributes.
func TestHandle_rateOverBuiltin(t *testing.T) {
	tests := []struct {
		name  string
		text  bool
		group string
	}{
		{name: "json"},
		{name: "json in group", group: "req"},
		{name: "text", text: true},
		{name: "text in group", text: true, group: "req"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var buf bytes.Buffer
			var next slog.Handler = slog.NewJSONHandler(&buf, nil)
			if test.text {
				next = slog.NewTextHandler(&buf, nil)
			}
			var h slog.Handler = slogx.New(next, newSampler(t, policy.Uniform(0.25)), slogx.WithTraceID(traceFromContext))
			if test.group != "" {
				h = h.WithGroup(test.group)
			}
			l := slog.New(h)
			ctx := withTrace(context.Background(), keepID)
			const n = 300 // enough for the weight to get its derived handler
			for i := range n {
				l.InfoContext(ctx, "cache miss", "key", i)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			require.Len(t, lines, n)
			for i, line := range lines {
				if test.text {
					prefix := ""
					if test.group != "" {
						prefix = test.group + "."
					}
					assert.Equal(t, 1, strings.Count(line, " "+prefix+"sample_rate=4"), "line %d: %s", i, line)
					assert.Equal(t, 1, strings.Count(line, fmt.Sprintf(" %skey=%d", prefix, i)), "line %d: %s", i, line)
					continue
				}
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &m), line)
				attrs := m
				if test.group != "" {
					attrs, _ = m[test.group].(map[string]any)
				}
				assert.Equal(t, 4.0, attrs["sample_rate"], "line %d: %s", i, line)
				assert.Equal(t, float64(i), attrs["key"], "line %d: %s", i, line)
				assert.Equal(t, 1, strings.Count(line, `"sample_rate"`), "line %d: %s", i, line)
			}
		})
	}
}

// With more weights in use than a Handler keeps derived handlers for, the
// weights take slots from each other: every record must still carry the
// weight of the rate it was kept at.
func TestHandle_rateFollowsPolicy(t *testing.T) {
	var buf bytes.Buffer
	s := newSampler(t, policy.Uniform(0.5))
	l := slog.New(slogx.New(slog.NewJSONHandler(&buf, nil), s, slogx.WithTraceID(traceFromContext)))
	ctx := withTrace(context.Background(), keepID)
	var want []float64
	for i := range 3000 {
		k := 2 + i%19 // 19 weights, more than the derived handlers kept
		require.NoError(t, s.SetPolicy(policy.Uniform(1/float64(k))))
		l.InfoContext(ctx, "tick")
		want = append(want, float64(k))
	}
	dec := json.NewDecoder(&buf)
	for i, w := range want {
		var m struct {
			Rate float64 `json:"sample_rate"`
		}
		require.NoError(t, dec.Decode(&m), "record %d", i)
		assert.InDelta(t, w, m.Rate, 1e-9, "record %d", i)
	}
}

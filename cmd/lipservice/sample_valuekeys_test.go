package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
	"github.com/srex-dev/lipservice-go/slogx"
)

// TestSample_valueKeysSameAsSlogx checks issue 14: records logged
// in-process through slogx with sampler.WithValueKeys("status", "method")
// and the same records written by slog's JSONHandler and read from the
// file by `lipservice sample --value-keys status,method` get the same
// pattern IDs, record by record; and the value keys keep 5xx records
// apart from 2xx ones.
func TestSample_valueKeysSameAsSlogx(t *testing.T) {
	var inProcess []signature.Sig
	s, err := sampler.New(sampler.WithPolicy(policy.KeepAll()), sampler.WithValueKeys("status", "method"),
		sampler.WithHook(func(_ sampler.Record, d sampler.Decision) { inProcess = append(inProcess, d.Pattern) }))
	require.NoError(t, err)
	var buf bytes.Buffer
	l := slog.New(slogx.New(slog.NewJSONHandler(&buf, nil), s))
	t0 := time.Date(2026, 5, 7, 10, 0, 0, 0, time.UTC)
	routes := []string{"/api/users", "/api/orders", "/healthz"}
	statuses := []int{200, 201, 204, 304, 400, 404, 429, 500, 502, 503}
	methods := []string{"GET", "POST", "DELETE"}
	type sent struct{ status int }
	var records []sent
	for i := range 300 {
		st := statuses[i%len(statuses)]
		lvl := slog.LevelInfo
		if st >= 500 {
			lvl = slog.LevelError
		}
		r := slog.NewRecord(t0.Add(time.Duration(i)*time.Second), lvl, "request served", 0)
		r.AddAttrs(slog.String("method", methods[i%len(methods)]), slog.String("path", routes[i%len(routes)]),
			slog.Int("status", st), slog.Int("duration_ms", i*7%900))
		require.NoError(t, l.Handler().Handle(context.Background(), r))
		records = append(records, sent{st})
	}
	s.Shutdown(context.Background())
	require.Len(t, inProcess, len(records))

	path := filepath.Join(t.TempDir(), "access.jsonl")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	pol := filepath.Join(t.TempDir(), "keep.json")
	require.NoError(t, os.WriteFile(pol, []byte(`{"global_rate": 1}`), 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"sample", "--json", "--quiet", "--policy", pol, "--value-keys", "status,method", path}, nil, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	fromFile := map[int]signature.Sig{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var kl struct {
			Line      int           `json:"line"`
			PatternID signature.Sig `json:"pattern_id"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &kl), line)
		fromFile[kl.Line] = kl.PatternID
	}
	require.Len(t, fromFile, len(records), "every line kept")
	byPattern := map[signature.Sig]map[bool]bool{} // pattern -> 5xx seen, 2xx seen
	for i, r := range records {
		assert.Equal(t, inProcess[i], fromFile[i+1], "record %d (status %d): in-process and file pattern IDs differ", i+1, r.status)
		if byPattern[fromFile[i+1]] == nil {
			byPattern[fromFile[i+1]] = map[bool]bool{}
		}
		byPattern[fromFile[i+1]][r.status >= 500] = true
	}
	for p, classes := range byPattern {
		assert.False(t, classes[true] && classes[false], "pattern %s holds 5xx and non-5xx records", p)
	}
	// 10 statuses x 3 methods, paired by i: lcm(10, 3) = 30 combinations.
	assert.Len(t, byPattern, 30, "one pattern per status and method")
}

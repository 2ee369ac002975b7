package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A multi-line record is kept or dropped whole, and decided once.
func TestSample_JoinKeepsRecordsWhole(t *testing.T) {
	var b strings.Builder
	start := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	recordOf := map[int]int{} // line number -> record number
	line, records := 0, 0
	add := func(rec int, s string) {
		line++
		recordOf[line] = rec
		b.WriteString(s + "\n")
	}
	for i := range 6000 {
		ts := start.Add(time.Duration(i) * 100 * time.Millisecond).Format("2006-01-02 15:04:05.000")
		records++
		add(records, ts+" INFO [main] com.example.Cache - slow lookup of key "+strconv.Itoa(i))
		add(records, "java.util.concurrent.TimeoutException: lookup took "+strconv.Itoa(i%50)+" ms")
		add(records, "\tat com.example.Cache.get(Cache.java:88)")
		add(records, "")
		add(records, "\tat com.example.App.handle(App.java:57)")
	}
	code, stdout, stderr := runCmd(context.Background(), b.String(), "--json", "--seed", "1")
	require.Equal(t, 0, code, stderr)
	keptLines := map[int]int{} // record -> kept lines
	firsts := 0
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var kl struct {
			Line      int    `json:"line"`
			Level     string `json:"level"`
			Continues bool   `json:"continues"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &kl))
		keptLines[recordOf[kl.Line]]++
		assert.Equal(t, "INFO", kl.Level, "continuation lines carry the record's level")
		if !kl.Continues {
			firsts++
		}
	}
	for rec, n := range keptLines {
		assert.Equal(t, 5, n, "record %d kept in part", rec)
	}
	assert.Equal(t, len(keptLines), firsts, "one first line per kept record")
	t.Logf("%d records, %d kept whole", records, len(keptLines))
	assert.Less(t, len(keptLines), records, "some records are dropped")
	var sum struct {
		Lines        int            `json:"lines"`
		Kept         int            `json:"kept"`
		Continuation int            `json:"continuation_lines"`
		Reasons      map[string]int `json:"reasons"`
		Patterns     int            `json:"patterns"`
	}
	require.NoError(t, json.Unmarshal([]byte(stderr), &sum))
	assert.Equal(t, line, sum.Lines)
	assert.Equal(t, 4*records, sum.Continuation)
	assert.Equal(t, 5*len(keptLines), sum.Kept)
	assert.Equal(t, 1, sum.Patterns, "one pattern: the trace lines are not patterns of their own")
	decisions := 0
	for _, n := range sum.Reasons {
		decisions += n
	}
	assert.Equal(t, records, decisions, "one decision per record")
}

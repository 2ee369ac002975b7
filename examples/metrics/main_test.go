package main

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// TestRun runs the example and checks its figures against the workload
// (2500 "request served" records over 3 routes, 20 "cache refreshed") and
// against each other: one decision per record before the fan-out, the
// hook's dropped counts equal to the sampler's.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	var audit, console int
	sums := map[string]int64{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "branches:") {
			f := strings.Fields(line)
			audit, _ = strconv.Atoi(f[3])
			console, _ = strconv.Atoi(f[7])
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			t.Fatalf("unexpected line %q", line)
		}
		name, _, _ := strings.Cut(f[0], "{")
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		sums[name] += v
		sums[f[0]] = v
	}
	const records = 2500 + 20
	if got := sums["lipservice.sampler.records.seen"]; got != records {
		t.Errorf("seen %d, want %d (one decision per record)", got, records)
	}
	if audit != console || int64(audit) != sums["lipservice.sampler.records.kept"] {
		t.Errorf("branches got %d and %d records, sampler kept %d: want all equal",
			audit, console, sums["lipservice.sampler.records.kept"])
	}
	if got, want := sums["app.log.records.dropped"], sums["lipservice.sampler.records.dropped"]; got != want || got == 0 {
		t.Errorf("hook counted %d dropped, sampler %d", got, want)
	}
	if got := sums["lipservice.sampler.records.kept{reason=first_n}"]; got != 4*5 {
		t.Errorf("first-N kept %d, want 20 (5 for each of 4 keys)", got)
	}
	if got := sums["lipservice.sampler.patterns"]; got != 4 {
		t.Errorf("%d patterns, want 4 (3 routes and the debug record)", got)
	}
	// About a tenth of the records past the first N are kept.
	if got := sums["lipservice.sampler.records.kept{reason=global}"]; got < 240 || got > 260 {
		t.Errorf("kept %d at rate 0.1 of 2500", got)
	}
}

package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites the golden files of every command test in this package:
// go test ./cmd/lipservice -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// checkGolden compares got with the file testdata/name, or rewrites the file
// when -update is set.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/lipservice -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, clipLines(got, 40), clipLines(want, 40))
	}
}

// clipLines returns at most n lines of b.
func clipLines(b []byte, n int) string {
	for i, c := range b {
		if c == '\n' {
			n--
			if n == 0 {
				return string(b[:i+1]) + "…\n"
			}
		}
	}
	return string(b)
}

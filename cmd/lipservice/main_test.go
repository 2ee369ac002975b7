package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a command leaves a goroutine
// behind (serve's listener, analyze's readers).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

package main

import (
	"testing"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// TestMain fails the package's tests when a command leaves a goroutine
// behind (serve's listener, analyze's readers).
func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

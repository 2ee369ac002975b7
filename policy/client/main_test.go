package client_test

import (
	"testing"

	"github.com/srex-dev/lipservice-go/internal/leaktest"
)

// TestMain fails the package's tests if a goroutine outlives them: the
// Client owns one goroutine per instance, stopped by Client.Shutdown.
func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }

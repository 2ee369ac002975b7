package client_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them: the
// Client owns one goroutine per instance, stopped by Client.Shutdown.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

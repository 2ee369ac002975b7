package leaktest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestFind: a goroutine blocked for good is reported, with goleak's stack
// dump; once it has exited nothing is. One attempt keeps the test short
// (goleak.Find alone retries for about 0.43 s).
func TestFind(t *testing.T) {
	opts := []goleak.Option{goleak.IgnoreCurrent()}
	release, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		<-release
	}()
	err := find(1, opts...)
	require.Error(t, err, "a blocked goroutine is a leak")
	assert.Contains(t, err.Error(), "found unexpected goroutines")
	assert.Contains(t, err.Error(), "leaktest.TestFind", "the report names the leaked goroutine's function")
	close(release)
	<-exited
	assert.NoError(t, Find(opts...), "the goroutine has exited")
}

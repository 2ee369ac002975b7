package sampler

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/srex-dev/lipservice-go/logline"
)

// TestValueKeys_sameAsLogline checks that the sampler and the structured
// line parser cut "key=value" at the same length, so that a long value
// folds the same way in a file and in-process.
func TestValueKeys_sameAsLogline(t *testing.T) {
	assert.Equal(t, logline.MaxKeyValueBytes, maxKeyValueBytes)
}

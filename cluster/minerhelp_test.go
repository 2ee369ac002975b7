package cluster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/srex-dev/lipservice-go/cluster"
)

// assertMinedTemplates feeds msgs in order to a new Miner, then checks that
// each message matches a pattern whose template is the hand-written
// want[i].
func assertMinedTemplates(t *testing.T, msgs, want []string) {
	t.Helper()
	m := cluster.NewMiner()
	for _, msg := range msgs {
		m.Add(msg)
	}
	for i, msg := range msgs {
		p, ok := m.Match(msg)
		require.True(t, ok, "Match(%q)", msg)
		assert.Equal(t, want[i], p.Template, "Match(%q)", msg)
	}
}

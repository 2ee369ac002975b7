package quality_test

import (
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
	"github.com/srex-dev/lipservice-go/internal/quality"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

// TestZap_matchesZapcore replays a stream through the harness's Zap and
// through zap's own sampler and requires the same decision on every line.
func TestZap_matchesZapcore(t *testing.T) {
	tests := []struct {
		name              string
		first, thereafter int
	}{
		{"production 100/100", 100, 100},
		{"1/10", 1, 10},
		{"3/0", 3, 0},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var kept int
			hook := zapcore.SamplerHook(func(_ zapcore.Entry, dec zapcore.SamplingDecision) {
				if dec&zapcore.LogSampled != 0 {
					kept++
				}
			})
			// zapcore.NewNopCore is disabled at every level, so the sampler
			// would return before counting; enabledCore is enabled.
			core := zapcore.NewSamplerWithOptions(enabledCore{}, time.Second, test.first, test.thereafter, hook)
			z := quality.NewZap(time.Second, test.first, test.thereafter)
			g := loggen.New(9, loggen.WithDuration(3*time.Minute), loggen.WithLinesPerSecond(200))
			n, agree := 0, 0
			for {
				l, ok := g.Next()
				if !ok {
					break
				}
				// Make messages repeat so that the per-message counters
				// matter: key on the template's first 12 bytes.
				msg := l.Message
				if len(msg) > 12 {
					msg = msg[:12]
				}
				l.Message = msg
				before := kept
				core.Check(zapcore.Entry{Level: zapLevel(l.Level), Time: l.Time, Message: msg}, nil)
				zapKept := kept > before
				if z.Decide(&l).Keep == zapKept {
					agree++
				}
				n++
			}
			require.Positive(t, n)
			assert.Equal(t, n, agree, "every decision must equal zap's")
			assert.Less(t, kept, n, "the test must exercise dropping")
		})
	}
}

type enabledCore struct{ zapcore.Core }

func (enabledCore) Enabled(zapcore.Level) bool { return true }

func (enabledCore) Check(_ zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce
}

func zapLevel(l interface{ String() string }) zapcore.Level {
	switch l.String() {
	case "DEBUG":
		return zapcore.DebugLevel
	case "INFO":
		return zapcore.InfoLevel
	case "WARN":
		return zapcore.WarnLevel
	}
	return zapcore.ErrorLevel
}

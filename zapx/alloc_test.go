//go:build !race

package zapx_test

import (
	"testing"

	"go.uber.org/zap/zapcore"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/zapx"
)

// nopCore logs everything and allocates nothing, so that the allocations
// measured are zapx's own.
type nopCore struct{}

func (nopCore) Enabled(zapcore.Level) bool          { return true }
func (c nopCore) With([]zapcore.Field) zapcore.Core { return c }
func (c nopCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}
func (nopCore) Write(zapcore.Entry, []zapcore.Field) error { return nil }
func (nopCore) Sync() error                                { return nil }

// Deciding allocates nothing in steady state, whether the entry is dropped,
// kept, or kept with the weight field (once its derived core exists).
// Skipped under -race, which instruments allocations.
func TestCore_Check_allocs(t *testing.T) {
	tests := []struct {
		name   string
		policy *policy.Policy
		with   bool
	}{
		{name: "keep all", policy: policy.KeepAll()},
		{name: "dropped or kept with weight", policy: policy.Uniform(0.1)},
		{name: "with fields", policy: policy.Uniform(0.1), with: true},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var core zapcore.Core = zapx.NewCore(nopCore{}, newSampler(t, test.policy))
			if test.with {
				core = core.With([]zapcore.Field{{Key: "component", Type: zapcore.StringType, String: "api"}})
			}
			ent := entry(zapcore.InfoLevel, "request served")
			check := func() {
				if ce := core.Check(ent, nil); ce != nil {
					ce.Write()
				}
			}
			for range 1000 { // warm: the weight's derived core is admitted
				check()
			}
			if got := testing.AllocsPerRun(1000, check); got != 0 {
				t.Errorf("allocs per entry = %v, want 0", got)
			}
		})
	}
}

package zapx_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/zapx"
)

// newSampler returns a sampler with p, shut down when the test ends.
func newSampler(t testing.TB, p *policy.Policy) *sampler.Sampler {
	t.Helper()
	s, err := sampler.New(sampler.WithPolicy(p))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	return s
}

// entryTime is a fixed entry time: the sampler windows on it.
var entryTime = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func entry(l zapcore.Level, msg string) zapcore.Entry {
	return zapcore.Entry{Level: l, Message: msg, Time: entryTime}
}

func TestNewCore_nilNextPanics(t *testing.T) {
	assert.PanicsWithValue(t, "zapx: nil next core", func() { zapx.NewCore(nil, nil) })
}

func TestCore_Check(t *testing.T) {
	tests := []struct {
		name     string
		policy   *policy.Policy
		level    zapcore.Level
		wantKept int
		wantRate bool // a kept entry carries sample_rate
	}{
		{name: "keep all", policy: policy.KeepAll(), level: zapcore.InfoLevel, wantKept: 100},
		{name: "drop info", policy: &policy.Policy{FirstN: new(0), SeverityRates: map[string]float64{policy.SeverityInfo: 0}}, level: zapcore.InfoLevel, wantKept: 0},
		{name: "errors kept by default", policy: &policy.Policy{FirstN: new(0), GlobalRate: new(0.0)}, level: zapcore.ErrorLevel, wantKept: 100},
		{name: "10 percent", policy: policy.Uniform(0.1), level: zapcore.InfoLevel, wantKept: 10, wantRate: true},
		{name: "first N then nothing", policy: &policy.Policy{FirstN: new(3), GlobalRate: new(0.0)}, level: zapcore.InfoLevel, wantKept: 3},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			obs, logs := observer.New(zapcore.DebugLevel)
			core := zapx.NewCore(obs, newSampler(t, test.policy))
			for range 100 {
				if ce := core.Check(entry(test.level, "request served"), nil); ce != nil {
					ce.Write(zap.Int("status", 200))
				}
			}
			assert.Equal(t, test.wantKept, logs.Len(), "kept entries")
			for _, e := range logs.All() {
				w, ok := e.ContextMap()[zapx.DefaultRateKey]
				assert.Equal(t, test.wantRate, ok, "rate field present")
				if ok {
					assert.InDelta(t, 10.0, w, 1e-9, "weight is 1/rate")
				}
				assert.EqualValues(t, 200, e.ContextMap()["status"], "the call's own fields pass through")
			}
		})
	}
}

func TestCore_respectsNextLevel(t *testing.T) {
	obs, logs := observer.New(zapcore.WarnLevel)
	core := zapx.NewCore(obs, newSampler(t, policy.KeepAll()))
	assert.False(t, core.Enabled(zapcore.InfoLevel))
	assert.True(t, core.Enabled(zapcore.ErrorLevel))
	assert.Nil(t, core.Check(entry(zapcore.InfoLevel, "below the next core's level"), nil))
	s := newSampler(t, policy.KeepAll())
	core = zapx.NewCore(obs, s)
	core.Check(entry(zapcore.DebugLevel, "x"), nil)
	assert.Zero(t, s.Stats().Seen, "an entry the next core does not log is not decided")
	assert.Zero(t, logs.Len())
}

func TestCore_With(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	s, err := sampler.New(sampler.WithAttrKeys(true), sampler.WithPolicy(&policy.Policy{
		FirstN:     new(0),
		GlobalRate: new(0.0),
		Exempt:     &policy.Exemptions{Attrs: []policy.AttrMatch{{Key: "tenant", Value: "vip"}}},
	}))
	require.NoError(t, err)
	defer s.Shutdown(context.Background())
	parent := zapx.NewCore(obs, s)
	vip := parent.With([]zapcore.Field{zap.String("tenant", "vip")})
	other := parent.With([]zapcore.Field{zap.String("tenant", "free")})

	for _, c := range []zapcore.Core{parent, vip, other} {
		if ce := c.Check(entry(zapcore.InfoLevel, "request served"), nil); ce != nil {
			ce.Write()
		}
	}
	require.Equal(t, 1, logs.Len(), "only the exempt logger's entry is kept")
	assert.Equal(t, "vip", logs.All()[0].ContextMap()["tenant"], "With fields reach the next core")

	st := s.PatternStats()
	assert.Len(t, st, 2, "with WithAttrKeys, With keys enter the pattern: the bare logger and the tenant loggers differ")
}

func TestCore_nilSamplerPassesThrough(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(zapx.NewCore(obs, nil))
	logger.Info("kept", zap.Int("n", 1))
	require.Equal(t, 1, logs.Len())
	_, ok := logs.All()[0].ContextMap()[zapx.DefaultRateKey]
	assert.False(t, ok)
}

func TestWithRateKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{name: "renamed", key: "weight"},
		{name: "disabled", key: ""},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			obs, logs := observer.New(zapcore.DebugLevel)
			core := zapx.NewCore(obs, newSampler(t, policy.Uniform(0.5)), zapx.WithRateKey(test.key))
			for range 10 {
				if ce := core.Check(entry(zapcore.InfoLevel, "job finished"), nil); ce != nil {
					ce.Write()
				}
			}
			require.Equal(t, 5, logs.Len())
			for _, e := range logs.All() {
				m := e.ContextMap()
				if test.key == "" {
					assert.Empty(t, m)
					continue
				}
				assert.InDelta(t, 2.0, m[test.key], 1e-9)
				assert.NotContains(t, m, zapx.DefaultRateKey)
			}
		})
	}
}

// errCore fails every Write and Sync.
type errCore struct{ zapcore.Core }

func (errCore) Sync() error { return assert.AnError }

func TestCore_Sync(t *testing.T) {
	obs, _ := observer.New(zapcore.DebugLevel)
	core := zapx.NewCore(errCore{obs}, nil)
	assert.ErrorIs(t, core.Sync(), assert.AnError, "the next core's error is returned unchanged")
}

func TestCore_Write(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	core := zapx.NewCore(obs, newSampler(t, policy.KeepAll()))
	require.NoError(t, core.Write(entry(zapcore.InfoLevel, "direct"), []zapcore.Field{zap.Bool("b", true)}))
	require.Equal(t, 1, logs.Len())
	assert.Equal(t, true, logs.All()[0].ContextMap()["b"])
}

func TestLevel(t *testing.T) {
	tests := []struct {
		in   zapcore.Level
		want string
	}{
		{zapcore.DebugLevel - 1, policy.SeverityDebug},
		{zapcore.DebugLevel, policy.SeverityDebug},
		{zapcore.InfoLevel, policy.SeverityInfo},
		{zapcore.WarnLevel, policy.SeverityWarning},
		{zapcore.ErrorLevel, policy.SeverityError},
		{zapcore.DPanicLevel, policy.SeverityCritical},
		{zapcore.PanicLevel, policy.SeverityCritical},
		{zapcore.FatalLevel, policy.SeverityCritical},
	}
	for _, test := range tests {
		t.Run(test.in.String(), func(t *testing.T) {
			assert.Equal(t, test.want, policy.SeverityName(policy.SeverityIndex(zapx.Level(test.in))))
		})
	}
}

// TestCore_races is meant for -race: derived cores and the weight table are
// shared by goroutines.
func TestCore_races(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	core := zapx.NewCore(obs, newSampler(t, policy.Uniform(0.5)))
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			c := core.With([]zapcore.Field{zap.Int("g", g)})
			for range 200 {
				if ce := c.Check(entry(zapcore.InfoLevel, "tick"), nil); ce != nil {
					ce.Write()
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	// Systematic draws are exact per stripe; concurrent goroutines may
	// split one pattern's draws across stripes, each off by at most one.
	assert.InDelta(t, 400, logs.Len(), 16, "about half of 800 entries kept")
}

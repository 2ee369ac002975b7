package zapx_test

import (
	"io"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/zapx"
)

// BenchmarkCore logs whole entries (message and three fields) through
// zap.Logger into a JSON core over io.Discard: bare, wrapped by zapx at
// keep-all and at 10 %, and wrapped by zap's own sampler keeping 1 in 10
// (first 1, thereafter 10), in the same run so the rows compare as ratios.
func BenchmarkCore(b *testing.B) {
	newJSON := func() zapcore.Core {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		return zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.DebugLevel)
	}
	cores := []struct {
		name string
		core func(b *testing.B) zapcore.Core
	}{
		{"bare", func(*testing.B) zapcore.Core { return newJSON() }},
		{"lipservice-keepall", func(b *testing.B) zapcore.Core { return zapx.NewCore(newJSON(), newSampler(b, policy.KeepAll())) }},
		{"lipservice-10pct", func(b *testing.B) zapcore.Core { return zapx.NewCore(newJSON(), newSampler(b, policy.Uniform(0.1))) }},
		{"zap-sampler-10pct", func(*testing.B) zapcore.Core {
			return zapcore.NewSamplerWithOptions(newJSON(), time.Second, 1, 10)
		}},
	}
	for _, c := range cores {
		b.Run(c.name, func(b *testing.B) {
			logger := zap.New(c.core(b))
			b.ReportAllocs()
			for b.Loop() {
				logger.Info("request served", zap.String("path", "/api/orders"), zap.Int("status", 200), zap.Duration("elapsed", 3*time.Millisecond))
			}
		})
	}
}

// BenchmarkCore_interleaved measures the rows of BenchmarkCore in
// alternating chunks of 500 entries and reports the median, over chunks, of
// each row's time per entry divided by the bare core's in the same round:
// on a shared machine, ratios taken this close together are stable where
// the absolute rows are not. One op is one round of every row.
//
// "logger" goes through zap.Logger.Info (whose variadic fields allocate
// and which costs every row the same); "core" calls Check and Write on the
// core with fields built once, which is the per-entry cost of the core
// itself.
func BenchmarkCore_interleaved(b *testing.B) {
	const chunk = 500
	newJSON := func() zapcore.Core {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		return zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.DebugLevel)
	}
	fields := []zapcore.Field{zap.String("path", "/api/orders"), zap.Int("status", 200), zap.Duration("elapsed", 3*time.Millisecond)}
	for _, level := range []string{"logger", "core"} {
		b.Run(level, func(b *testing.B) {
			cores := []zapcore.Core{
				newJSON(),
				zapx.NewCore(newJSON(), newSampler(b, policy.KeepAll())),
				zapx.NewCore(newJSON(), newSampler(b, policy.Uniform(0.1))),
				zapcore.NewSamplerWithOptions(newJSON(), time.Second, 1, 10),
			}
			run := func(c zapcore.Core) {
				for range chunk {
					ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: time.Now(), Message: "request served"}
					if ce := c.Check(ent, nil); ce != nil {
						ce.Write(fields...)
					}
				}
			}
			if level == "logger" {
				loggers := make([]*zap.Logger, len(cores))
				for i, c := range cores {
					loggers[i] = zap.New(c)
				}
				run = func(c zapcore.Core) {
					l := loggers[slices.Index(cores, c)]
					for range chunk {
						l.Info("request served", zap.String("path", "/api/orders"), zap.Int("status", 200), zap.Duration("elapsed", 3*time.Millisecond))
					}
				}
			}
			names := []string{"bare-ns/entry", "keepall/bare", "10pct/bare", "zap-sampler-10pct/bare"}
			ratios := make([][]float64, len(cores))
			b.ReportAllocs()
			for b.Loop() {
				var ns [4]float64
				for i, c := range cores {
					start := time.Now()
					run(c)
					ns[i] = float64(time.Since(start).Nanoseconds()) / chunk
				}
				ratios[0] = append(ratios[0], ns[0])
				for i := 1; i < len(cores); i++ {
					ratios[i] = append(ratios[i], ns[i]/ns[0])
				}
			}
			for i, r := range ratios {
				b.ReportMetric(median(r), names[i])
			}
		})
	}
}

// median returns the median of xs, reordering it; 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

package slogx_test

import (
	"context"
	crand "crypto/rand"
	"io"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/slogx"
)

// This file compares slogx with its peers on the same records, in one
// benchmark family so that ratios come from one run:
//
//	json-bare            slog.NewJSONHandler, no sampling (the baseline)
//	lipservice-keepall   slogx with policy.KeepAll over the JSON handler
//	lipservice-10pct     slogx with policy.Uniform(0.1)
//	uniform-10pct        a uniform random sampler middleware as
//	                     samber/slog-sampling's uniform strategy does it
//	                     (crypto/rand draw with 0.001 precision)
//	uniform-10pct-randv2 the same with a math/rand/v2 draw (an optimistic
//	                     lower bound for any uniform middleware)
//	zap-bare             zap's JSON core, no sampling
//	zap-sampler-10pct    zapcore.NewSamplerWithOptions(first 0, thereafter 10)
//
// zap is imported here, in a test file, only as a baseline. Handlers are
// called directly with prebuilt records (fixed time, attributes inline, as
// in slog's internal/benchmarks), so the numbers are per-record handler
// costs, without the Logger's own work. Output goes to a counting writer,
// which reports the fraction of records written as the kept/op metric.

// benchRecord is one record of the workload in both slog and zap form.
type benchRecord struct {
	slog   slog.Record
	attrs  []slog.Attr // slog's attributes, for Logger.LogAttrs
	zapEnt zapcore.Entry
	zapF   []zapcore.Field
}

// workload is a service's mix: mostly requests and cache traffic, some
// queries, a few warnings and errors. Messages are constant, variables are
// attributes (the slog style).
func workload() []benchRecord {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	type spec struct {
		level slog.Level
		msg   string
		attrs []slog.Attr
	}
	specs := []spec{
		{slog.LevelInfo, "request served", []slog.Attr{slog.String("method", "GET"), slog.String("path", "/api/v1/orders"), slog.Int("status", 200), slog.Duration("elapsed", 1234567)}},
		{slog.LevelInfo, "request served", []slog.Attr{slog.String("method", "POST"), slog.String("path", "/api/v1/cart"), slog.Int("status", 201), slog.Duration("elapsed", 2345678)}},
		{slog.LevelDebug, "cache hit", []slog.Attr{slog.String("key", "user:48213:profile"), slog.Int("bytes", 912)}},
		{slog.LevelDebug, "cache hit", []slog.Attr{slog.String("key", "sku:99120:price"), slog.Int("bytes", 64)}},
		{slog.LevelDebug, "cache miss", []slog.Attr{slog.String("key", "user:77001:profile")}},
		{slog.LevelInfo, "db query", []slog.Attr{slog.String("table", "orders"), slog.Int("rows", 17), slog.Duration("elapsed", 845000)}},
		{slog.LevelInfo, "request served", []slog.Attr{slog.String("method", "GET"), slog.String("path", "/healthz"), slog.Int("status", 200), slog.Duration("elapsed", 12000)}},
		{slog.LevelWarn, "slow request", []slog.Attr{slog.String("path", "/api/v1/search"), slog.Duration("elapsed", 1500000000)}},
		{slog.LevelDebug, "cache hit", []slog.Attr{slog.String("key", "cfg:feature-flags"), slog.Int("bytes", 2048)}},
		{slog.LevelError, "upstream timeout", []slog.Attr{slog.String("upstream", "payments"), slog.String("err", "context deadline exceeded"), slog.Int("attempt", 3)}},
	}
	recs := make([]benchRecord, len(specs))
	for i, s := range specs {
		r := slog.NewRecord(t, s.level, s.msg, 0)
		r.AddAttrs(s.attrs...)
		fields := make([]zapcore.Field, len(s.attrs))
		for j, a := range s.attrs {
			switch a.Value.Kind() {
			case slog.KindString:
				fields[j] = zap.String(a.Key, a.Value.String())
			case slog.KindInt64:
				fields[j] = zap.Int64(a.Key, a.Value.Int64())
			case slog.KindDuration:
				fields[j] = zap.Duration(a.Key, a.Value.Duration())
			}
		}
		recs[i] = benchRecord{
			slog:   r,
			attrs:  s.attrs,
			zapEnt: zapcore.Entry{Level: zapcore.Level(s.level / 4), Time: t, Message: s.msg},
			zapF:   fields,
		}
	}
	return recs
}

// countingWriter discards its input and counts the writes.
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(1)
	return len(p), nil
}

// uniformHandler is a uniform random sampler middleware. With crypto set
// it draws as samber/slog-sampling's uniform strategy does
// (crypto/rand.Int over [0, 1000)); otherwise with math/rand/v2.
type uniformHandler struct {
	next   slog.Handler
	rate   float64
	crypto bool
}

var thousand = big.NewInt(1000)

func (h uniformHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h uniformHandler) Handle(ctx context.Context, r slog.Record) error {
	var x float64
	if h.crypto {
		n, err := crand.Int(crand.Reader, thousand)
		if err != nil {
			return err
		}
		x = float64(n.Int64()) / 1000
	} else {
		x = rand.Float64()
	}
	if x >= h.rate {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h uniformHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.next = h.next.WithAttrs(as)
	return h
}

func (h uniformHandler) WithGroup(name string) slog.Handler {
	h.next = h.next.WithGroup(name)
	return h
}

// peer is one configuration of the comparison.
type peer struct {
	name string
	// build returns a function that logs one record, built once per
	// benchmark: at the handler (core) level, or as a whole log event
	// through the logger when logger is set.
	build func(b *testing.B, w io.Writer, logger bool) func(r *benchRecord)
}

func slogPeer(name string, wrap func(b *testing.B, next slog.Handler) slog.Handler) peer {
	return peer{name: name, build: func(b *testing.B, w io.Writer, logger bool) func(r *benchRecord) {
		h := wrap(b, slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
		ctx := context.Background()
		if logger {
			l := slog.New(h)
			return func(r *benchRecord) { l.LogAttrs(ctx, r.slog.Level, r.slog.Message, r.attrs...) }
		}
		return func(r *benchRecord) {
			if h.Enabled(ctx, r.slog.Level) {
				_ = h.Handle(ctx, r.slog)
			}
		}
	}}
}

func zapPeer(name string, sample bool) peer {
	return peer{name: name, build: func(b *testing.B, w io.Writer, logger bool) func(r *benchRecord) {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		var core zapcore.Core = zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.DebugLevel)
		if sample {
			core = zapcore.NewSamplerWithOptions(core, time.Second, 0, 10)
		}
		if logger {
			l := zap.New(core)
			return func(r *benchRecord) {
				if ce := l.Check(r.zapEnt.Level, r.zapEnt.Message); ce != nil {
					ce.Write(r.zapF...)
				}
			}
		}
		return func(r *benchRecord) {
			if ce := core.Check(r.zapEnt, nil); ce != nil {
				ce.Write(r.zapF...)
			}
		}
	}}
}

var peers = []peer{
	slogPeer("json-bare", func(_ *testing.B, next slog.Handler) slog.Handler { return next }),
	slogPeer("lipservice-keepall", func(b *testing.B, next slog.Handler) slog.Handler {
		return slogx.New(next, newSampler(b, policy.KeepAll()))
	}),
	slogPeer("lipservice-10pct", func(b *testing.B, next slog.Handler) slog.Handler {
		return slogx.New(next, newSampler(b, policy.Uniform(0.1)))
	}),
	slogPeer("uniform-10pct", func(_ *testing.B, next slog.Handler) slog.Handler {
		return uniformHandler{next: next, rate: 0.1, crypto: true}
	}),
	slogPeer("uniform-10pct-randv2", func(_ *testing.B, next slog.Handler) slog.Handler {
		return uniformHandler{next: next, rate: 0.1}
	}),
	zapPeer("zap-bare", false),
	zapPeer("zap-sampler-10pct", true),
}

// BenchmarkHandler is the single-goroutine comparison.
func BenchmarkHandler(b *testing.B) {
	recs := workload()
	for _, p := range peers {
		b.Run(p.name, func(b *testing.B) {
			var w countingWriter
			handle := p.build(b, &w, false)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				handle(&recs[i])
				if i++; i == len(recs) {
					i = 0
				}
			}
			b.ReportMetric(float64(w.n.Load())/float64(b.N), "kept/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkHandler_parallel is the same comparison with every goroutine
// logging at once; run with -cpu 1,2.
func BenchmarkHandler_parallel(b *testing.B) {
	recs := workload()
	for _, p := range peers {
		b.Run(p.name, func(b *testing.B) {
			var w countingWriter
			handle := p.build(b, &w, false)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(recs))
				for pb.Next() {
					handle(&recs[i])
					if i++; i == len(recs) {
						i = 0
					}
				}
			})
			b.ReportMetric(float64(w.n.Load())/float64(b.N), "kept/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkHandler_interleaved runs the peers of BenchmarkHandler in
// alternation, a chunk of records each per round, and reports the median
// per-record cost of each peer over the rounds (peer-ns/rec) and its ratio
// to json-bare (peer/bare). On a shared, noisy machine this gives steadier
// ratios than separate sub-benchmarks, because every peer runs under the
// same load; the standard ns/op of this benchmark is a whole round and
// means little. The "handler" variant calls the handler (zap: the core)
// directly; the "logger" variant logs whole events through slog.Logger
// (LogAttrs) and zap.Logger, as slog's internal/benchmarks do.
func BenchmarkHandler_interleaved(b *testing.B) {
	for _, logger := range []bool{false, true} {
		name := "handler"
		if logger {
			name = "logger"
		}
		b.Run(name, func(b *testing.B) { interleave(b, logger) })
	}
}

func interleave(b *testing.B, logger bool) {
	const chunk = 500
	recs := workload()
	handles := make([]func(*benchRecord), len(peers))
	for i, p := range peers {
		handles[i] = p.build(b, io.Discard, logger)
	}
	perRec := make([][]float64, len(peers))
	b.ReportAllocs()
	for b.Loop() {
		for i, handle := range handles {
			start := time.Now()
			for j := range chunk {
				handle(&recs[j%len(recs)])
			}
			perRec[i] = append(perRec[i], float64(time.Since(start).Nanoseconds())/chunk)
		}
	}
	med := make([]float64, len(peers))
	for i := range perRec {
		slices.Sort(perRec[i])
		med[i] = perRec[i][len(perRec[i])/2]
	}
	for i, p := range peers {
		b.ReportMetric(med[i], p.name+"-ns/rec")
		if i > 0 {
			b.ReportMetric(med[i]/med[0], p.name+"/bare")
		}
	}
}

package anomaly_test

import (
	"log/slog"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/signature"
)

var sinkOpen bool

// benchPatterns returns n known patterns (sig, msg) for the benchmarks.
func benchPatterns(n int) []pat {
	ps := make([]pat, n)
	for i := range ps {
		msg := "bench event kind" + strconv.Itoa(i) + " user 42 took 7 ms"
		lvl := slog.LevelInfo
		if i%10 == 9 {
			lvl = slog.LevelError
		}
		ps[i] = pat{sig: signature.OfTemplate(msg), msg: msg, level: lvl}
	}
	return ps
}

// warm feeds every pattern for 100 one-second intervals so that the
// benchmark measures the steady state.
func warm(d *anomaly.Detector, ps []pat) {
	for sec := range 100 {
		for i, p := range ps {
			d.Observe(p.sig, p.msg, p.level, at(sec, float64(i)/float64(len(ps))))
		}
	}
}

// BenchmarkDetector_Observe measures Observe on known patterns, with 1 000
// records per simulated second (so the measured cost includes the amortized
// roll-over of every shard once per 1 000 records).
func BenchmarkDetector_Observe(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			d, _ := anomaly.New()
			ps := benchPatterns(n)
			warm(d, ps)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := ps[i%n]
				sinkOpen = d.Observe(p.sig, p.msg, p.level, t0.Add(100*time.Second+time.Duration(i)*time.Millisecond))
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
			if st := d.Snapshot().Stats; st.Records < uint64(i) {
				b.Fatalf("records %d < %d", st.Records, i)
			}
		})
	}
}

// BenchmarkDetector_ObserveParallel is Observe from all goroutines at once,
// as a logging application calls it.
func BenchmarkDetector_ObserveParallel(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			d, _ := anomaly.New()
			ps := benchPatterns(n)
			warm(d, ps)
			var clock atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				open := false
				for pb.Next() {
					i := clock.Add(1)
					p := ps[int(i)%n]
					open = d.Observe(p.sig, p.msg, p.level, t0.Add(100*time.Second+time.Duration(i)*time.Millisecond)) || open
				}
				sinkOpen = open
			})
		})
	}
}

// BenchmarkDetector_Roll isolates the roll-over: every record opens a new
// interval, so each Observe rolls its shard (cost ∝ patterns per shard).
func BenchmarkDetector_Roll(b *testing.B) {
	for _, n := range []int{64, 4096} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			d, _ := anomaly.New(anomaly.WithMaxPatterns(n))
			ps := benchPatterns(n)
			warm(d, ps)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := ps[i%n]
				sinkOpen = d.Observe(p.sig, p.msg, p.level, t0.Add(time.Duration(100+i)*time.Second))
				i++
			}
		})
	}
}

// BenchmarkNew measures construction (table allocation and the Poisson
// lookup table).
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d, _ := anomaly.New()
		sinkOpen = d != nil
	}
}

// BenchmarkMemory_PerPattern reports the heap held by a Detector per pattern
// it can track (B/pattern, from runtime.MemStats after a GC, the table full
// of live patterns with history), at the default MaxPatterns and at 1 000.
// The memory is allocated at New, so it does not grow with traffic.
func BenchmarkMemory_PerPattern(b *testing.B) {
	for _, n := range []int{1000, anomaly.DefaultMaxPatterns} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			ps := benchPatterns(n)
			var perPattern float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				d, err := anomaly.New(anomaly.WithMaxPatterns(n))
				if err != nil {
					b.Fatal(err)
				}
				for sec := range 3 {
					for i, p := range ps {
						d.Observe(p.sig, p.msg, p.level, at(sec, float64(i)/float64(n)))
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				if got := d.Snapshot().Stats.Patterns; got < n*9/10 {
					b.Fatalf("tracks %d patterns of %d", got, n)
				}
				perPattern = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				runtime.KeepAlive(d)
			}
			b.ReportMetric(perPattern, "B/pattern")
		})
	}
}

// BenchmarkDetector_ObserveSteady is Observe alone at 1, 100 and 1 000 live
// patterns after two simulated hours of records 1 ms apart (every scale and
// the hourly profile have history), the records cycling through the
// patterns as in BenchmarkDecide_ValveDelta: with 1 000 patterns each has
// one record per interval, so every record pays one pattern's roll-over.
// It is deterministic, for instruction counts under valgrind (cachegrind
// over two -benchtime Nx runs: the difference divided by the difference of
// N is the steady state without the warm-up).
func BenchmarkDetector_ObserveSteady(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			d, err := anomaly.New()
			if err != nil {
				b.Fatal(err)
			}
			ps := make([]pat, n)
			for i := range ps {
				msg := "valve bench " + strconv.Itoa(i) + " for user 42 took 7 ms"
				ps[i] = pat{sig: signature.OfTemplate(msg), msg: msg, level: slog.LevelInfo}
			}
			i := 0
			for ; i < 2*3600*1000; i++ {
				p := ps[i%n]
				d.Observe(p.sig, p.msg, p.level, t0.Add(time.Duration(i)*time.Millisecond))
			}
			b.ReportAllocs()
			for b.Loop() {
				p := ps[i%n]
				sinkOpen = d.Observe(p.sig, p.msg, p.level, t0.Add(time.Duration(i)*time.Millisecond))
				i++
			}
			if st := d.Snapshot().Stats; st.Patterns != n {
				b.Fatalf("tracks %d patterns, want %d", st.Patterns, n)
			}
		})
	}
}

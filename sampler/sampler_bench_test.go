package sampler_test

import (
	"bufio"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// benchTime is a fixed record time, as in slog's benchmarks.
var benchTime = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

var benchSink sampler.Decision

// printf120 is a 120-byte printf-style message with numbers and ids (an
// HDFS-like line).
const printf120 = "Received block blk_-1608999687919862906 of size 67108864 from /10.250.19.102:54106 in 1532 ms, txid=0x7f3a9c2e11 ok 4242"

func newBenchSampler(b *testing.B, p *policy.Policy, opts ...sampler.Option) *sampler.Sampler {
	b.Helper()
	s, err := sampler.New(append([]sampler.Option{sampler.WithPolicy(p)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkSampler_Decide(b *testing.B) {
	if len(printf120) != 120 {
		b.Fatalf("printf120 is %d bytes", len(printf120))
	}
	printf := printfRecords(1 << 16) // more than the signature cache holds
	cases := []struct {
		name string
		recs []sampler.Record
		opts []sampler.Option
	}{
		{"constant", []sampler.Record{{Time: benchTime, Level: slog.LevelInfo, Message: "request handled",
			Attrs: []sampler.Attr{{Key: "method", Value: "GET"}, {Key: "status"}}}}, nil},
		{"constant-nocache", []sampler.Record{{Time: benchTime, Level: slog.LevelInfo, Message: "request handled",
			Attrs: []sampler.Attr{{Key: "method", Value: "GET"}, {Key: "status"}}}}, []sampler.Option{sampler.WithSignatureCache(false)}},
		// The sampler's own cost: a one-byte message, whose signature
		// is nearly free, without the cache.
		{"overhead", []sampler.Record{{Time: benchTime, Level: slog.LevelInfo, Message: "x"}},
			[]sampler.Option{sampler.WithSignatureCache(false)}},
		{"printf-120B", printf, nil},
		{"printf-120B-nocache", printf, []sampler.Option{sampler.WithSignatureCache(false)}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := newBenchSampler(b, policy.Uniform(0.1), bc.opts...)
			recs := bc.recs
			s.Decide(&recs[0]) // the pattern is known
			if d := s.Decide(&recs[len(recs)-1]); d.Pattern != s.Decide(&recs[0]).Pattern {
				b.Fatal("the records are not of one pattern")
			}
			b.ReportAllocs()
			kept, i := 0, 0
			cpu0 := processCPU(b)
			for b.Loop() {
				benchSink = s.Decide(&recs[i&(len(recs)-1)])
				if benchSink.Keep {
					kept++
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
			if b.N > 1000 && (kept == 0 || kept == b.N) {
				b.Fatalf("kept %d of %d at rate 0.1", kept, b.N)
			}
		})
	}
}

// printfRecords returns n (at most 10^6) records of the printf120 pattern
// whose variable parts differ, all 120 bytes: i is written into the block
// id, and digits derived from it into the size and the port.
func printfRecords(n int) []sampler.Record {
	recs := make([]sampler.Record, n)
	for i := range recs {
		msg := []byte(printf120)
		d := i
		for pos := 31; pos >= 26; pos-- { // 6 digits of the block id
			msg[pos] = byte('0' + d%10)
			d /= 10
		}
		msg[50] = byte('0' + i*7%10) // size
		msg[79] = byte('0' + i*3%10) // port
		recs[i] = sampler.Record{Time: benchTime, Level: slog.LevelInfo, Message: string(msg)}
	}
	return recs
}

// hdfsRecords returns the messages of testdata/hdfs_messages.txt (the first
// 1024 Loghub HDFS lines' content) as records, all of known patterns after
// one pass.
func hdfsRecords(b *testing.B) []sampler.Record {
	b.Helper()
	f, err := os.Open(filepath.Join("testdata", "hdfs_messages.txt"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var recs []sampler.Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		recs = append(recs, sampler.Record{Time: benchTime, Level: slog.LevelInfo, Message: sc.Text()})
	}
	if err := sc.Err(); err != nil || len(recs) != 1024 {
		b.Fatalf("read %d records: %v", len(recs), err)
	}
	return recs
}

// BenchmarkSampler_DecideParallel decides from every goroutine at once, as
// an application logging from many goroutines does. Run it with -cpu 1,2 to
// see the scaling.
func BenchmarkSampler_DecideParallel(b *testing.B) {
	cases := []struct {
		name string
		recs func(b *testing.B) []sampler.Record
	}{
		{"constant", func(*testing.B) []sampler.Record {
			return []sampler.Record{{Time: benchTime, Level: slog.LevelInfo, Message: "request handled",
				Attrs: []sampler.Attr{{Key: "method", Value: "GET"}, {Key: "status"}}}}
		}},
		{"printf-120B", func(*testing.B) []sampler.Record { return printfRecords(1 << 16) }},
		// 1024 Loghub HDFS lines, cycled: they all fit the signature cache.
		{"hdfs", hdfsRecords},
	}
	for _, bc := range cases {
		// Records and samplers are built outside the timed loops, and the
		// garbage of earlier runs is collected first: at -cpu 1 a
		// concurrent GC cycle takes its share of the only P and made
		// one core look up to 1.7x slower than it is.
		recs := bc.recs(b)
		b.Run(bc.name, func(b *testing.B) {
			s := newBenchSampler(b, policy.Uniform(0.1))
			for i := range recs {
				s.Decide(&recs[i])
			}
			b.ReportAllocs()
			runtime.GC()
			b.ResetTimer()
			cpu0 := processCPU(b)
			b.RunParallel(func(pb *testing.PB) {
				// Each goroutine starts at a random record, as goroutines
				// of a service log different records at any one time
				// (in lockstep they would miss the signature cache on the
				// same entries at the same moment).
				i := rand.IntN(len(recs))
				var d sampler.Decision
				for pb.Next() {
					d = s.Decide(&recs[i%len(recs)])
					i++
				}
				_ = d
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			// CPU time per record (user+system, whole process): unlike
			// ns/op it does not depend on what else runs on the machine,
			// and lock or cache-line contention shows up as a rise from
			// -cpu 1 to -cpu 2.
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
			st := s.Stats()
			if st.Seen != uint64(b.N+len(recs)) {
				b.Fatalf("seen %d, want %d", st.Seen, b.N+len(recs))
			}
		})
		// The machine's own scaling on the same records: signature.Of
		// alone, which shares nothing between goroutines. Two vCPUs that
		// are hyperthreads of one core, or a busy host, scale compute
		// below 2x; compare the sampler's scaling with this one.
		b.Run(bc.name+"/signature-only", func(b *testing.B) {
			b.ReportAllocs()
			runtime.GC()
			b.ResetTimer()
			cpu0 := processCPU(b)
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(recs))
				var sig signature.Sig
				for pb.Next() {
					sig ^= signature.Of(recs[i%len(recs)].Message)
					i++
				}
				sigSink = sig
			})
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU returns the process's user+system CPU time in nanoseconds.
func processCPU(b *testing.B) int64 {
	ns, ok := benchutil.ProcessCPU()
	if !ok {
		b.Skip("process CPU time is not available on this platform")
	}
	return ns
}

var sigSink signature.Sig

// BenchmarkSignatureOf is the reference for BenchmarkSampler_Decide: the
// cost of signature.Of alone on the same messages, so that the sampler's own
// share can be read off in one run.
func BenchmarkSignatureOf(b *testing.B) {
	for _, bc := range []struct {
		name string
		recs []sampler.Record
	}{
		{"constant", []sampler.Record{{Message: "request handled"}}},
		{"overhead", []sampler.Record{{Message: "x"}}},
		{"printf-120B", printfRecords(1 << 16)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			cpu0 := processCPU(b)
			for b.Loop() {
				sigSink = signature.Of(bc.recs[i&(len(bc.recs)-1)].Message)
				i++
			}
			b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkSampler_WindowRoll measures the record that ends a window: with
// 4096 tracked patterns, adaptive rates and a summary hook, every iteration
// decides one record in the next window, so every iteration rolls.
func BenchmarkSampler_WindowRoll(b *testing.B) {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{TargetPerSecond: 100, WindowSeconds: 1}),
		sampler.WithSummary(func(sampler.Summary) {}))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(b.Context())
	for i := range sampler.DefaultMaxPatterns {
		s.Decide(&sampler.Record{Time: benchTime, Message: "pattern " + letters(i) + " " + strings.Repeat("x", i%64+1)})
	}
	if n := len(s.Stats().Patterns); n < sampler.DefaultMaxPatterns*3/4 {
		b.Fatalf("only %d patterns tracked", n)
	}
	r := sampler.Record{Message: "tick"}
	b.ReportAllocs()
	w := 0
	cpu0 := processCPU(b)
	for b.Loop() {
		w++
		r.Time = benchTime.Add(time.Duration(w) * 1100 * time.Millisecond)
		benchSink = s.Decide(&r)
	}
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

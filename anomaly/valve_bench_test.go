package anomaly_test

import (
	"log/slog"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/anomaly"
	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
)

var sinkDecision sampler.Decision

// BenchmarkDecide_Valve measures what the detector adds to the sampler's hot
// path, in one run: sampler.Decide without a valve, with the default
// Detector (the interval and the coarse scales) and with a single-scale one
// (WithInterval(1 s), the detector before coarse scales), over 1, 100 and
// 1 000 live patterns, the records cycling through them. The records are
// 1 ms apart (1 000 per simulated second), so with 1 000 patterns every
// pattern has about one record per interval and the amortized roll-over of
// a pattern (once per interval) is paid about once per record: the worst
// case of the per-record cost, which a busier service amortizes over more
// records. With many patterns the table no longer fits in the caches, which
// two patterns hide. Compare the rows of one run as differences or ratios:
// the machine is shared and absolute timings are noisy.
func BenchmarkDecide_Valve(b *testing.B) {
	cases := []struct {
		name string
		det  func() (*anomaly.Detector, error)
	}{
		{"no-valve", nil},
		{"detector-default", func() (*anomaly.Detector, error) { return anomaly.New() }},
		{"detector-1s-only", func() (*anomaly.Detector, error) { return anomaly.New(anomaly.WithInterval(time.Second)) }},
	}
	for _, n := range []int{1, 100, 1000} {
		recs := make([]sampler.Record, n)
		for i := range recs {
			recs[i] = sampler.Record{Level: slog.LevelInfo,
				Message: "valve bench " + letters(i) + " for user 42 took 7 ms"}
		}
		for _, bc := range cases {
			b.Run(strconv.Itoa(n)+"-patterns/"+bc.name, func(b *testing.B) {
				benchDecide(b, recs, bc.det)
			})
		}
	}
}

// BenchmarkDecide_ValveDelta is BenchmarkDecide_Valve's comparison made
// robust to a shared machine: two samplers, one without a valve and one
// with the default Detector, are fed the same records (1 ms apart), in
// alternating chunks of 10 simulated seconds, each chunk timed in CPU time
// of the benchmark's thread (waiting for a core on a shared machine does
// not count), so that both see the same load. It reports the CPU ns per
// record of each (novalve-ns, valve-ns) and their difference (delta-ns:
// what the detector adds per record). ns/op is the pair's wall time per
// record. Alternating chunks evict some of
// each sampler's state from the caches at the switch: with 1 000 patterns,
// about one pass over the patterns in ten is colder than in a run of one
// sampler, for both.
func BenchmarkDecide_ValveDelta(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(strconv.Itoa(n)+"-patterns", func(b *testing.B) {
			valveDelta(b, n, time.Millisecond)
		})
	}
}

// BenchmarkDecide_ValveDeltaRate is BenchmarkDecide_ValveDelta at 1 000
// live patterns with 1, 2 and 4 records per pattern and 1 s interval (1 000,
// 2 000 and 4 000 records per simulated second): a pattern's roll-over,
// paid once per interval, is shared by that many records, which is how the
// detector's cost per record falls as a service logs more.
func BenchmarkDecide_ValveDeltaRate(b *testing.B) {
	for _, r := range []int{1, 2, 4} {
		b.Run(strconv.Itoa(r)+"-per-interval", func(b *testing.B) {
			valveDelta(b, 1000, time.Millisecond/time.Duration(r))
		})
	}
}

// benchSampler returns the valve benchmarks' sampler: uniform 10 %, no
// pattern mining, and with valve the default Detector.
func benchSampler(b *testing.B, valve bool) *sampler.Sampler {
	opts := []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1)), sampler.WithPatternMining(false)}
	if valve {
		d, err := anomaly.New()
		if err != nil {
			b.Fatal(err)
		}
		opts = append(opts, sampler.WithValve(d))
	}
	s, err := sampler.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// valveDelta feeds two samplers, one without a valve and one with the
// default Detector, the records of n patterns in turn, step apart, after
// two simulated hours of warm-up, and reports their CPU ns per record and
// the difference (see BenchmarkDecide_ValveDelta).
func valveDelta(b *testing.B, n int, step time.Duration) {
	recs := make([]sampler.Record, n)
	for i := range recs {
		recs[i] = sampler.Record{Level: slog.LevelInfo,
			Message: "valve bench " + letters(i) + " for user 42 took 7 ms"}
	}
	ss := [2]*sampler.Sampler{benchSampler(b, false), benchSampler(b, true)}
	// Chunks of 10 simulated seconds.
	chunk := int(10 * time.Second / step)
	i := 0
	feed := func(s *sampler.Sampler, from, m int) {
		for j := from; j < from+m; j++ {
			r := recs[j%n]
			r.Time = t0.Add(time.Duration(j) * step)
			sinkDecision = s.Decide(&r)
		}
	}
	for warm := int(2 * time.Hour / step); i < warm; i += chunk {
		feed(ss[0], i, chunk)
		feed(ss[1], i, chunk)
	}
	var spent [2]int64
	done := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		// One b.Loop iteration is one record of each sampler;
		// the records are fed a chunk at a time.
		if done%chunk == 0 {
			for k, s := range ss {
				c0 := threadCPU(b)
				feed(s, i, chunk)
				spent[k] += threadCPU(b) - c0
			}
			i += chunk
		}
		done++
	}
	recsFed := float64((done + chunk - 1) / chunk * chunk)
	nv, v := float64(spent[0])/recsFed, float64(spent[1])/recsFed
	b.ReportMetric(nv, "novalve-ns")
	b.ReportMetric(v, "valve-ns")
	b.ReportMetric(v-nv, "delta-ns")
}

// threadCPU returns the CPU time of the calling thread in ns.
func threadCPU(b *testing.B) int64 {
	ns, ok := benchutil.ThreadCPU()
	if !ok {
		b.Skip("thread CPU time is not available on this platform")
	}
	return ns
}

// benchDecide runs sampler.Decide over recs (in turn, 1 ms apart) through a
// sampler with the valve det makes (nil: none).
func benchDecide(b *testing.B, recs []sampler.Record, det func() (*anomaly.Detector, error)) {
	n := len(recs)
	// Mining off: the miner would merge the benchmark's templates (they
	// differ only in words) into a few patterns; keyed on signatures, each
	// template is a pattern of the sampler and of the valve.
	opts := []sampler.Option{sampler.WithPolicy(policy.Uniform(0.1)), sampler.WithPatternMining(false)}
	var d *anomaly.Detector
	if det != nil {
		var err error
		if d, err = det(); err != nil {
			b.Fatal(err)
		}
		opts = append(opts, sampler.WithValve(d))
	}
	s, err := sampler.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	// Two simulated hours of warm-up at 1 000 records per second: every
	// scale and the hourly profile have history. Every record of the
	// warm-up, so that each pattern has one per interval as in the timed
	// loop.
	i := 0
	for ; i < 2*3600*1000; i++ {
		r := recs[i%n]
		r.Time = t0.Add(time.Duration(i) * time.Millisecond)
		s.Decide(&r)
	}
	var opened int
	if d != nil {
		opened = len(d.Snapshot().Active)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := recs[i%n]
		r.Time = t0.Add(time.Duration(i) * time.Millisecond)
		sinkDecision = s.Decide(&r)
		i++
	}
	if d != nil {
		if st := d.Snapshot().Stats; st.Patterns != n {
			b.Fatalf("detector tracks %d patterns, want %d", st.Patterns, n)
		}
		if opened != 0 {
			b.Logf("%d events open after the warm-up", opened)
		}
	}
}

// letters spells i in base 26 with the letters a–z, so that each message
// of the benchmark has a template of its own (digits would be masked by
// the normalizer).
func letters(i int) string {
	b := []byte{'k'}
	for {
		b = append(b, byte('a'+i%26))
		if i /= 26; i == 0 {
			return string(b)
		}
	}
}

package pattern_test

import (
	"strconv"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/internal/loggen"

	"github.com/srex-dev/lipservice-go/pattern"
	"github.com/srex-dev/lipservice-go/signature"
)

var idSink signature.Sig

// BenchmarkMiner_ID measures a placed signature (known), the first sight
// of a signature that joins an existing pattern unchanged (a single-quoted
// user name, a bracketed list of variable length, a person's name: values
// signature v3 keeps and the miner masks when the pattern is created; an
// e-mail address or a double-quoted text would not do, the normalizer
// masks them, so their signatures repeat), and the first sight of a
// signature that starts a pattern (new, with 1000 patterns held, whose
// template the miner must compare with its candidates).
func BenchmarkMiner_ID(b *testing.B) {
	const n = 1 << 18
	quoted := make([]string, n)
	lists := make([]string, n)
	names := make([]string, n)
	news := make([]string, n)
	for i := range n {
		s := strconv.Itoa(i)
		quoted[i] = "audit: user '" + word(i) + "' executed '" + word(i+1) + "' in 3ms"
		list := "SKU-" + word(i)
		for j := range i % 4 {
			list += ",SKU-" + word(i+j+1)
		}
		lists[i] = "cart " + s + " items=[" + list + "] reserved"
		names[i] = "admin " + title(word(i)) + " " + title(word(i+5)) + " granted role admin to " + word(i+2)
		news[i] = "svc " + word(i) + " " + word(i+1) + " " + word(i+2) + " " + word(i+3) + " done " + s
	}
	run := func(b *testing.B, msgs []string, warm func(*pattern.Miner)) {
		m := pattern.New()
		warm(m)
		sigs := make([]signature.Sig, len(msgs))
		for i, msg := range msgs {
			sigs[i] = signature.Of(msg)
		}
		b.ReportAllocs()
		i := 0
		cpu0 := threadCPU(b)
		for b.Loop() {
			if i == len(msgs) {
				b.StopTimer()
				m = pattern.New()
				warm(m)
				i = 0
				b.StartTimer()
			}
			idSink = m.ID(sigs[i], msgs[i])
			i++
		}
		b.ReportMetric(float64(threadCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(m.Stats().Patterns), "patterns")
	}
	b.Run("known", func(b *testing.B) {
		msg := quoted[0]
		m := pattern.New()
		sig, _ := m.Of(msg)
		b.ReportAllocs()
		cpu0 := threadCPU(b)
		for b.Loop() {
			idSink = m.ID(sig, msg)
		}
		b.ReportMetric(float64(threadCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
	})
	for _, c := range []struct {
		name string
		msgs []string
	}{{"quoted", quoted}, {"list", lists}, {"name", names}} {
		b.Run("first-sight/"+c.name, func(b *testing.B) {
			run(b, c.msgs, func(m *pattern.Miner) { m.Of(c.msgs[n-1]); m.Of(c.msgs[n-2]) })
		})
	}
	b.Run("first-sight/new-pattern", func(b *testing.B) {
		run(b, news, func(m *pattern.Miner) {
			for i := range 1000 {
				m.Of("svc " + word(i+n) + " " + word(i+n+1) + " " + word(i+n+2) + " " + word(i+n+3) + " done 1")
			}
		})
	})
}

// title returns w with its first letter in upper case.
func title(w string) string { return string(w[0]-'a'+'A') + w[1:] }

// threadCPU returns the process CPU time: on a shared machine,
// wall time mostly measures the other tenants.
func threadCPU(b *testing.B) int64 {
	ns, ok := benchutil.ProcessCPU()
	if !ok {
		b.Skip("thread CPU time is not available on this platform")
	}
	return ns
}

// BenchmarkMiner_stream places a replay of the generator's profiles (the
// first 200 000 lines; the basic profile's variables are all masked by the
// normalizer, the free-text one has about one new signature in 14 lines):
// signature.Of and Miner.ID per line, with a fresh miner per pass, so
// every first sight is paid. lines/s is per CPU second.
func BenchmarkMiner_stream(b *testing.B) {
	for _, prof := range []loggen.Profile{loggen.ProfileBasic, loggen.ProfileFreeText} {
		b.Run(prof.String(), func(b *testing.B) {
			g := loggen.New(20260314, loggen.WithProfile(prof))
			var msgs []string
			for len(msgs) < 200000 {
				l, ok := g.Next()
				if !ok {
					break
				}
				msgs = append(msgs, l.Message)
			}
			b.ReportAllocs()
			m := pattern.New()
			i := 0
			cpu0 := threadCPU(b)
			for b.Loop() {
				if i == len(msgs) {
					m, i = pattern.New(), 0
				}
				msg := msgs[i]
				idSink = m.ID(signature.Of(msg), msg)
				i++
			}
			cpu := float64(threadCPU(b)-cpu0) / 1e9
			b.ReportMetric(float64(b.N)/cpu, "lines/s")
			b.ReportMetric(cpu*1e9/float64(b.N), "cpu-ns/op")
		})
	}
}

package logline_test

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

// BenchmarkParser_Parse measures the field scan of structured lines (time,
// level, message, pattern ID), next to encoding/json unmarshalling the same
// JSON lines into a map (the baseline the issue names). Compare the two
// only within one run. MB/cpu-s divides the bytes by the CPU time of the
// benchmark's thread, which is steadier than wall time on a shared machine.
func BenchmarkParser_Parse(b *testing.B) {
	var jsonLines []string
	for _, l := range structuredBenchLines {
		if l[0] == '{' {
			jsonLines = append(jsonLines, l)
		}
	}
	size := func(ls []string) (n int64) {
		for _, l := range ls {
			n += int64(len(l) + 1)
		}
		return n
	}
	b.Run("json/logline", func(b *testing.B) {
		b.ReportAllocs()
		perLine := size(jsonLines) / int64(len(jsonLines))
		b.SetBytes(perLine)
		p := logline.NewParser(logline.Keys{})
		var sc logline.Scratch
		var sink signature.Sig
		i := 0
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cpu0, _ := benchutil.ThreadCPU()
		for b.Loop() {
			sc.Reset()
			r, _ := p.Parse(jsonLines[i%len(jsonLines)], &sc)
			sink += r.Sig
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
		if cpu1, ok := benchutil.ThreadCPU(); ok && cpu1 > cpu0 {
			b.ReportMetric(float64(i)*float64(perLine)/1e6/(float64(cpu1-cpu0)/1e9), "MB/cpu-s")
		}
		if sink == 0 {
			b.Fatal("no signature")
		}
	})
	b.Run("json/encoding-json-map", func(b *testing.B) {
		b.ReportAllocs()
		perLine := size(jsonLines) / int64(len(jsonLines))
		b.SetBytes(perLine)
		bufs := make([][]byte, len(jsonLines))
		for i, l := range jsonLines {
			bufs[i] = []byte(l)
		}
		n := 0
		i := 0
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cpu0, _ := benchutil.ThreadCPU()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(bufs[i%len(bufs)], &m); err != nil {
				b.Fatal(err)
			}
			n += len(m)
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
		if cpu1, ok := benchutil.ThreadCPU(); ok && cpu1 > cpu0 {
			b.ReportMetric(float64(i)*float64(perLine)/1e6/(float64(cpu1-cpu0)/1e9), "MB/cpu-s")
		}
		if n == 0 {
			b.Fatal("no fields")
		}
	})
	b.Run("logfmt/logline", func(b *testing.B) {
		var lines []string
		for _, l := range structuredBenchLines {
			if l[0] != '{' {
				lines = append(lines, l)
			}
		}
		b.ReportAllocs()
		perLine := size(lines) / int64(len(lines))
		b.SetBytes(perLine)
		p := logline.NewParser(logline.Keys{})
		var sc logline.Scratch
		var sink signature.Sig
		i := 0
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cpu0, _ := benchutil.ThreadCPU()
		for b.Loop() {
			sc.Reset()
			r, _ := p.Parse(lines[i%len(lines)], &sc)
			sink += r.Sig
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
		if cpu1, ok := benchutil.ThreadCPU(); ok && cpu1 > cpu0 {
			b.ReportMetric(float64(i)*float64(perLine)/1e6/(float64(cpu1-cpu0)/1e9), "MB/cpu-s")
		}
		if sink == 0 {
			b.Fatal("no signature")
		}
	})
}

package logline_test

import (
	"encoding/json"
	"testing"

	"github.com/srex-dev/lipservice-go/internal/logline"
	"github.com/srex-dev/lipservice-go/signature"
)

// BenchmarkParser_Parse measures the field scan of structured lines (time,
// level, message, pattern ID), next to encoding/json unmarshalling the same
// JSON lines into a map (the baseline the issue names). Compare the two
// only within one run.
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
		b.SetBytes(size(jsonLines) / int64(len(jsonLines)))
		p := logline.NewParser(logline.Keys{})
		var sc logline.Scratch
		var sink signature.Sig
		i := 0
		for b.Loop() {
			sc.Reset()
			r, _ := p.Parse(jsonLines[i%len(jsonLines)], &sc)
			sink += r.Sig
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
		if sink == 0 {
			b.Fatal("no signature")
		}
	})
	b.Run("json/encoding-json-map", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size(jsonLines) / int64(len(jsonLines)))
		bufs := make([][]byte, len(jsonLines))
		for i, l := range jsonLines {
			bufs[i] = []byte(l)
		}
		n := 0
		i := 0
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(bufs[i%len(bufs)], &m); err != nil {
				b.Fatal(err)
			}
			n += len(m)
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
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
		b.SetBytes(size(lines) / int64(len(lines)))
		p := logline.NewParser(logline.Keys{})
		var sc logline.Scratch
		var sink signature.Sig
		i := 0
		for b.Loop() {
			sc.Reset()
			r, _ := p.Parse(lines[i%len(lines)], &sc)
			sink += r.Sig
			i++
		}
		b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "lines/s")
		if sink == 0 {
			b.Fatal("no signature")
		}
	})
}

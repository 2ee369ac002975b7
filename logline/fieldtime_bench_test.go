package logline_test

import (
	"slices"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/logline"
)

// BenchmarkFieldsTime measures reading the time of parsed lines, per
// Loghub-2k system, on the sample lines in testdata (parsed outside the
// timed loop).
func BenchmarkFieldsTime(b *testing.B) {
	fms := loadFormats(b)
	systems := make([]string, 0, len(fms))
	for sys := range fms {
		systems = append(systems, sys)
	}
	slices.Sort(systems)
	var sink time.Time
	for _, sys := range systems {
		lf, err := logline.Compile(fms[sys].LogFormat)
		if err != nil {
			b.Fatal(err)
		}
		var fields []logline.Fields
		for _, l := range readLines(b, sys+".sample") {
			if f, ok := lf.Parse(l); ok {
				fields = append(fields, f)
			}
		}
		b.Run(sys, func(b *testing.B) {
			b.ReportAllocs()
			timed := 0
			for b.Loop() {
				timed = 0
				for _, f := range fields {
					sink = logline.FieldsTime(f)
					if !sink.IsZero() {
						timed++
					}
				}
			}
			b.ReportMetric(float64(len(fields))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			b.ReportMetric(float64(timed)/float64(len(fields)), "timed/line")
		})
	}
}

package analyze

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/srex-dev/lipservice-go/logline"
)

// BenchmarkFormat compares the two ways of reading a line with a Loghub
// format, on the HDFS fixture: "regexp" is logline's Parse plus
// FieldsTime, "fast" the byte matcher with the time cache.
func BenchmarkFormat(b *testing.B) {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(readTestdata(b, "hdfs_200.log")))
	n := 0
	for sc.Scan() {
		lines = append(lines, sc.Text())
		n += len(sc.Text()) + 1
	}
	format := loghubFormats["HDFS"]
	lf, err := logline.Compile(format)
	if err != nil {
		b.Fatal(err)
	}
	f := compileFast(format)
	var sink lineRec
	b.Run("regexp", func(b *testing.B) {
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				fl, _ := lf.Parse(l)
				sink.content, sink.t, sink.lvl = fl.Content, logline.FieldsTime(fl), levelOf(fl.Get("Level"))
			}
		}
		b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("fast", func(b *testing.B) {
		vals := make([]string, len(f.names))
		var tc timeCache
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				sink.content, sink.t, sink.lvl, _ = f.parse(l, vals, &tc)
			}
		}
		b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	if sink.content == "" {
		b.Fatal("nothing parsed")
	}
}

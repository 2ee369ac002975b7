package analyze_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/srex-dev/lipservice-go/analyze"
	"github.com/srex-dev/lipservice-go/internal/benchutil"
	"github.com/srex-dev/lipservice-go/internal/loggen"
)

// readFixture returns the decompressed content of testdata/name.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// hdfsFormat is the Loghub log_format of HDFS.
const hdfsFormat = "<Date> <Time> <Pid> <Level> <Component>: <Content>"

// BenchmarkAnalyze measures the whole command, from an in-memory stdin to
// the text report, on about 16 MB of real logs: "detect" is the Loghub mix
// fixture (1000 lines of each of eight systems, headers detected), "format"
// its HDFS part parsed with the HDFS log_format ("detect-hdfs": the same
// HDFS part, headers detected); the "-auto" variants choose
// the anomaly interval from the input. MB/s is wall-clock;
// MB/cpu-s divides by the process's CPU time, which is steadier on a shared
// machine (2 cores: the wall figure can reach about twice it).
//
// "detect-nojoin" is "detect" with --join=false. "json" is a generated service log written as slog JSON lines (attribute
// keys in a random order), "json-text" the same stream as text lines with a
// detected header, for a side-by-side comparison in one run.
func BenchmarkAnalyze(b *testing.B) {
	mix := readFixture(b, "loghub_mix.log.gz")
	hdfs := mix[:bytes.Index(mix, []byte("2015-10-18"))] // the HDFS lines come first
	jsonLog, textLog := serviceLogs(2 * time.Minute)
	for _, bc := range []struct {
		name string
		args []string
		one  []byte
	}{
		{"detect", []string{"--quiet"}, mix},
		{"format", []string{"--quiet", "--format", hdfsFormat}, hdfs},
		// The same HDFS lines with the header detected, to compare with
		// "format" on one input in one run.
		{"detect-hdfs", []string{"--quiet"}, hdfs},
		// The interval chosen from the input (--interval 0): the first
		// 65536 lines are held back and replayed.
		{"detect-auto", []string{"--quiet", "--interval", "0"}, mix},
		{"format-auto", []string{"--quiet", "--interval", "0", "--format", hdfsFormat}, hdfs},
		// Record joining off, for the cost of joining on single-line input
		// (compare with "detect" in the same run).
		{"detect-nojoin", []string{"--quiet", "--join=false"}, mix},
		{"json", []string{"--quiet"}, jsonLog},
		{"json-text", []string{"--quiet"}, textLog},
	} {
		b.Run(bc.name, func(b *testing.B) {
			in := bytes.Repeat(bc.one, 16<<20/len(bc.one)+1)
			lines := bytes.Count(in, []byte{'\n'})
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			cpu0, _ := benchutil.ProcessCPU()
			for b.Loop() {
				code := analyze.Run(context.Background(), bc.args, bytes.NewReader(in), io.Discard, io.Discard)
				if code == 2 {
					b.Fatalf("exit code %d", code)
				}
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			if cpu1, ok := benchutil.ProcessCPU(); ok && cpu1 > cpu0 {
				cpu := time.Duration(cpu1 - cpu0)
				b.ReportMetric(float64(len(in))*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
			}
		})
	}
}

// serviceLogs returns a loggen service stream of duration d as slog-shaped
// JSON lines (attribute keys in a seeded random order) and as text lines.
func serviceLogs(d time.Duration) (jsonLog, textLog []byte) {
	g := loggen.New(3, loggen.WithDuration(d))
	r := rand.New(rand.NewPCG(3, 3))
	var jb, tb bytes.Buffer
	for {
		l, ok := g.Next()
		if !ok {
			return jb.Bytes(), tb.Bytes()
		}
		msg, _ := json.Marshal(l.Message)
		parts := []string{
			`"service":"checkout"`,
			`"host":"node-` + strconv.Itoa(r.IntN(8)) + `"`,
			`"req_id":"` + strconv.FormatUint(r.Uint64(), 16) + `"`,
			`"duration_ms":` + strconv.Itoa(r.IntN(900)),
		}
		r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		jb.WriteString(`{"time":"` + l.Time.UTC().Format(time.RFC3339Nano) + `","level":"` + l.Level.String() + `","msg":` + string(msg) + "," + strings.Join(parts, ",") + "}\n")
		tb.WriteString(l.Text + "\n")
	}
}

package lipserviceprocessor_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

// benchBatch is the number of records per batch (the batch processor's
// default send size is 8192; OTLP exporters in SDKs send up to 512).
const benchBatch = 1000

// benchTemplates are printf-style messages of a typical web service; the
// numbers vary per record, so the sampler normalizes them.
var benchTemplates = []string{
	"GET /api/cart/%d 200 in %dms",
	"POST /api/checkout 201 in %dms order=%d",
	"cache miss for key user:%d (ttl %ds)",
	"db query took %dms rows=%d",
	"user %d logged in from 10.0.%d.1",
	"retrying request to payments (attempt %d of %d)",
	"connection pool: %d active, %d idle",
	"rendered template cart.html in %dms (%d bytes)",
}

// benchLogs returns a batch of benchBatch records of one service: INFO
// (90 %), DEBUG (8 %) and WARN (2 %), so no severity rule keeps them all.
func benchLogs() plog.Logs { return benchLogsN(benchBatch) }

// benchLogsN is benchLogs with n records.
func benchLogsN(n int) plog.Logs {
	rng := rand.New(rand.NewPCG(1, 1))
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "checkout")
	lrs := rl.ScopeLogs().AppendEmpty().LogRecords()
	for i := range n {
		lr := lrs.AppendEmpty()
		tpl := benchTemplates[rng.IntN(len(benchTemplates))]
		lr.Body().SetStr(fill(tpl, rng))
		switch p := rng.IntN(100); {
		case p < 2:
			lr.SetSeverityNumber(plog.SeverityNumberWarn)
		case p < 10:
			lr.SetSeverityNumber(plog.SeverityNumberDebug)
		default:
			lr.SetSeverityNumber(plog.SeverityNumberInfo)
		}
		lr.SetTimestamp(pcommonTS(t0.Add(time.Duration(i) * time.Millisecond)))
		lr.Attributes().PutStr("http.route", "/api/cart")
	}
	return ld
}

// fill replaces each %d in tpl with a random number.
func fill(tpl string, rng *rand.Rand) string {
	var out []byte
	for i := 0; i < len(tpl); i++ {
		if tpl[i] == '%' && i+1 < len(tpl) && tpl[i+1] == 'd' {
			out = strconv.AppendInt(out, int64(rng.IntN(5000)), 10)
			i++
			continue
		}
		out = append(out, tpl[i])
	}
	return string(out)
}

// jsonConsumer is a downstream that does real work per record: it
// marshals the batch to OTLP JSON, as an exporter encodes it.
type jsonConsumer struct {
	m     plog.JSONMarshaler
	bytes int
}

func (c *jsonConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (c *jsonConsumer) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	b, err := c.m.MarshalLogs(ld)
	c.bytes += len(b)
	return err
}

// passThrough builds a processor with the same processorhelper wrapping
// as lipservice but an identity function: the baseline.
func passThrough(b *testing.B, next consumer.Logs) processor.Logs {
	set := processortest.NewNopSettings(component.MustNewType("passthrough"))
	p, err := processorhelper.NewLogs(context.Background(), set, nil, next,
		func(_ context.Context, ld plog.Logs) (plog.Logs, error) { return ld, nil },
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}))
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkProcessor_ConsumeLogs measures records/s through the lipservice
// processor against a pass-through processor, in the same run, with a
// downstream that does nothing ("nop") or marshals to OTLP JSON ("json").
// Every iteration copies a fixed batch (the processor removes records in
// place); the "copy" rows measure that copy alone, to be subtracted.
func BenchmarkProcessor_ConsumeLogs(b *testing.B) {
	src := benchLogs()
	procs := []struct {
		name string
		cfg  func() *lipserviceprocessor.Config // nil: pass-through
	}{
		{"passthrough", nil},
		{"lipservice-keepall", defaultConfig},
		{"lipservice-10pct", func() *lipserviceprocessor.Config {
			c := defaultConfig()
			c.Policy = uniform(0.1)
			return c
		}},
	}
	downs := []string{"nop", "json"}
	for _, down := range downs {
		b.Run("copy/"+down, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ld := plog.NewLogs()
				src.CopyTo(ld)
			}
			report(b)
		})
		for _, pc := range procs {
			b.Run(pc.name+"/"+down, func(b *testing.B) {
				b.ReportAllocs()
				var next consumer.Logs = consumertest.NewNop()
				jc := &jsonConsumer{}
				if down == "json" {
					next = jc
				}
				var p processor.Logs
				if pc.cfg == nil {
					p = passThrough(b, next)
				} else {
					p = newProcessor(b, pc.cfg(), next, nil)
				}
				require := func(err error) {
					if err != nil {
						b.Fatal(err)
					}
				}
				require(p.Start(context.Background(), componenttest.NewNopHost()))
				ctx := context.Background()
				for b.Loop() {
					ld := plog.NewLogs()
					src.CopyTo(ld)
					require(p.ConsumeLogs(ctx, ld))
				}
				report(b)
				if down == "json" && jc.bytes == 0 {
					b.Fatal("the downstream marshaled nothing")
				}
			})
		}
	}
}

func report(b *testing.B) {
	b.ReportMetric(float64(benchBatch)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(float64(benchBatch)*float64(b.N)), "ns/record")
}

// BenchmarkProcessor_Interleaved runs the same batch through the copy
// alone, the pass-through processor and the lipservice processor (keep-all,
// keep-all without the anomaly valve, and 10 % keep) in turn within every iteration, rotating the order, and
// reports the median time per record of each and their ratios. On a
// shared machine, whose load changes from second to second, this compares
// the variants under the same load, which separate sub-benchmarks do not.
// The "net" ratios (json downstream only) subtract the median copy time
// from both sides.
func BenchmarkProcessor_Interleaved(b *testing.B) {
	src := benchLogs()
	for _, down := range []string{"nop", "json"} {
		b.Run(down, func(b *testing.B) {
			b.ReportAllocs()
			mk := func() (consumer.Logs, *jsonConsumer) {
				if down == "json" {
					jc := &jsonConsumer{}
					return jc, jc
				}
				return consumertest.NewNop(), nil
			}
			tenPct := defaultConfig()
			tenPct.Policy = uniform(0.1)
			noValve := defaultConfig()
			noValve.Anomaly = false
			n1, _ := mk()
			n2, _ := mk()
			n3, jc := mk()
			n4, _ := mk()
			variants := []processor.Logs{
				nil, // the copy alone
				passThrough(b, n1),
				newProcessor(b, defaultConfig(), n2, nil),
				newProcessor(b, tenPct, n3, nil),
				newProcessor(b, noValve, n4, nil),
			}
			times := make([][]time.Duration, len(variants))
			ctx := context.Background()
			i := 0
			for b.Loop() {
				for j := range variants {
					v := (i + j) % len(variants)
					start := time.Now()
					ld := plog.NewLogs()
					src.CopyTo(ld)
					if variants[v] != nil {
						if err := variants[v].ConsumeLogs(ctx, ld); err != nil {
							b.Fatal(err)
						}
					}
					times[v] = append(times[v], time.Since(start))
				}
				i++
			}
			med := make([]float64, len(times))
			for v, ts := range times {
				slices.Sort(ts)
				med[v] = float64(ts[len(ts)/2].Nanoseconds()) / benchBatch
			}
			b.ReportMetric(med[0], "copy-ns/record")
			b.ReportMetric(med[1], "passthrough-ns/record")
			b.ReportMetric(med[2], "keepall-ns/record")
			b.ReportMetric(med[3], "keep10-ns/record")
			b.ReportMetric(med[4], "keepall-novalve-ns/record")
			b.ReportMetric(med[2]/med[1], "keepall/passthrough")
			b.ReportMetric(med[4]/med[1], "keepall-novalve/passthrough")
			b.ReportMetric(med[3]/med[1], "keep10/passthrough")
			if down == "json" {
				// With a no-op downstream the pass-through costs about
				// the copy, so a net ratio would divide by noise.
				b.ReportMetric((med[2]-med[0])/(med[1]-med[0]), "keepall/passthrough-net")
				b.ReportMetric((med[3]-med[0])/(med[1]-med[0]), "keep10/passthrough-net")
			}
			if jc != nil && jc.bytes == 0 {
				b.Fatal("the downstream marshaled nothing")
			}
		})
	}
}

package lipserviceprocessor_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/srex-dev/lipservice-go/collector/lipserviceprocessor"
)

// Example builds the processor from its factory with an inline policy that
// drops what no other rule keeps, after the first 2 records of each
// pattern: the ERROR record is kept by severity.
func Example() {
	f := lipserviceprocessor.NewFactory()
	cfg := f.CreateDefaultConfig().(*lipserviceprocessor.Config)
	cfg.Policy = map[string]any{"global_rate": 0, "first_n": 2}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	sink := new(consumertest.LogsSink)
	ctx := context.Background()
	p, err := f.CreateLogs(ctx, processortest.NewNopSettings(f.Type()), cfg, sink)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := p.Start(ctx, componenttest.NewNopHost()); err != nil {
		fmt.Println(err)
		return
	}
	defer p.Shutdown(ctx)

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("service.name", "checkout")
	lrs := rl.ScopeLogs().AppendEmpty().LogRecords()
	for i := range 5 {
		lr := lrs.AppendEmpty()
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		lr.Body().SetStr(fmt.Sprintf("cart %d updated", i))
	}
	lr := lrs.AppendEmpty()
	lr.SetSeverityNumber(plog.SeverityNumberError)
	lr.Body().SetStr("payment declined")

	if err := p.ConsumeLogs(ctx, ld); err != nil {
		fmt.Println(err)
		return
	}
	got := sink.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := range got.Len() {
		fmt.Println(got.At(i).Body().Str())
	}
	// Output:
	// cart 0 updated
	// cart 1 updated
	// payment declined
}

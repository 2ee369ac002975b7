package loggen_test

import (
	"fmt"
	"time"

	"github.com/srex-dev/lipservice-go/internal/loggen"
)

func Example() {
	g := loggen.New(42, loggen.WithDuration(10*time.Minute), loggen.WithLinesPerSecond(20))
	for range 4 {
		l, _ := g.Next()
		fmt.Println(l.Text)
		fmt.Printf("  template %d %q\n", l.Template, g.Templates()[l.Template].Text)
	}
	// Output:
	// 2026-03-14T10:00:00.003Z INFO health check passed component=db latency=3.7ms
	//   template 2 "health check passed component=db latency=<*>"
	// 2026-03-14T10:00:00.029Z DEBUG cache hit key=product:351374 ttl=1286s
	//   template 1 "cache hit key=product:<*> ttl=<*>"
	// 2026-03-14T10:00:00.066Z DEBUG span exported trace_id=1dbc31767038941e46ba28afcb4e0b8e spans=28
	//   template 3 "span exported trace_id=<*> spans=<*>"
	// 2026-03-14T10:00:00.086Z WARN slow request path=/api/v1/search duration=599ms threshold=500ms
	//   template 12 "slow request path=/api/v1/search duration=<*> threshold=500ms"
}

func ExampleGenerator_Incidents() {
	g := loggen.New(1, loggen.WithDuration(time.Hour))
	for _, in := range g.Incidents() {
		fmt.Printf("%-11s %-11s %s +%v\n", in.Name, in.Kind, in.Start.Format("15:04:05"), in.End.Sub(in.Start))
	}
	// Output:
	// spike       spike       10:15:00 +3m0s
	// error-surge error-surge 10:27:00 +4m30s
	// new-warn    new-pattern 10:36:00 +6m0s
	// new-error   new-pattern 10:45:00 +3m0s
	// silence     silence     10:51:00 +9m0s
}

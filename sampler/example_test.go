package sampler_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/signature"
)

// A sampler under a policy that keeps the first 2 records of each pattern
// per window, all errors, and nothing else.
func Example() {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(2)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for _, r := range []sampler.Record{
		{Time: at, Level: slog.LevelInfo, Message: "GET /health took 3 ms"},
		{Time: at, Level: slog.LevelInfo, Message: "GET /health took 4 ms"},
		{Time: at, Level: slog.LevelInfo, Message: "GET /health took 2 ms"},
		{Time: at, Level: slog.LevelError, Message: "db timeout after 30 s"},
	} {
		d := s.Decide(&r)
		fmt.Printf("%-22s keep=%-5v rate=%v reason=%v\n", r.Message, d.Keep, d.Rate, d.Reason)
	}
	st := s.Stats()
	fmt.Printf("seen %d, kept %d, dropped %d, patterns %d\n", st.Seen, st.Kept, st.Dropped, len(st.Patterns))
	// Output:
	// GET /health took 3 ms  keep=true  rate=1 reason=first_n
	// GET /health took 4 ms  keep=true  rate=1 reason=first_n
	// GET /health took 2 ms  keep=false rate=0 reason=global
	// db timeout after 30 s  keep=true  rate=1 reason=first_n
	// seen 4, kept 3, dropped 1, patterns 2
}

// Records of one trace are kept or dropped together: the decision is a
// function of the trace ID and the rate.
func ExampleSampler_Decide_traceConsistent() {
	s, _ := sampler.New(sampler.WithPolicy(policy.Uniform(0.5)))
	defer s.Shutdown(context.Background())
	trace := [16]byte{8: 0x10} // bytes 8-15 are small: below every threshold
	for _, msg := range []string{"request start", "query users", "request end"} {
		d := s.Decide(&sampler.Record{Message: msg, TraceID: trace})
		fmt.Println(msg, d.Keep, d.Rate)
	}
	// Output:
	// request start true 0.5
	// query users true 0.5
	// request end true 0.5
}

// A summary of each window, delivered on the Sampler's own goroutine.
func ExampleWithSummary() {
	summaries := make(chan sampler.Summary, 1)
	s, _ := sampler.New(
		sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}),
		sampler.WithSummary(func(sum sampler.Summary) { summaries <- sum }),
	)
	defer s.Shutdown(context.Background())

	at := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for range 1000 {
		s.Decide(&sampler.Record{Time: at, Message: "cache miss for key 42"})
	}
	s.Decide(&sampler.Record{Time: at.Add(10 * time.Second), Message: "next window"})
	sum := <-summaries
	fmt.Println(sum.Start, sum.End.Sub(sum.Start))
	fmt.Println(sum.Seen, "seen,", sum.Kept, "kept,", sum.Dropped, "dropped")
	p := sum.Patterns[0]
	fmt.Println(p.Pattern == signature.Of("cache miss for key 7"), p.Dropped, "dropped")
	// Output:
	// 2026-03-14 10:00:00 +0000 UTC 10s
	// 1000 seen, 1 kept, 999 dropped
	// true 999 dropped
}

// The kill switch keeps everything at once, without touching the policy.
func ExampleSampler_Disable() {
	s, _ := sampler.New(sampler.WithPolicy(policy.Uniform(0)))
	defer s.Shutdown(context.Background())
	r := &sampler.Record{Message: "noisy"}
	fmt.Println(s.Decide(r).Keep)
	s.Disable()
	d := s.Decide(r)
	fmt.Println(d.Keep, d.Reason)
	// Output:
	// false
	// true disabled
}

// A policy that fails validation is refused and the one in force stays.
func ExampleSampler_SetPolicy() {
	s, _ := sampler.New(sampler.WithPolicy(policy.KeepAll()))
	defer s.Shutdown(context.Background())
	err := s.SetPolicy(&policy.Policy{SeverityRates: map[string]float64{"VERBOSE": 0.1}})
	fmt.Println(err)
	fmt.Println(s.Policy().GeneratedBy)
	// Output:
	// policy: invalid severity_rates[VERBOSE]: unknown severity name (want DEBUG, INFO, WARNING, ERROR or CRITICAL)
	// lipservice-go:keep-all
}

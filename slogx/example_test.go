package slogx_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// noTime removes the time from the JSON output so that it is stable.
func noTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}

type requestKey struct{}

// A service drops its debug records, keeps a quarter of its info records
// (whole requests at a time, by trace ID) and every error. Kept info records
// carry sample_rate=4: each stands for four.
func Example() {
	p := policy.KeepAll()
	p.SeverityRates = map[string]float64{policy.SeverityDebug: 0, policy.SeverityInfo: 0.25}
	s, err := sampler.New(sampler.WithPolicy(p))
	if err != nil {
		panic(err)
	}
	defer s.Shutdown(context.Background())

	json := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: noTime})
	logger := slog.New(slogx.New(json, s, slogx.WithTraceID(func(ctx context.Context) [16]byte {
		id, _ := ctx.Value(requestKey{}).([16]byte)
		return id
	})))

	sampled := context.WithValue(context.Background(), requestKey{}, [16]byte{15: 1})
	unsampled := context.WithValue(context.Background(), requestKey{}, [16]byte{8: 0xf0})

	// Request-scoped loggers: attributes given to With come before
	// sample_rate in the output, whereas a record's own attributes may
	// come after it or, for the weights most used, before (see
	// Handler.Handle).
	logger.Debug("cache hit", "key", "user:42")
	logger.With("path", "/api/orders", "status", 200).InfoContext(sampled, "request served")
	logger.With("path", "/api/cart", "status", 200).InfoContext(unsampled, "request served")
	logger.Error("upstream timeout", "upstream", "payments")

	st := s.Stats()
	fmt.Printf("seen %d, kept %d, dropped %d\n", st.Seen, st.Kept, st.Dropped)
	// Output:
	// {"level":"INFO","msg":"request served","path":"/api/orders","status":200,"sample_rate":4}
	// {"level":"ERROR","msg":"upstream timeout","upstream":"payments"}
	// seen 4, kept 2, dropped 2
}

// WithRateKey renames the weight attribute; an empty key removes it.
func ExampleWithRateKey() {
	s, err := sampler.New(sampler.WithPolicy(policy.Uniform(0.5)))
	if err != nil {
		panic(err)
	}
	defer s.Shutdown(context.Background())
	json := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})
	logger := slog.New(slogx.New(json, s,
		slogx.WithRateKey("weight"),
		slogx.WithTraceID(func(context.Context) [16]byte { return [16]byte{15: 1} })))

	// With, so that the weight comes last (see Example).
	logger.With("job", "nightly-report").Info("job finished")
	// Output:
	// {"level":"INFO","msg":"job finished","job":"nightly-report","weight":2}
}

// A nil sampler makes the handler a pass-through, so a configuration can
// turn sampling off without rewiring the logger.
func ExampleNew_nilSampler() {
	logger := slog.New(slogx.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}), nil))
	logger.Info("kept", "n", 1)
	// Output:
	// level=INFO msg=kept n=1
}

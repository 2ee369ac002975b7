package slogx_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/slogx"
)

// One sampler in front of a fan-out: each record is decided once, and the
// kept ones go to every branch with the same weight. Here a JSON branch on
// stdout and a text branch into a buffer see the same three records of
// ten, and the sampler counts ten.
func Example_fanOut() {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(3)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	var text strings.Builder
	fanOut := slog.NewMultiHandler(
		slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}),
		slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: noTime}),
	)
	logger := slog.New(slogx.New(fanOut, s)) // not slogx.New around each branch
	for i := range 10 {
		logger.Info("request served", "n", i)
	}
	fmt.Print(text.String())
	st := s.Stats()
	fmt.Println("seen", st.Seen, "kept", st.Kept)
	// Output:
	// {"level":"INFO","msg":"request served","n":0}
	// {"level":"INFO","msg":"request served","n":1}
	// {"level":"INFO","msg":"request served","n":2}
	// level=INFO msg="request served" n=0
	// level=INFO msg="request served" n=1
	// level=INFO msg="request served" n=2
	// seen 10 kept 3
}

// A slogx hook sends the dropped records to a cheaper sink, here a text
// handler, so that nothing is lost while the main output is sampled.
func ExampleWithHook() {
	s, err := sampler.New(sampler.WithPolicy(&policy.Policy{GlobalRate: new(0.0), FirstN: new(1)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Shutdown(context.Background())

	cold := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})
	toCold := func(ctx context.Context, r slog.Record, d sampler.Decision) {
		if !d.Keep {
			r = r.Clone() // r shares its attributes with the caller's record
			r.AddAttrs(slog.String("sampled", "dropped"))
			_ = cold.Handle(ctx, r)
		}
	}
	hot := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})
	logger := slog.New(slogx.New(hot, s, slogx.WithHook(toCold)))
	for i := range 3 {
		logger.Info("job done", "id", i)
	}
	// Output:
	// {"level":"INFO","msg":"job done","id":0}
	// level=INFO msg="job done" id=1 sampled=dropped
	// level=INFO msg="job done" id=2 sampled=dropped
}

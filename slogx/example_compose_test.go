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

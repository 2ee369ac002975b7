package zapx_test

import (
	"context"
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/sampler"
	"github.com/srex-dev/lipservice-go/zapx"
)

// A service keeps a quarter of its info entries and every error; kept info
// entries carry sample_rate=4: each stands for four.
func Example() {
	p := &policy.Policy{FirstN: new(0), SeverityRates: map[string]float64{policy.SeverityInfo: 0.25}}
	s, err := sampler.New(sampler.WithPolicy(p), sampler.WithSeed(1)) // a seed makes the kept positions reproducible
	if err != nil {
		panic(err)
	}
	defer s.Shutdown(context.Background())

	enc := zapcore.NewJSONEncoder(zapcore.EncoderConfig{MessageKey: "msg", LevelKey: "level", EncodeLevel: zapcore.LowercaseLevelEncoder})
	json := zapcore.NewCore(enc, zapcore.AddSync(os.Stdout), zapcore.DebugLevel)
	logger := zap.New(zapx.NewCore(json, s))

	for i := range 8 {
		logger.Info("request served", zap.Int("n", i))
	}
	logger.Error("upstream timeout", zap.String("upstream", "payments"))

	st := s.Stats()
	fmt.Printf("seen %d, kept %d, dropped %d\n", st.Seen, st.Kept, st.Dropped)
	// Output:
	// {"level":"info","msg":"request served","sample_rate":4,"n":3}
	// {"level":"info","msg":"request served","sample_rate":4,"n":7}
	// {"level":"error","msg":"upstream timeout","upstream":"payments"}
	// seen 9, kept 3, dropped 6
}

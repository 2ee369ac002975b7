package loghub_test

import (
	"fmt"

	"github.com/srex-dev/lipservice-go/internal/loghub"
)

// Score a parser that groups the lines right but writes one template
// differently from the ground truth.
func ExampleScore() {
	truth := []string{"open <*>", "open <*>", "close"}
	pred := []string{"open <*>", "open <*>", "close <*>"}
	s := loghub.Score(truth, pred)
	fmt.Printf("GA %.2f PA %.2f FGA %.2f FTA %.2f\n", s.GA, s.PA, s.FGA, s.FTA)
	// Output: GA 1.00 PA 0.67 FGA 1.00 FTA 0.50
}

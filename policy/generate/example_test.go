package generate_test

import (
	"fmt"
	"time"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/signature"
)

// Generate turns an hour of pattern volume into per-pattern rates for a
// 5 % target: the error pattern and the new pattern are exempt, the rare
// pattern is kept in full, and the two chatty ones carry the cut (the
// louder one keeps fewer records per record it logs, but more records in
// total).
func ExamplePolicy() {
	pv := func(tpl string, info, errs uint64) generate.PatternVolume {
		return generate.PatternVolume{Pattern: signature.OfTemplate(tpl), Template: tpl, Count: info + errs,
			Levels: policy.LevelCounts{Info: info, Error: errs}}
	}
	newPattern := pv("feature flag <*> evaluated", 400, 0)
	newPattern.New = true
	g, err := generate.Policy(generate.Input{
		Window: time.Hour,
		Target: generate.Target{KeepFraction: 0.05},
		Patterns: []generate.PatternVolume{
			pv("cache hit for key <*>", 900000, 0),
			pv("GET /orders served in <*> ms", 90000, 0),
			pv("session refreshed for user <*>", 2000, 0),
			pv("payment failed with code <*>", 0, 120),
			newPattern,
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range g.Rates {
		fmt.Printf("%-32s %7d  rate %.4f  %s\n", r.Template, r.Count, r.Rate, r.Reason)
	}
	fmt.Printf("projected: keep %.0f of %.0f records (%.1f %%), reachable %v\n", g.Kept, g.Total, 100*g.KeptFraction, g.Reachable)
	fmt.Println("pattern_rates entries:", len(g.Policy.PatternRates))
	fmt.Println(g.Policy.Reasoning)
	// Output:
	// cache hit for key <*>             900000  rate 0.0320  chatty: 900000 records, keeps 28842.7 = level·(1+ln(count/level)) at level 4594.6
	// GET /orders served in <*> ms       90000  rate 0.2029  chatty: 90000 records, keeps 18263.3 = level·(1+ln(count/level)) at level 4594.6
	// session refreshed for user <*>      2000  rate 1.0000  rare: 2000 records, under the level 4594.6: kept in full
	// feature flag <*> evaluated           400  rate 1.0000  new pattern: kept in full for now
	// payment failed with code <*>         120  rate 1.0000  has ERROR/CRITICAL records (120): kept in full
	// projected: keep 49626 of 992520 records (5.0 %), reachable true
	// pattern_rates entries: 2
	// Generated from 5 patterns, 992520 records over 1h0m0s; target: keep 5.0 % (49626 records). Kept in full: 1 with errors, 0 anomalous, 1 new, 1 rare. 2 chatty patterns carry the cut (level 4594.6 records). Projected: keep 49626 records (5.0 %), savings 95.0 %.
}

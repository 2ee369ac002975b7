package analyze_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"slices"
	"strings"

	"github.com/srex-dev/lipservice-go/analyze"
)

// ExampleAnalyzeFiles analyzes a bundled sample of HDFS logs (Loghub), prints
// its most frequent patterns and the recommended policy: the levels it
// keeps in full and the rate of each chatty signature.
func ExampleAnalyzeFiles() {
	rep, err := analyze.AnalyzeFiles(context.Background(),
		analyze.Options{Format: "<Date> <Time> <Pid> <Level> <Component>: <Content>", Top: 3},
		"testdata/hdfs_200.log")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Input.Lines, "lines,", rep.Input.Patterns, "patterns")
	for _, p := range rep.Patterns {
		fmt.Printf("%4d  %s\n", p.Count, p.Template)
	}
	fmt.Println("exempt levels:", rep.Policy.Exempt.Levels)
	sigs := make([]string, 0, len(rep.Policy.PatternRates))
	for sig := range rep.Policy.PatternRates {
		sigs = append(sigs, sig.String())
	}
	slices.Sort(sigs)
	fmt.Println(len(sigs), "pattern rates, e.g.", sigs[0])
	// Output:
	// 200 lines, 9 patterns
	//   43  Received block <*> of size <*> from <*>
	//   39  PacketResponder <*> for block <*> terminating
	//   38  BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>
	// exempt levels: [ERROR CRITICAL]
	// 8 pattern rates, e.g. 07f34feadc5809cc
}

// ExampleAnalyze analyzes lines from a reader and prints the patterns, the
// projected kept share and the recommended policy as JSON.
func ExampleAnalyze() {
	logs := strings.NewReader(`2026-03-14T10:00:00Z INFO user 17 logged in from 10.0.0.1
2026-03-14T10:00:01Z INFO user 18 logged in from 10.0.0.2
2026-03-14T10:00:02Z ERROR payment 5 failed: read timed out
`)
	rep, err := analyze.Analyze(context.Background(), logs, analyze.Options{Target: 0.5})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range rep.Patterns {
		fmt.Println(p.Count, p.Levels, p.Template)
	}
	fmt.Printf("keep %.0f%% of the lines\n", 100*rep.Projection.KeptLines/float64(rep.Projection.Lines))
	pol, err := json.MarshalIndent(rep.Policy, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(pol))
	// Output:
	// 2 map[INFO:2] user <*> logged in from <*>
	// 1 map[ERROR:1] payment <*> failed: read timed out
	// keep 50% of the lines
	// {
	//   "version": 0,
	//   "global_rate": 1,
	//   "pattern_rates": {
	//     "6352ded5a7019e91": 0.25
	//   },
	//   "pattern_map": {
	//     "6352ded5a7019e91": "6352ded5a7019e91"
	//   },
	//   "reasoning": "Generated from 2 patterns, 3 records over 2s; target: keep 50.0 % (1.5 records). Kept in full: 1 with errors, 0 anomalous, 0 new, 0 rare. 1 chatty patterns carry the cut (level 0.1 records). Projected: keep 1.5 records (50.0 %), savings 50.0 %.",
	//   "generated_by": "lipservice-go:generator",
	//   "first_n": 0,
	//   "exempt": {
	//     "levels": [
	//       "ERROR",
	//       "CRITICAL"
	//     ]
	//   }
	// }
}

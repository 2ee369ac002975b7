package analyze_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/srex-dev/lipservice-go/analyze"
)

// Example analyzes a few lines from stdin and prints the text report. Exit
// code 0: the analysis succeeded (and, even with --exit-code, the lines span
// too little time for any anomaly).
func Example() {
	logs := strings.NewReader(`2026-03-14T10:00:00Z INFO user 17 logged in from 10.0.0.1
2026-03-14T10:00:01Z INFO user 18 logged in from 10.0.0.2
2026-03-14T10:00:01Z INFO user 19 logged in from 10.0.0.7
2026-03-14T10:00:02Z WARN disk /var is 91% full
2026-03-14T10:00:03Z ERROR payment 5 failed: java.net.SocketTimeoutException: read timed out
`)
	code := analyze.Run(context.Background(), []string{"--top", "2", "--target", "0.5"}, logs, os.Stdout, os.Stderr)
	fmt.Println("exit code", code)
	// Output:
	// INPUT
	//   files     -
	//   lines     5 (315 B), 5 with a time
	//   time      2026-03-14 10:00:00 .. 2026-03-14 10:00:03 (3s)
	//   patterns  3 (3 signatures)
	//   interval  anomalies counted per 1s (--interval; 0 chooses it from the input's rate)
	//
	// PATTERNS (top 2 of 3)
	//   #  COUNT  SHARE  BYTES  LEVELS  FIRST SEEN           LAST SEEN            RATE  TEMPLATE
	//   1  3      60.0%  174 B  INFO    2026-03-14 10:00:00  2026-03-14 10:00:01  0.3   user <*> logged in from <*>
	//   2  1      20.0%  93 B   ERROR   2026-03-14 10:00:03  2026-03-14 10:00:03  1     payment <*> failed: java.net.SocketTimeoutException: read timed out  [errors: java.net.SocketTimeoutException 1]
	//
	// CLUSTERS: none (no two patterns are related)
	//
	// ANOMALIES: none
	//
	// RECOMMENDED POLICY (target: keep 50.0% of the lines)
	// {
	//   "version": 0,
	//   "global_rate": 1,
	//   "pattern_rates": {
	//     "6352ded5a7019e91": 0.29731168245071105,
	//     "80793303055bf561": 0.6080649526478666
	//   },
	//   "pattern_map": {
	//     "6352ded5a7019e91": "6352ded5a7019e91",
	//     "80793303055bf561": "80793303055bf561"
	//   },
	//   "reasoning": "Generated from 3 patterns, 5 records over 3s; target: keep 50.0 % (2.5 records). Kept in full: 1 with errors, 0 anomalous, 0 new, 0 rare. 2 chatty patterns carry the cut (level 0.3 records). Projected: keep 2.5 records (50.0 %), savings 50.0 %.",
	//   "generated_by": "lipservice-go:generator",
	//   "first_n": 0,
	//   "exempt": {
	//     "levels": [
	//       "ERROR",
	//       "CRITICAL"
	//     ]
	//   }
	// }
	//
	// PROJECTION (at 0.50 per GB)
	//   the policy's rates times the counts (the input cannot be read twice: first-N, windows and the anomaly valve not simulated)
	//          TOTAL     KEPT     REDUCTION
	//   lines  5         2        50.0%
	//   bytes  315 B     174 B    44.8%
	//   cost   1.58e-07  8.7e-08  7.05e-08 saved
	// exit code 0
}

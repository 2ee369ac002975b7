//go:build race

package quality_test

// raceEnabled reports whether the race detector is on; the quality test
// replays a smaller stream then, to stay within its time budget.
const raceEnabled = true

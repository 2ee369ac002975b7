//go:build !race

package cluster_test

// minerRace reports whether the race detector is on (allocation pins and
// the 1 M-message test are skipped under it).
const minerRace = false

//go:build race

package anomaly_test

// raceEnabled shortens the long simulations under the race detector, which
// slows them about tenfold; the assertions are the same.
const raceEnabled = true

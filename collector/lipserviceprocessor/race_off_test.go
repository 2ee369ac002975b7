//go:build !race

package lipserviceprocessor_test

const raceEnabled = false

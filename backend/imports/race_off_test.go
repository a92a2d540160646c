//go:build !race

package imports

// raceEnabled: the race detector multiplies memory use, see race_on_test.go.
const raceEnabled = false

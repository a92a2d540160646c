//go:build race

package imports

// raceEnabled: the race detector multiplies memory use (5 to 10 times), so the memory tests
// loosen their budget and shrink their files under it.
const raceEnabled = true

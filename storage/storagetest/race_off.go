//go:build !race

package storagetest

// raceScale is 1 without the race detector: the full loop counts run (see
// race_on.go).
const raceScale = 1

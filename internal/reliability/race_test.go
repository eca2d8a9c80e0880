//go:build race

package reliability

// raceEnabled relaxes timing assertions: the race detector slows code down
// several times.
const raceEnabled = true

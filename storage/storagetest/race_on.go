//go:build race

package storagetest

// raceScale divides the loop counts of the two heaviest subtests
// (NoLostUpdates and CursorWalkWhileWriting) under the race detector,
// which makes SQLite's pure-Go code several times slower. The writers stay
// as many, so the races the detector looks for still happen; a run
// without -race keeps the full counts of issue 7 (16 writers x 200
// updates, 400 profiles walked).
const raceScale = 4

// Package storagetest is the conformance suite of storage.Store: one Run
// function holding every promise the interface makes (CRUD and its errors,
// copies in and out, tenant isolation across every method, atomic profile
// and history writes, no lost updates under 16 concurrent writers,
// cancellation (CancelEveryStep: each write cancelled at every point where
// the store looks at its context and at moments spread over its duration,
// the outcome reported compared with what is stored), bounded input,
// pagination walks by number and by cursor while others write, history
// pages, retention and redaction, a forced delete while others update), as
// gocloud.dev's drivertest does for its drivers.
//
// Queries are attacked as well: page numbers up to math.MaxInt and pages
// beyond the end, text filters that fold to nothing, every filter at and
// beyond its bound, and cursors that must reveal no personal data in any
// encoding the suite can undo and must be refused in another tenant, for
// another query or kind of walk, and when altered or truncated.
//
// Start from Run. Each adapter's test is a few lines:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store { return memory.New() })
//	}
//
// Under the race detector (go test -race) the two heaviest subtests,
// NoLostUpdates and CursorWalkWhileWriting, run a quarter of their loop
// counts with as many goroutines (see raceScale): the detector makes the
// pure-Go SQLite several times slower, and the races it looks for need
// the concurrency, not the length. Without -race they run in full: 16
// writers x 200 updates, 400 profiles walked while others write.
//
// Run starts no goroutine that outlives it; its subtests run one after the
// other, and some start goroutines of their own against the store.
package storagetest

// Package faultdriver wraps a database/sql driver so that tests can make the
// n-th call into the database fail: opening a connection, beginning,
// preparing, executing, querying, reading a row, committing or rolling back.
// It is how the reliability tests prove that a failure at any step of a
// write leaves the store exactly as it was (issue 11, "Fault injection").
//
// Start from Register, which wraps a driver under a name of its own and
// returns the *Driver that controls it; then Arm it with a Plan. Every call
// through the driver is counted, in order, from the last Arm, so a test first
// runs an operation unarmed to learn how many calls it makes (Calls), then
// repeats it once for every n.
//
// After an injected failure the connection reports itself invalid, so that
// database/sql closes it instead of reusing a connection whose state the
// failure left unknown; a failed Commit or Rollback still rolls the real
// transaction back, as a broken connection would.
//
// A Driver is safe for concurrent use; its counter is shared by every
// connection it opened, so tests that arm it run one operation at a time.
package faultdriver

// Package reliability holds the cross-package reliability and security tests
// of the library (issue 11): crash safety of the SQLite store under SIGKILL,
// fault injection at every database call of a write, concurrent writers on
// every adapter, hostile conditions and documents, personal data kept out of
// logs and errors, and tenant isolation. RELIABILITY.md at the repository
// root lists each promise, the test here that proves it and the figures of
// the last run.
//
// The package has no API: everything is in its _test.go files. Start from
// main_test.go, whose TestMain also runs the child program of the crash
// test when the test binary is re-executed with KYC_RELIABILITY_CHILD set.
//
// The fault-injecting database/sql driver the fault tests use is in
// faultdriver_test.go, with its own tests. Tests that arm the shared driver
// do not run in parallel; the others may.
package reliability

// Package testsource gives tests deterministic sources of time and ids, the
// ones kyc.Options.Clock and kyc.Options.IDs take, so that every timestamp
// and id of a test run is known in advance.
//
// Start from NewClock and Sequence. Both are safe for concurrent use.
package testsource

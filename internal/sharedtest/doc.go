// Package sharedtest locates the project's shared reference material (the
// seeds and test vectors in ../shared beside the repository) for tests.
//
// Start from Path or Read; both skip the calling test, saying so, when the
// shared folder is absent. They are safe for concurrent use.
package sharedtest

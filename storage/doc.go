// Package storage is the contract between the library and the databases that
// keep profiles, their history and their comments: the Store interface, the
// list and history queries with their page metadata, the retention rule for
// deleting a profile, and the errors every adapter returns.
//
// Start from Store. Adapters live in sub-packages: storage/memory (in memory,
// for tests and small tools) and storage/sqlstore (SQLite, the embedded
// default, and PostgreSQL). Every adapter passes the conformance suite in
// storage/storagetest, so switching from one to another is a change of
// constructor only.
//
// # Promises
//
//   - Every method takes a context and a tenant; tenants never see each
//     other's data. A tenant needs no registration: a tenant that never wrote
//     anything sees empty lists and ErrNotFound.
//   - Writing a profile and its history entry is one atomic step. An update
//     names the version it was based on and fails with ErrConflict when the
//     stored version moved, so no update is ever lost (DESIGN.md, Storage).
//   - Profile and comment ids are unique per tenant and never reused: once a
//     profile is deleted its id stays spent, so that its redacted history
//     cannot be mixed with another profile's.
//   - Inputs are bounded: see MaxProfileBytes, MaxEntryBytes, MaxCommentBytes
//     and MaxIDBytes. Oversized input fails with ErrTooLarge and nothing is
//     stored.
//   - Errors carry the operation and record ids only, never personal data.
//
// # Concurrency
//
// A Store is safe for concurrent use by many goroutines; adapters that share
// a database across processes keep the same promises across processes. The
// values passed in are copied (or encoded) before a method returns, and the
// values returned belong to the caller.
package storage

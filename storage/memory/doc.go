// Package memory is an in-memory storage.Store: the default for tests,
// examples and small tools. It keeps every promise of storage.Store (checked
// by storage/storagetest) but nothing survives the process.
//
// Start from New. A Store is safe for concurrent use; profiles, entries and
// comments are copied on the way in and out, so a caller mutating a value it
// passed or received changes nothing stored. Profiles and entries are kept in
// their JSON encoding, so that they round-trip exactly as through the SQL
// store. Cursors are sealed with a random key of the Store's own unless
// WithCursorKey gives one.
package memory

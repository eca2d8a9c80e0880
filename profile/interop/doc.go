// Package interop imports and exports the other profile shapes of the
// seeds: the entity of seed 001 (an entity-verification request, with
// alpha-3 countries and extraData key/value/type triples) and the client of
// seed 002 (a client API's individual or corporate client, its request
// envelope and its paginated list).
//
// Start from ImportEntity and ImportClientRequest. Every import returns the
// profile and the list of what the profile cannot hold (Unmapped: a JSON
// path and a reason), so that nothing is dropped silently; Options.Strict
// turns that list into an error. Every export returns the JSON and the
// profile fields the shape cannot hold. Importing is mapping only: the
// profile is not normalised or validated here (the profile package does
// that), so that exporting gives back the JSON value that was imported.
//
// The functions keep no state and are safe for concurrent use; the
// profiles they return are plain values owned by the caller.
package interop

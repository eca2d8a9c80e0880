// Package profile is the canonical digital profile of a natural or legal
// person: its types and exact JSON wire format (seed 003), normalisation,
// validation with JSON paths, tenant metadata schemas and relation types.
// Which edits need KYC re-verification is package fieldchange; import and
// export of the other profile shapes of the seeds is profile/interop.
//
// Start from Profile. The usual path is
//
//	p, err := profile.Decode(data) // lenient: unknown top-level keys kept
//	p.Normalize()                  // NFC, trimmed, name derived, ISO countries
//	err = v.Validate(p)            // v := profile.NewValidator(opts); every problem at once
//	out, err := profile.Encode(p)
//
// The wire format is the seed's: integer milliseconds for timestamps and for
// calendar dates (midnight UTC, never shifted by the local zone), exact
// numbers in metadata. Decode is lenient by default so that a tenant's extra
// keys survive a read-modify-write; DecodeStrict refuses unknown keys.
// Keys match case-sensitively, a key repeated in any object is a syntax
// error, and Encode writes the top-level keys in the order of the seed's
// examples (see Profile). The codec is go-json-experiment/json's; Profile
// and Object also implement its MarshalerTo and UnmarshalerFrom, and
// encoding/json's Marshaler and Unmarshaler, so a Profile inside a
// caller's struct encodes the same way with either library.
// Inputs over MaxInputSize bytes are refused before any decoding, and
// inputs nested deeper than MaxDepth before any recursion deeper than
// that. Errors and String texts carry JSON paths and kinds of
// problem, never personal values.
//
// Validation bounds what a store receives and what a tenant's schema can
// cost: every string, map key and metadata value must be StorableText
// (valid UTF-8 without NUL, which PostgreSQL refuses and the other stores
// keep), so every store accepts and refuses the same profiles; a metadata
// schema whose expansion passes MaxSchemaNodes is refused when it is
// compiled, and one validation reports at most MaxSchemaProblems schema
// problems.
//
// Concurrency: a Profile is a plain value and is not safe for concurrent
// mutation. A Validator, a compiled MetadataSchema and a RelationTypes
// registry are immutable once built and safe for concurrent use;
// the package-level Decode, Validate and Encode may be called from any
// goroutine.
package profile

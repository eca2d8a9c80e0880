// Package profile is the canonical digital profile of a natural or legal
// person: its types and exact JSON wire format (seed 003), normalisation,
// validation with JSON paths, tenant metadata schemas, relation types, the
// field-change rules that say which edits need KYC re-verification, and
// import/export of the other profile shapes of the seeds.
//
// Start from Profile. A Profile is a plain value and is not safe for
// concurrent mutation; a compiled MetadataSchema, a RelationTypes registry
// and a ChangePolicy are immutable once built and safe for concurrent use.
package profile

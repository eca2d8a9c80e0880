// Package history keeps the audit history of a profile in the format of the
// digital-profile seed (003, section 3.2), which is the format of the Python
// library dictdiffer: a list of [op, path, values] triples.
//
// Start from Diff, which compares two decoded JSON documents, or DiffJSON,
// two JSON texts, and returns Changes in dictdiffer's order: DiffJSON takes
// object keys in the order the texts have them, exactly as dictdiffer does
// on documents read by Python's json.loads; Diff, whose Go maps have no
// order, sorts them (the order dictdiffer gives on sorted documents).
// Patch applies Changes forward and Revert undoes them, whichever order the
// changes come in. An Entry records one change of a profile: the version it
// starts from, the Changes, who made them and when. Rebuild turns the
// current document and its entries into the document at any earlier
// version, Replay goes forward from an initial one, and Entry.Render and
// Changes.Lines show entries on audit screens, values masked on request.
// Changes.Redact erases the values of a history while keeping its trail of
// paths, for retention deletion.
//
// Numbers keep their exact value throughout: documents decode with
// json.Number, and numbers compare by value (1 equals 1.0, integers above
// 2^53 stay distinct). Errors name change indexes, paths and versions, never
// values, so that they can be logged without personal data.
//
// Concurrency: the functions of this package keep no state and may be
// called concurrently. They never modify their arguments; results share
// unchanged parts with them, so documents and Changes must not be mutated
// while another goroutine reads them.
package history

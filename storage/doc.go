// Package storage is the contract between the library and the databases that
// keep profiles, their history and their comments: the Store interface, the
// list and history queries with their page metadata, the retention rule for
// deleting a profile, the cursor keys a Store seals with, and the errors
// every adapter returns. It is what a user of a Store needs.
//
// Start from Store. Adapters live in sub-packages: storage/memory (in memory,
// for tests and small tools) and storage/sqlstore (SQLite, the embedded
// default, and PostgreSQL). Every adapter passes the conformance suite in
// storage/storagetest, so switching from one to another is a change of
// constructor only. The kit for writing an adapter (argument checks,
// encodings, query preparation and cursor sealing shared by every adapter)
// is storage/driver, as database/sql/driver is for database/sql.
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
//   - Which workflow states end the business relationship is the caller's
//     to say (DeleteOptions.EndStates); a Store knows no state names.
//   - Inputs are bounded: see MaxProfileBytes, MaxEntryBytes, MaxCommentBytes
//     and MaxIDBytes. Oversized input fails with ErrTooLarge and nothing is
//     stored.
//   - Errors carry the operation and record ids only, never personal data.
//   - The reverse index of relations (who relates to a profile: RelatedTo)
//     and the relation rows RelationsOf reads are written in the same atomic
//     step as the create, update or delete that changes a profile's
//     relations, so a walk of the ownership graph never sees a half-written
//     change.
//   - The due work of a profile (Record.Due and DueReasons, opaque to the
//     store) is written in the same atomic step as the profile, goes with
//     it on delete, and is indexed by tenant and moment, so that a list by
//     Query.DueBy in SortDue order reads one index range.
//   - Every write given an Event (Record.Event, DeleteOptions.Event, the
//     comment writes' ev) appends it to the tenant's change feed in the
//     same atomic step as the change: a write that fails appends nothing,
//     and no event exists without its change. Changes reads the feed by
//     position; positions commit in the order they are handed out, so a
//     reader that continues after the last position it saw never skips an
//     event (feed.go). The feed's consumers, their leases and dead letters
//     live in the same database (Consumers).
//   - A store that is also a BatchCreator creates many profiles in one
//     atomic step (CreateBatch: all or none, their events at consecutive
//     positions) and answers which external references a tenant holds
//     (ExternalRefs): what a bulk import writes through (batch.go).
//     Query.ExternalRef and Query.TaxPayerID are the exact lookups, indexed
//     on the SQL stores.
//   - A store that is also a JSONGetter reads a profile's JSON and version
//     without decoding the profile (GetJSON: the bytes of GetRecord's
//     Record.JSON), what a GET that answers the stored JSON reads
//     (getjson.go).
//   - Queries are bounded and checked the same on every Store: page sizes,
//     page numbers whose offset would overflow, filter sizes
//     (MaxFilterValues, MaxFilterValueBytes, MaxTextBytes) and cursors fail
//     with a *QueryError naming the field (errors.Is ErrInvalid), never
//     with a database's own error. A page beyond the last is empty. A text
//     filter that folds to nothing (see Fold) matches nothing.
//
// # Cursors
//
// A NextCursor is a keyset position (the sort key and id of the last row,
// which for a name sort is the folded name) sealed with AES-256-GCM under
// the Store's CursorKey, so that it can travel in URLs and logs: it reveals
// nothing of the row (its length is rounded up to a power of two), and it
// is bound, as authenticated data, to the tenant, the kind of walk (a list,
// or the history of one profile) and the normalised query's filters and
// order. A cursor used with another tenant, another query, another key, or
// altered in any way is refused with a *QueryError for Cursor; queries that
// differ only in spelling (states in another order, text in another case)
// or in page size share cursors.
//
// Each Store seals with a random key of its own unless given one
// (NewCursorKey): processes that serve one database behind a load balancer
// share a secret so that a walk may continue on any of them. Changing the
// secret ends the walks in progress; their callers start again from the
// first page. A cursor has no expiry of its own: it is a position, not a
// permission, and every page is still filtered by tenant and query.
//
// # Concurrency
//
// A Store is safe for concurrent use by many goroutines; adapters that share
// a database across processes keep the same promises across processes. The
// values passed in are copied (or encoded) before a method returns, and the
// values returned belong to the caller.
package storage

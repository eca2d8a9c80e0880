// Package driver is the kit for writing a storage.Store adapter, as
// database/sql/driver is for database/sql: users of a Store never import
// it. It holds what every adapter must do the same way, so that all of them
// accept, refuse, encode and page exactly alike:
//
//   - argument checks (CheckCreate, CheckUpdate, CheckComment, CheckIDs),
//     which refuse bad ids and versions with storage.ErrInvalid and
//     oversized input with storage.ErrTooLarge before anything is stored;
//   - the stored encodings of profiles and history entries (EncodeRecord,
//     EncodeProfile, DecodeProfile, EncodeEntry, DecodeEntry), bounded by
//     storage.MaxProfileBytes and storage.MaxEntryBytes;
//   - list and history preparation (PrepareList, PrepareHistory): the
//     normalised query, the position its cursor holds, and the sealing of
//     the next page's cursor (ListRequest.NextCursor), bound to the tenant
//     and the query under the Store's storage.CursorKey;
//   - the keys text filters and name sorts compare (SearchText, NameKey),
//     page metadata (NewPageInfo), what a deletion leaves of the history
//     (RedactEntry, DeletionEntry), and Wrap, which names the operation
//     and record id of every error.
//
// Start from PrepareList and the Check functions, and read storage.Store
// for the promises an adapter keeps: tenants isolated, a profile and its
// entry written in one atomic step, versions checked (storage.ErrConflict),
// ids never reused, values copied on the way in and out, errors that carry
// ids and operations but no personal data, and safety for concurrent use.
// storage/storagetest.Run checks every one of them; an adapter's own test
// is a few lines that call it.
//
// Nothing here keeps state of its own: every function and value is safe for
// concurrent use.
package driver

package storage

// Walk asks WalkProfiles for the next batch of a walk over every profile
// of a tenant.
type Walk struct {
	// Size is the batch size (default DefaultPageSize, at most
	// MaxPageSize).
	Size int
	// Cursor is the NextCursor of the batch before, empty for the first.
	// It is sealed as list cursors are (see CursorKey): bound to the
	// tenant and to walks, opaque, refused anywhere else.
	Cursor string
}

// WalkPage is one batch of WalkProfiles.
type WalkPage struct {
	// Records are the batch's profiles in id order, each with its stored
	// due work (Record.Due, DueReasons); Record.JSON is left nil.
	Records []Record
	// Walked is how many profiles the walk has returned so far, this
	// batch included.
	Walked int
	// Total is how many profiles the tenant had when the walk began: a
	// measure of progress, which profiles created or deleted meanwhile
	// make inexact.
	Total int
	// NextCursor continues the walk; it is empty after the last batch.
	NextCursor string
}

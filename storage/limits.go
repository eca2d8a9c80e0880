package storage

// Limits on what a Store accepts. They keep one customer's record from
// exhausting memory or a database page budget: a KYC profile is a few
// kilobytes, so a megabyte leaves room for large metadata and many checks.
const (
	// MaxIDBytes bounds tenants and the ids of profiles, entries and
	// comments.
	MaxIDBytes = 128
	// MaxProfileBytes bounds the JSON encoding of a profile.
	MaxProfileBytes = 1 << 20
	// MaxEntryBytes bounds the JSON encoding of a history entry: a change
	// can carry the old and the new value of a whole profile.
	MaxEntryBytes = 2*MaxProfileBytes + 64<<10
	// MaxCommentBytes bounds a comment's body (rich text).
	MaxCommentBytes = 256 << 10
)

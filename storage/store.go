package storage

import (
	"context"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
)

// Store keeps the profiles of many tenants, the history entries of each
// profile and the comments on it. Every method is scoped by tenant; see the
// package documentation for the promises every implementation keeps and
// storage/storagetest for the suite that checks them.
//
// Store does no permission or business validation: the service decides who
// may do what and whether a profile is valid. Store checks only what it needs
// to keep its own promises (ids, versions, sizes).
type Store interface {
	// CreateProfile stores a new profile, p.Version >= 1, together with its
	// optional creation entry e (e.OrigID == p.ID, e.Version == p.Version-1)
	// in one atomic step. It fails with ErrExists when the tenant already
	// has, or once had, a profile with that id, or an entry with e.ID.
	// The profile is r.Profile, stored as r.JSON when that is set.
	CreateProfile(ctx context.Context, tenant string, r Record, e *history.Entry) error

	// GetProfile returns the stored profile, or ErrNotFound.
	GetProfile(ctx context.Context, tenant, id string) (*profile.Profile, error)

	// GetRecord returns the stored profile together with the JSON it is
	// stored as, or ErrNotFound: what a caller that diffs the next version
	// against the stored one reads, so that the stored bytes are decoded
	// once and never encoded again.
	GetRecord(ctx context.Context, tenant, id string) (Record, error)

	// UpdateProfile replaces the stored profile with r.Profile (p below)
	// and appends e to its history in one atomic step, provided the stored
	// version is still e.Version; p.Version must be e.Version+1 and
	// e.OrigID must be p.ID.
	// It fails with ErrConflict when the stored version moved (the caller
	// re-reads and retries), ErrNotFound when there is no such profile and
	// ErrExists when an entry with e.ID already exists; in every failure
	// nothing changes.
	UpdateProfile(ctx context.Context, tenant string, r Record, e history.Entry) error

	// SetDue replaces the due work stored with profiles (Record.Due and
	// DueReasons) without a new version or history entry, in one atomic
	// step: what a sweep writes when the review policy changed and the
	// profiles did not. An update applies only while the profile's stored
	// version is still u.Version; one whose profile moved (its write
	// stored due work of its own) or is gone is skipped. A profile named
	// more than once takes its last update. It returns how many profiles
	// the step changed.
	SetDue(ctx context.Context, tenant string, updates []DueUpdate) (int, error)

	// DeleteProfile removes a profile and its comments and redacts its
	// history (Changes.Redact: who, when, version and paths survive, the
	// values do not). While the retention period runs it refuses with a
	// *RetentionError unless opts.Force is set; see DeleteOptions.
	DeleteProfile(ctx context.Context, tenant, id string, opts DeleteOptions) error

	// ListProfiles returns one page of the tenant's profiles matching q.
	ListProfiles(ctx context.Context, tenant string, q Query) (*Page, error)

	// WalkProfiles returns the next batch of a walk over every profile of
	// the tenant, in id order, by keyset (never by offset): what a sweep
	// or a re-screening after a sanctions-list update reads. The order's
	// key never changes, so a walk returns every profile that exists
	// throughout it exactly once while other writes go on; profiles
	// created meanwhile are returned when their id falls after the
	// cursor. See walk.go.
	WalkProfiles(ctx context.Context, tenant string, w Walk) (*WalkPage, error)

	// History returns one page of the entries of a profile, oldest first
	// unless q.NewestFirst. The history of a deleted profile stays readable
	// (redacted); ErrNotFound means the id was never used in the tenant.
	History(ctx context.Context, tenant, id string, q HistoryQuery) (*HistoryPage, error)

	// AddComment stores a new comment on an existing profile: ErrNotFound
	// when the profile does not exist, ErrExists on a duplicate comment id.
	// ev, when not nil, is appended to the feed in the same atomic step
	// (see Event), as for the three comment writes.
	AddComment(ctx context.Context, tenant string, c *Comment, ev *Event) error

	// UpdateComment replaces the body and modification time of a comment;
	// its author, profile and creation time never change. ErrNotFound when
	// there is no such comment on that profile.
	UpdateComment(ctx context.Context, tenant string, c *Comment, ev *Event) error

	// DeleteComment removes one comment, or fails with ErrNotFound.
	DeleteComment(ctx context.Context, tenant, profileID, commentID string, ev *Event) error

	// Changes returns up to limit events of the tenant's feed (at most
	// MaxChanges; DefaultChanges when limit <= 0) whose position is after
	// after, in position order. Positions are dense and commit in order:
	// once a reader has seen position n, no event at or below n can
	// appear later, so "after the last position seen" never skips an
	// event, however many writers commit at once. See feed.go.
	Changes(ctx context.Context, tenant string, after int64, limit int) ([]Event, error)

	// ListComments returns the comments on a profile, oldest first (by
	// creation time, then id). ErrNotFound when the profile does not exist.
	ListComments(ctx context.Context, tenant, profileID string) ([]Comment, error)

	// RelationsOf returns the relations of the profiles ids (at most
	// MaxRelationIDs, duplicates allowed) with their person types, in the
	// order of ids, leaving out the ids the tenant has no profile for: what
	// a walk of the ownership graph reads, without the rest of each
	// profile. See relations.go.
	RelationsOf(ctx context.Context, tenant string, ids []string) ([]ProfileRelations, error)

	// RelatedTo answers who relates to the profiles ids (at most
	// MaxRelationIDs): every relation, held by a profile of the tenant,
	// whose profile_id is one of ids and whose type is one of types (any
	// type when types is empty), ordered by To, From, then Relationship,
	// each (From, To, Relationship) once. It reads an index kept in the
	// same atomic step as every create, update and delete, so its cost
	// depends on the answer, not on the number of profiles.
	RelatedTo(ctx context.Context, tenant string, ids, types []string) ([]RelationLink, error)

	// Close releases the store's resources. Calls after Close fail with
	// ErrClosed.
	Close() error
}

// Record is a profile in the form a store keeps it: the typed profile and
// its JSON, profile.Encode(Profile). On the way into a store JSON may be
// nil, and the store encodes Profile; when it is set it must be Profile's
// encoding, which lets the service encode a new version once for both its
// history diff and the write. On the way out (GetRecord) both are set and
// JSON is again profile.Encode(Profile): the stored bytes where the store
// keeps them as given (memory, SQLite), the profile encoded afresh where it
// keeps only the value (PostgreSQL's jsonb). A store never modifies either.
//
// Due and DueReasons are the profile's due work as the service computed it
// on this commit: the earliest moment the customer is due (0: nothing
// stored) and the reasons, JSON the store keeps as given without reading
// it. They are written in the same atomic step as the profile, indexed for
// Query.DueBy and SortDue, and go with the profile on delete. A profile
// stored before stores kept due work reads with both zero until its next
// write.
//
// Event, on the way into CreateProfile and UpdateProfile, is the feed
// event of the write, appended in the same atomic step; nil appends none.
// Its ProfileID and Version must be the profile's. It is never read back
// with the record.
type Record struct {
	Profile    *profile.Profile
	JSON       []byte
	Due        profile.Timestamp
	DueReasons []byte
	Event      *Event
}

// DueUpdate is the due work SetDue stores with version Version of
// profile ID.
type DueUpdate struct {
	ID      string
	Version int
	Due     profile.Timestamp
	Reasons []byte
}

// Due is the due work stored with one listed profile: Page.Due holds one
// per profile of the page, in the same order.
type Due struct {
	ID      string            `json:"id"`
	At      profile.Timestamp `json:"at,omitempty"`
	Reasons []byte            `json:"reasons,omitempty"`
}

// Comment is a note an operator left on a profile (seed 003, section 3.4):
// rich text as given, tied to its author, with the moments it was written
// and last edited. Who may edit or read it is decided by the service.
type Comment struct {
	ID         string            `json:"id"`
	ProfileID  string            `json:"profile_id"`
	Author     string            `json:"author"`
	Body       string            `json:"body"`
	CreatedAt  profile.Timestamp `json:"created_at"`
	ModifiedAt profile.Timestamp `json:"modified_at,omitempty"`
}

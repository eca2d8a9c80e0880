package storage

import (
	"context"
	"time"

	"github.com/kycsdk/kyc/profile"
)

// Event is one committed change in a tenant's change feed: what changed,
// never to what. Every write that takes an event (Record.Event,
// DeleteOptions.Event, the ev argument of the comment writes) appends it to
// the tenant's feed in the same atomic step as the change itself, so that a
// change is in the feed exactly when it is stored: a write that fails
// appends nothing, and an event never exists without its change.
//
// An event carries ids, the kind, the moment and the changed paths (the
// paths of the history entry's changes, history.Changes.Paths), and no
// value: a consumer that needs the profile reads it with its own
// permissions. It is therefore safe to forward to a broker or a webhook.
type Event struct {
	// ID identifies the event across deliveries: a consumer deduplicates
	// on it. The service sets it; at most MaxIDBytes.
	ID string `json:"id"`
	// Position is the event's place in its tenant's feed, set by the store
	// when it appends the event: 1 for the first event of a tenant, and
	// one more for each later one. Positions only grow and are never
	// reused, even after the events before them are pruned; a reader that
	// has seen position n has seen every event up to n (see Changes).
	Position int64 `json:"position"`
	// Kind names the change ("updated", "deleted", "comment_added"...):
	// the kyc.EventKind.
	Kind string `json:"kind"`
	// ProfileID is the profile changed (or commented on).
	ProfileID string `json:"profile_id"`
	// Version is the profile's version after the change; 0 for a
	// deletion and for comments, which make no version.
	Version int `json:"version,omitempty"`
	// CommentID is the comment added, edited or deleted.
	CommentID string `json:"comment_id,omitempty"`
	// User is the operator who made the change (a user id).
	User string `json:"user,omitempty"`
	// At is when the change was made, from the service's clock.
	At profile.Timestamp `json:"at"`
	// Paths are the JSON paths the change touched (addresses[1].country),
	// in the dotted form of history.Path.String; none for a deletion or a
	// comment.
	Paths []string `json:"paths,omitempty"`
}

// MaxChanges bounds one page of Changes; a larger limit reads this many.
const MaxChanges = 1000

// DefaultChanges is the page Changes reads when its limit is zero or less.
const DefaultChanges = 100

// Consumers keeps the readers of the change feed that must not lose an
// event: each consumer's position (the last event it has handled), a
// lease so that one process at a time reads for it, and the events it gave
// up on (dead letters). Every store of this module implements it; package
// webhook relays the feed with it. All of it lives in the store's own
// database, so that a position moves in the same atomic step as the dead
// letters recorded with it.
type Consumers interface {
	// ClaimConsumer registers consumer name of the tenant (at position 0)
	// if it is new, and gives its lease to owner until until, provided no
	// other owner holds it at now (free, expired, or owner's already). It
	// returns the consumer; ErrConflict when another owner holds the
	// lease.
	ClaimConsumer(ctx context.Context, tenant, name, owner string, now, until time.Time) (Consumer, error)

	// AdvanceConsumer moves the consumer to position (never backwards)
	// and extends owner's lease to until, recording dead, the events
	// given up on, in the same atomic step. It fails with ErrConflict
	// when owner no longer holds the lease (another owner claimed it
	// after it expired): the caller stops, and the new owner delivers
	// again what was not recorded.
	AdvanceConsumer(ctx context.Context, tenant, name, owner string, position int64, until time.Time, dead []DeadLetter) error

	// ReleaseConsumer gives up owner's lease, so that another owner may
	// claim it at once; a lease owner does not hold is left alone.
	ReleaseConsumer(ctx context.Context, tenant, name, owner string) error

	// DeadLetters returns up to limit (at most MaxChanges) of the
	// consumer's dead letters after position after, by position: a
	// reader pages through them by passing the last one's
	// Event.Position, so that none is out of reach however many there
	// are.
	DeadLetters(ctx context.Context, tenant, name string, after int64, limit int) ([]DeadLetter, error)

	// RemoveDeadLetter removes one dead letter (once it was replayed or
	// given up on), or fails with ErrNotFound.
	RemoveDeadLetter(ctx context.Context, tenant, name, eventID string) error

	// PruneFeed deletes the tenant's events made before before that every
	// registered consumer has passed, except the tenant's last event, and
	// returns how many. Positions are not reused: the next event still
	// takes the next one.
	PruneFeed(ctx context.Context, tenant string, before time.Time) (int, error)
}

// Consumer is one registered reader of a tenant's feed.
type Consumer struct {
	Name string
	// Position is the last event the consumer has handled (delivered or
	// dead-lettered); 0 before the first.
	Position int64
	// Owner holds the lease until LeaseUntil; "" when none does.
	Owner      string
	LeaseUntil time.Time
}

// DeadLetter is an event a consumer gave up delivering after its
// attempts, kept for an operator to inspect and replay.
type DeadLetter struct {
	Event    Event
	Attempts int
	// Reason is the last failure, as the relay words it: a status code, a
	// timeout. It never quotes a response body.
	Reason string
	// At is when the consumer gave up.
	At profile.Timestamp
}

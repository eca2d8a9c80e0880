package storage

import (
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

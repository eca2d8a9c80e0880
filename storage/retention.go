package storage

import (
	"slices"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
)

// DefaultRetentionYears is how long a profile is kept after the business
// relationship ends: five years, the minimum of FATF Recommendation 11
// ("at least five years following the termination of the business
// relationship") and of FINTRAC's record-keeping rules.
const DefaultRetentionYears = 5

// DeleteOptions control DeleteProfile and its retention rule.
//
// When the relationship ended: RelationshipEndedAt when set (the caller
// knows, for instance from the closing of the last account); otherwise, for
// a profile in one of EndStates, its modification time, which is when it
// last changed in an end state. Which states end a relationship is the
// workflow's business, not the store's: the caller names them (kyc.Service
// passes its Options.EndStates), and without EndStates no state does. An edit after the end so restarts the
// period: the rule errs on the side of keeping records longer, never
// shorter. A profile in any other state has an ongoing relationship and
// cannot be deleted without Force.
type DeleteOptions struct {
	// Now is the moment of the deletion; zero means time.Now().
	Now time.Time
	// Force deletes even while the retention period runs (a court order, a
	// test, an erasure the law requires). The history is redacted all the
	// same.
	Force bool
	// Retention is the period after the end of the relationship; zero
	// means DefaultRetentionYears calendar years.
	Retention time.Duration
	// RelationshipEndedAt, when not zero, is the end of the relationship.
	RelationshipEndedAt time.Time
	// EndStates are the workflow states in which the business
	// relationship is over; none when nil.
	EndStates []string
	// Entry, when set, records the deletion itself: it is appended to the
	// redacted history in the same atomic step, with no changes, so that
	// who deleted the profile, when and why stay in the trail. Its
	// Version is set by the store to the deleted profile's version.
	Entry *history.Entry
	// Event, when set, is the feed event of the deletion, appended in the
	// same atomic step (see Event). Its ProfileID must be the profile's.
	Event *Event
	// Version, when not zero, is the version the caller saw: the store
	// refuses with ErrConflict, and deletes nothing, when the stored
	// profile has another. Stores check it through Check, on the profile
	// read in the delete's own atomic step, so that a write landing after
	// the caller's read is never deleted unseen (an HTTP If-Match).
	Version int
}

// Check returns nil when p may be deleted now, ErrConflict when its
// version is not o.Version, or a *RetentionError.
func (o DeleteOptions) Check(p *profile.Profile) error {
	if o.Version != 0 && p.Version != o.Version {
		return ErrConflict
	}
	if o.Force {
		return nil
	}
	until, ok := o.RetainUntil(p)
	if !ok {
		return &RetentionError{ProfileID: p.ID}
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if now.Before(until) {
		return &RetentionError{ProfileID: p.ID, Until: until}
	}
	return nil
}

// RetainUntil returns the first moment p may be deleted, and false when the
// relationship has not ended (no moment can be given yet).
func (o DeleteOptions) RetainUntil(p *profile.Profile) (time.Time, bool) {
	end, ok := o.relationshipEnd(p)
	if !ok {
		return time.Time{}, false
	}
	if o.Retention > 0 {
		return end.Add(o.Retention), true
	}
	return end.AddDate(DefaultRetentionYears, 0, 0), true
}

func (o DeleteOptions) relationshipEnd(p *profile.Profile) (time.Time, bool) {
	if !o.RelationshipEndedAt.IsZero() {
		return o.RelationshipEndedAt.UTC(), true
	}
	if !slices.Contains(o.EndStates, p.State) {
		return time.Time{}, false
	}
	switch {
	case !p.ModifiedAt.IsZero():
		return p.ModifiedAt.Time(), true
	case !p.CreatedAt.IsZero():
		return p.CreatedAt.Time(), true
	}
	return time.Time{}, false
}

package kyc

import (
	"context"
	"regexp"
	"slices"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// EventKind names what happened in a committed change.
type EventKind string

// The kinds of the events of the change feed (Changes) and of
// Options.OnEvent.
const (
	EventCreated               EventKind = "created"
	EventImported              EventKind = "imported"
	EventUpdated               EventKind = "updated"
	EventStateChanged          EventKind = "state_changed"
	EventRiskAssessed          EventKind = "risk_assessed"
	EventRiskInjected          EventKind = "risk_injected"
	EventTransactionalAssessed EventKind = "transactional_assessed"
	EventEntityProfileAssigned EventKind = "entity_profile_assigned"
	EventCheckRecorded         EventKind = "check_recorded"
	EventReverificationCleared EventKind = "reverification_cleared"
	EventScreeningRecorded     EventKind = "screening_recorded"
	EventConfirmedHitCleared   EventKind = "confirmed_hit_cleared"
	EventCaseOpened            EventKind = "case_opened"
	EventCaseClosed            EventKind = "case_closed"
	EventReviewCompleted       EventKind = "review_completed"
	EventReverted              EventKind = "reverted"
	EventDeleted               EventKind = "deleted"
	EventCommentAdded          EventKind = "comment_added"
	EventCommentEdited         EventKind = "comment_edited"
	EventCommentDeleted        EventKind = "comment_deleted"
)

// Event is what the hook receives after a change is committed: the same
// facts as the change's feed event (storage.Event, read with Changes),
// with the tenant. It carries ids, the moment and the changed paths, never
// a value, so that a hook that forwards it ships no personal data.
type Event struct {
	// ID is the feed event's id: the same change read from Changes has
	// the same id, so a consumer of both deduplicates on it.
	ID        string
	Kind      EventKind
	Tenant    string
	User      string
	ProfileID string
	// Version is the profile's version after the change; 0 for a
	// deletion and for comments.
	Version   int
	CommentID string
	// At is when the change was made, from the service's clock.
	At time.Time
	// Paths are the JSON paths the change touched
	// (history.Changes.Paths); none for a deletion or a comment.
	Paths []string
}

// Hook is called after every committed change, in the caller's goroutine,
// before the call returns. It is a convenience and best-effort: a process
// that stops between the commit and the call loses the call, and an error
// of the hook is logged (Options.Logger) and otherwise ignored, since the
// change is committed and a caller told otherwise would retry it. What
// must reach another system reads the change feed instead (Changes, or
// package webhook), which nothing loses.
type Hook func(ctx context.Context, e Event) error

// newEvent is the feed event of a change made by op at at, written by the
// store in the same atomic step as the change. id is the event's: the id
// of the change's history entry, which no other change has, or a new one
// for a comment.
func (s *Service) newEvent(op Operator, id string, kind EventKind, profileID string, version int, at profile.Timestamp, changes history.Changes) *storage.Event {
	ev := &storage.Event{
		ID:        id,
		Kind:      string(kind),
		ProfileID: profileID,
		Version:   version,
		User:      op.User,
		At:        at,
	}
	if len(changes) > 0 {
		ev.Paths = eventPaths(changes)
	}
	return ev
}

// freeForm matches a path into one of the profile's free-form objects
// (metadata, and the extra of activities and relations), whose keys are
// the caller's own and may be personal data: the path stops at the
// object (contacts[0].extra), as a change to it says no more.
var freeForm = regexp.MustCompile(`^((?:[^.\[]*[.\[])*?(?:metadata|extra))[.\[]`)

// eventPaths returns the paths of changes as events carry them: each
// once, in order, cut at a free-form object.
func eventPaths(changes history.Changes) []string {
	paths := changes.Paths()
	out := paths[:0]
	seen := make(map[string]bool, len(paths))
	for _, p := range paths {
		if m := freeForm.FindStringSubmatch(p); m != nil {
			p = m[1]
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// emit calls the hook, if any, with the committed event ev of tenant.
func (s *Service) emit(ctx context.Context, tenant string, ev *storage.Event) {
	if s.hook == nil {
		return
	}
	e := Event{
		ID: ev.ID, Kind: EventKind(ev.Kind), Tenant: tenant, User: ev.User, ProfileID: ev.ProfileID,
		Version: ev.Version, CommentID: ev.CommentID, At: ev.At.Time(), Paths: slices.Clone(ev.Paths),
	}
	if err := s.hook(ctx, e); err != nil {
		s.log(ctx, "event hook failed", tenant, ev.User, ev.ProfileID, ev.Version, err)
	}
}

// Changes returns up to limit events of the operator's tenant after
// position after (0: from the first kept), oldest first: every committed
// change, each once, in the order of their positions, written in the same
// atomic step as the change. A reader that passes the position of the
// last event it handled as after never skips one, however many writers
// commit meanwhile. limit <= 0 reads storage.DefaultChanges, and at most
// storage.MaxChanges are read. Events hold ids, kinds, moments and paths,
// never a value.
func (s *Service) Changes(ctx context.Context, op Operator, after int64, limit int) ([]storage.Event, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpChanges); err != nil {
		return nil, err
	}
	return s.store.Changes(ctx, op.Tenant, after, limit)
}

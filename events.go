package kyc

import (
	"context"
	"time"

	"github.com/kycsdk/kyc/history"
)

// EventKind names what happened in a committed change.
type EventKind string

// The events the service reports through Options.OnEvent.
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

// Event is what the hook receives after a change is committed: the kind,
// the tenant, the acting user, the profile and its new version, and the
// history entry written (nil for comments). It carries ids and the entry
// only; a hook that forwards it decides what to publish.
type Event struct {
	Kind      EventKind
	Tenant    string
	User      string
	ProfileID string
	Version   int
	CommentID string
	// At is when the change was made, from the service's clock.
	At    time.Time
	Entry *history.Entry
}

// Hook is called after every committed change. Its error is returned to the
// caller wrapped in a *HookError, but the change stays committed: the store
// is the source of truth and a hook (a webhook, a message queue) must be
// idempotent and able to catch up, for instance from the history.
type Hook func(ctx context.Context, e Event) error

func (s *Service) emit(ctx context.Context, e Event) error {
	if s.hook == nil {
		return nil
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if err := s.hook(ctx, e); err != nil {
		s.log(ctx, "event hook failed", e.Tenant, e.User, e.ProfileID, e.Version, err)
		return &HookError{Event: e.Kind, Err: err}
	}
	return nil
}

package kyc

import (
	"context"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
)

// MaxRelatedReviews bounds the legal persons one change sends to review
// through their relations (ownership.Limits.MaxNodes of the walk up the
// graph); past it the walk stops and RelatedReviewError reports the
// truncation.
const MaxRelatedReviews = 1000

// relatedAttempts is how many times a related profile's due work is
// re-read and written again when the profile moved in between.
const relatedAttempts = 3

// relatedFact returns the path of the fact whose change, from prev to
// next, matters to the legal persons that own or are controlled through
// next (review.RelatedChanged), or "" when none does. These are what
// changes the risk of a legal person through its owners and controllers
// (AMLR Art. 20(1)(b) and 22; OFAC's 50 percent rule): the risk level, a
// watchlist hit confirmed or a screening outcome changed (the events the
// change raised on next itself), and the PEP declaration.
func relatedFact(events []review.Reason, prev, next *profile.Profile) string {
	for _, e := range events {
		switch e.Kind {
		case review.RiskChanged, review.ConfirmedHit, review.ScreeningChanged:
			return e.Path
		}
	}
	if pep(prev) != pep(next) {
		return "declaration.pep"
	}
	if prev.PEPType != next.PEPType {
		return "pep_type"
	}
	return ""
}

func pep(p *profile.Profile) string {
	if p.Declaration == nil || p.Declaration.PEP == nil {
		return ""
	}
	return fmt.Sprint(*p.Declaration.PEP)
}

// raiseRelated runs after the commit of next, the successor of prev:
// when the change matters to related legal persons (relatedFact) and the
// policy raises review.RelatedChanged, it adds that event, with the path
// of the fact and the id of next, to the stored due work of every legal
// person that owns or is controlled through next, transitively
// (ownership.AffectedBy, at most MaxRelatedReviews). It writes no version
// of those profiles: their customers did not change, only their due work,
// as a sweep writes it (storage.Store.SetDue), guarded by each profile's
// version and tried again when the profile moved meanwhile.
func (s *Service) raiseRelated(ctx context.Context, op Operator, prev, next *profile.Profile) error {
	if s.noDue || prev == nil || !s.reviews.Enabled(review.RelatedChanged) {
		return nil
	}
	fact := relatedFact(s.reviews.Events(prev, next, next.ModifiedAt), prev, next)
	if fact == "" {
		return nil
	}
	im, err := ownership.AffectedBy(ctx, OwnershipReverseGraph(s.store, op.Tenant), next.ID,
		ownership.Options{Registry: s.ownership, Limits: ownership.Limits{MaxNodes: MaxRelatedReviews}})
	if err != nil {
		return &RelatedReviewError{Err: err}
	}
	event := review.Reason{Kind: review.RelatedChanged, At: next.ModifiedAt, Path: fact, Detail: next.ID}
	var failed int
	var last error
	for _, id := range im.IDs() {
		if err := s.addEvent(ctx, op, id, event); err != nil {
			failed, last = failed+1, err
		}
	}
	if failed > 0 || len(im.Truncated) > 0 {
		return &RelatedReviewError{Failed: failed, Truncated: len(im.Truncated) > 0, Err: last}
	}
	return nil
}

// addEvent adds event to the open events stored with profile id and
// stores its due work again, at the version it read.
func (s *Service) addEvent(ctx context.Context, op Operator, id string, event review.Reason) error {
	for range relatedAttempts {
		r, err := s.store.GetRecord(ctx, op.Tenant, id)
		if err != nil {
			return err
		}
		open, err := s.openEvents(ctx, op, r)
		if err != nil {
			return err
		}
		if slices.Contains(open, event) {
			return nil
		}
		at, data, err := s.encodedDue(r.Profile, append(open, event))
		if err != nil {
			return err
		}
		n, err := s.store.SetDue(ctx, op.Tenant, []storage.DueUpdate{{ID: id, Version: r.Profile.Version, Due: at, Reasons: data}})
		if err != nil || n == 1 {
			return err
		}
	}
	return fmt.Errorf("kyc: related review: the profile moved %d times", relatedAttempts)
}

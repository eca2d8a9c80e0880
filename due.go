package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
)

// DueWork returns the profile's due work under the review policy
// (Options.ReviewPolicy): the periodic review and re-screening by risk
// level, documents and check results ageing out, changes pending
// re-verification, and the events since the last completed review (a risk
// level that changed, a hit confirmed, a screening outcome that changed),
// each with the moment it falls due and the path of the fact behind it.
// The events are read from the history, never from fields a caller could
// have written.
func (s *Service) DueWork(ctx context.Context, op Operator, id string) (review.Work, error) {
	p, err := s.read(ctx, op, OpDueWork, id)
	if err != nil {
		return review.Work{}, err
	}
	events, err := s.reviewEvents(ctx, op, p)
	if err != nil {
		return review.Work{}, err
	}
	return s.reviews.Due(p, s.entities, events)
}

// reviewEvents walks the history back to the last completed review,
// rebuilding the version before each entry, and asks the policy which
// events each change raised.
func (s *Service) reviewEvents(ctx context.Context, op Operator, p *profile.Profile) ([]review.Reason, error) {
	data, err := profile.Encode(p)
	if err != nil {
		return nil, fmt.Errorf("kyc: encode profile: %w", err)
	}
	doc, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	var (
		events  []review.Reason
		after   = p
		walkErr error
	)
	err = s.walkHistory(ctx, op, p.ID, func(e history.Entry) bool {
		if e.CreatedAt <= int64(p.LastDueDiligenceAt) {
			return false
		}
		var before *profile.Profile
		if doc, before, walkErr = versionBefore(e, doc); walkErr != nil {
			return false
		}
		events = append(events, s.reviews.Events(before, after, profile.Timestamp(e.CreatedAt))...)
		after = before
		return true
	})
	if err != nil {
		return nil, err
	}
	return events, walkErr
}

// versionBefore reverts one entry on doc and returns the earlier document
// and its profile.
func versionBefore(e history.Entry, doc any) (any, *profile.Profile, error) {
	prev, err := history.Revert(e.Changes, doc)
	if err != nil {
		return nil, nil, fmt.Errorf("kyc: revert entry of version %d: %w", e.Version, err)
	}
	p, err := profileOf(prev, e.Version)
	return prev, p, err
}

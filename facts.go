package kyc

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// Screening is the outcome of one watchlist screening run: for each list
// type screened (pep, sanctioned, wanted, terrorism, ...), whether the
// person was found and whether an analyst confirmed the match (seed 003,
// 3.1.1.4, blacklist_found). List types not named keep their earlier
// result.
type Screening struct {
	Lists map[string]profile.ListHit
}

// RecordScreening records a screening run: blacklist_found for each list
// type screened and blacklists_checked_at, the moment the workflow
// conditions of seed 003, 3.3 read. A confirmed hit is never withdrawn by a
// new run (a hit the new run does not see stays, confirmed); withdrawing it
// is ClearConfirmedHit, a supervisor's decision.
func (s *Service) RecordScreening(ctx context.Context, op Operator, id string, sc Screening) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpRecordScreening); err != nil {
		return nil, err
	}
	if len(sc.Lists) == 0 {
		return nil, fmt.Errorf("%w: a screening names at least one list type", ErrInvalidInput)
	}
	for _, list := range slices.Sorted(maps.Keys(sc.Lists)) {
		if err := requireText("list type", list); err != nil {
			return nil, err
		}
		if hit := sc.Lists[list]; hit.Confirmed && !hit.Hit {
			return nil, fmt.Errorf("%w: a confirmed result must be a hit", ErrInvalidInput)
		}
	}
	return s.record(ctx, op, id, EventScreeningRecorded, func(p *profile.Profile) (string, error) {
		if p.BlacklistFound == nil {
			p.BlacklistFound = make(map[string]profile.ListHit, len(sc.Lists))
		}
		var hits []string
		for list, hit := range sc.Lists {
			if p.BlacklistFound[list].Confirmed {
				hit = profile.ListHit{Hit: true, Confirmed: true}
			}
			p.BlacklistFound[list] = hit
			if hit.Hit {
				hits = append(hits, list)
			}
		}
		p.BlacklistsCheckedAt = s.stamp()
		slices.Sort(hits)
		reason := "screening recorded: " + strconv.Itoa(len(sc.Lists)) + " list type(s)"
		if len(hits) > 0 {
			reason += ", hits on " + strings.Join(hits, ", ")
		}
		return reason, nil
	})
}

// ClearConfirmedHit withdraws a confirmed watchlist hit (a false positive
// found later, a delisting), with the reason recorded in the history. It
// needs the screening_clearance permission: by default a supervisor's.
func (s *Service) ClearConfirmedHit(ctx context.Context, op Operator, id, list, reason string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	invalid := cmp.Or(requireText("list type", list), requireText("reason", reason))
	return s.recordAs(ctx, op, OpClearConfirmedHit, invalid, id, EventConfirmedHitCleared, func(p *profile.Profile) (string, error) {
		if !p.BlacklistFound[list].Confirmed {
			return "", fmt.Errorf("%w: no confirmed hit on that list type", ErrInvalidInput)
		}
		p.BlacklistFound[list] = profile.ListHit{}
		return "confirmed hit cleared on " + list + ": " + reason, nil
	})
}

// OpenCase records that an alert case was opened on the profile
// (open_cases, which the workflow conditions of seed 003, 3.3 read), with
// the reason.
func (s *Service) OpenCase(ctx context.Context, op Operator, id, reason string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	return s.recordAs(ctx, op, OpOpenCase, requireText("reason", reason), id, EventCaseOpened, func(p *profile.Profile) (string, error) {
		p.OpenCases++
		return "case opened: " + reason, nil
	})
}

// CloseCase records that one open alert case was closed, with the reason;
// ErrNoCase when none is open.
func (s *Service) CloseCase(ctx context.Context, op Operator, id, reason string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	return s.recordAs(ctx, op, OpCloseCase, requireText("reason", reason), id, EventCaseClosed, func(p *profile.Profile) (string, error) {
		if p.OpenCases <= 0 {
			return "", ErrNoCase
		}
		p.OpenCases--
		return "case closed: " + reason, nil
	})
}

// Review is the outcome of a due-diligence review of a customer.
type Review struct {
	// Outcome is the reviewer's conclusion (for example "no change",
	// "escalated"); required.
	Outcome string
	// Notes are optional free text.
	Notes string
}

// CompleteReview records a completed due-diligence review (seed 003,
// last_due_diligence_at): who, when, the outcome and notes go into the
// history entry. At a risk level the review policy names for four eyes
// (review.Policy.FourEyesLevels), the reviewer must not be one of the
// people who changed the profile since the last review, read from the
// history: a review of one's own work is refused with ErrForbidden
// wrapping workflow.ErrFourEyes, and nothing changes.
func (s *Service) CompleteReview(ctx context.Context, op Operator, id string, r Review) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	invalid := cmp.Or(requireText("outcome", r.Outcome), checkText("notes", r.Notes))
	return s.recordAs(ctx, op, OpCompleteReview, invalid, id, EventReviewCompleted, func(p *profile.Profile) (string, error) {
		if s.reviews.FourEyes(p.Risk) {
			if err := s.secondPair(ctx, op, p); err != nil {
				return "", err
			}
		}
		p.LastDueDiligenceAt = s.stamp()
		reason := "review completed: " + r.Outcome
		if r.Notes != "" {
			reason += "; " + r.Notes
		}
		return reason, nil
	})
}

// secondPair refuses a reviewer who changed p since its last review. The
// entry that recorded that review is the review, not a change under it.
func (s *Service) secondPair(ctx context.Context, op Operator, p *profile.Profile) error {
	var maker bool
	err := s.walkHistory(ctx, op, p.ID, func(e history.Entry) bool {
		if e.CreatedAt < int64(p.LastDueDiligenceAt) || recordsReview(e) {
			return false
		}
		maker = e.CreatedBy == op.User
		return !maker
	})
	if err != nil {
		return err
	}
	if maker {
		return fmt.Errorf("%w: %w: the reviewer changed the profile since its last review", ErrForbidden, workflow.ErrFourEyes)
	}
	return nil
}

// recordsReview reports whether e is the entry of a completed review: the
// one change of last_due_diligence_at besides the bookkeeping.
func recordsReview(e history.Entry) bool {
	for _, c := range e.Changes {
		if len(c.Path) == 1 && c.Path[0] == "last_due_diligence_at" {
			return true
		}
		if c.Op == history.OpAdd && len(c.Path) == 0 {
			for _, it := range c.Items {
				if it.Key == "last_due_diligence_at" {
					return true
				}
			}
		}
	}
	return false
}

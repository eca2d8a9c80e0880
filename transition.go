package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

// facts reads from the history what the workflow's four-eyes rule needs:
// only when p's state is a four-eyes state, so other moves read nothing.
func (s *Service) facts(ctx context.Context, op Operator, p *profile.Profile) (workflow.Facts, error) {
	if !s.wf.FourEyes(p.State) {
		return workflow.Facts{}, nil
	}
	makers, err := s.makers(ctx, op, p)
	return workflow.Facts{Makers: makers}, err
}

// Transitions lists the states the stored profile can move to now for this
// operator, and why the other transitions from its state are closed
// (a condition, or the four-eyes rule).
func (s *Service) Transitions(ctx context.Context, op Operator, id string) (workflow.Availability, error) {
	s = s.resolve(ctx, op)
	p, err := s.read(ctx, op, OpTransitions, id)
	if err != nil {
		return workflow.Availability{}, err
	}
	f, err := s.facts(ctx, op, p)
	if err != nil {
		return workflow.Availability{}, err
	}
	return s.wf.AvailableWith(p, op, f), nil
}

// Transition moves the stored profile to dest when the workflow allows it
// for this operator, and records the move in the history. A refused move
// returns the workflow's typed reason (no such transition, condition false,
// condition error, or workflow.ErrFourEyes when the operator made the
// change a four-eyes state approves: read from the history, never from
// the profile).
func (s *Service) Transition(ctx context.Context, op Operator, id, dest string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	rec, err := s.readRecord(ctx, op, OpTransition, id)
	if err != nil {
		return nil, err
	}
	prev := rec.Profile
	if err := s.expected(id, prev.Version); err != nil {
		return nil, err
	}
	f, err := s.facts(ctx, op, prev)
	if err != nil {
		return nil, err
	}
	if err := s.wf.CheckWith(prev, op, dest, f); err != nil {
		s.log(ctx, "transition", op.Tenant, op.User, id, prev.Version, err)
		return nil, err
	}
	next := prev.Clone()
	next.State = dest
	s.bump(op, prev, next)
	if s.verified[dest] && next.VerifiedAt == 0 {
		next.VerifiedAt = next.ModifiedAt
	}
	reason := fmt.Sprintf("transition %s -> %s", prev.State, dest)
	return s.save(ctx, op, rec, next, EventStateChanged, reason)
}

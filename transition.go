package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/workflow"
)

func (op Operator) workflow() workflow.Operator {
	return workflow.Operator{Tenant: op.Tenant, User: op.User, Scopes: op.Scopes}
}

// Transitions lists the states the stored profile can move to now for this
// operator, and why the other transitions from its state are closed.
func (s *Service) Transitions(ctx context.Context, op Operator, id string) (workflow.Availability, error) {
	p, err := s.Get(ctx, op, id)
	if err != nil {
		return workflow.Availability{}, err
	}
	return s.wf.Available(p, op.workflow()), nil
}

// Transition moves the stored profile to dest when the workflow allows it
// for this operator, and records the move in the history. A refused move
// returns the workflow's typed reason (no such transition, condition false,
// condition error).
func (s *Service) Transition(ctx context.Context, op Operator, id, dest string) (*profile.Profile, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	prev, err := s.store.GetProfile(ctx, op.Tenant, id)
	if err != nil {
		return nil, err
	}
	if err := s.wf.Check(prev, op.workflow(), dest); err != nil {
		s.log(ctx, "transition", op.Tenant, op.User, id, prev.Version, err)
		return nil, err
	}
	next, err := clone(prev)
	if err != nil {
		return nil, err
	}
	next.State = dest
	next.Version = prev.Version + 1
	next.ModifiedAt, next.ModifiedBy = s.stamp(), op.User
	reason := fmt.Sprintf("transition %s -> %s", prev.State, dest)
	if _, err := s.commit(ctx, op, prev, next, EventStateChanged, reason); err != nil {
		return committed(next, err)
	}
	return next, nil
}

package kyc

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
)

func (s *Service) needEntities() error {
	if s.refusal != nil {
		return s.refusal
	}
	if s.entities == nil {
		return fmt.Errorf("%w: no entity-profile registry", ErrNotConfigured)
	}
	return nil
}

// AssignEntityProfile records the verification recipe of a profile: a
// recipe name, entityprofile.Auto (chosen by the registry's rules) or
// entityprofile.None (the caller names the check types each time). It
// applies at once to the existing results (seed 001).
func (s *Service) AssignEntityProfile(ctx context.Context, op Operator, id, name string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	return s.recordAs(ctx, op, OpAssignEntityProfile, s.needEntities(), id, EventEntityProfileAssigned, func(p *profile.Profile) (string, error) {
		chosen, err := s.entities.Assign(p, name)
		return "entity profile assigned: " + chosen, err
	})
}

// PlanVerification says which checks must run now for the stored profile and
// which earlier results are reused. types names the check types when the
// profile has no entity profile (entityprofile.None).
func (s *Service) PlanVerification(ctx context.Context, op Operator, id string, types ...string) (entityprofile.Plan, error) {
	s = s.resolve(ctx, op)
	if err := s.needEntities(); err != nil {
		return entityprofile.Plan{}, err
	}
	p, err := s.read(ctx, op, OpPlanVerification, id)
	if err != nil {
		return entityprofile.Plan{}, err
	}
	return s.entities.Plan(p, s.now(), types...)
}

// RecordCheckResult records the outcome of one verification check on the
// profile as a new version, with its expiry from the ageing rules. An empty
// result id is filled from the id source and a zero time with the clock.
func (s *Service) RecordCheckResult(ctx context.Context, op Operator, id string, res entityprofile.Result) (profile.Check, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpRecordCheckResult); err != nil {
		return profile.Check{}, err
	}
	if err := s.needEntities(); err != nil {
		return profile.Check{}, err
	}
	if res.ID == "" {
		res.ID = s.newID()
	}
	if res.PerformedAt.IsZero() {
		res.PerformedAt = s.now()
	}
	var recorded profile.Check
	p, err := s.record(ctx, op, id, EventCheckRecorded, func(p *profile.Profile) (string, error) {
		c, err := s.entities.Record(p, res)
		if err != nil {
			return "", err
		}
		recorded = c
		return "check recorded: " + res.Type, nil
	})
	if p == nil {
		return profile.Check{}, err
	}
	return recorded, err
}

// EvaluateVerification says whether the stored profile's verification has
// passed, failed or is incomplete, and what is missing, expired or blocked.
func (s *Service) EvaluateVerification(ctx context.Context, op Operator, id string, types ...string) (entityprofile.Evaluation, error) {
	s = s.resolve(ctx, op)
	if err := s.needEntities(); err != nil {
		return entityprofile.Evaluation{}, err
	}
	p, err := s.read(ctx, op, OpEvaluateVerification, id)
	if err != nil {
		return entityprofile.Evaluation{}, err
	}
	return s.entities.Evaluate(p, s.now(), types...)
}

// ClearReverification removes the given paths (all when none are given) from
// the profile's pending re-verification list, once the onboarding flow has
// verified the changes again.
func (s *Service) ClearReverification(ctx context.Context, op Operator, id string, paths ...string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpClearReverification); err != nil {
		return nil, err
	}
	for _, p := range paths {
		if err := requireText("path", p); err != nil {
			return nil, err
		}
	}
	return s.record(ctx, op, id, EventReverificationCleared, func(p *profile.Profile) (string, error) {
		if len(paths) == 0 {
			p.PendingReverification = nil
			return "re-verification cleared", nil
		}
		p.PendingReverification = slices.DeleteFunc(p.PendingReverification, func(x string) bool {
			return slices.Contains(paths, x)
		})
		return "re-verification cleared: " + strings.Join(paths, ", "), nil
	})
}

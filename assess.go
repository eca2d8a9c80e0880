package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// AssessRisk scores the stored profile with the configured risk matrix,
// records risk and risk_calculated_at as a new version, and returns the
// assessment, which says why (every factor's contribution, the overrides).
// When the matrix defines a transactional-profile table, the transactional
// profile is assessed in the same step.
func (s *Service) AssessRisk(ctx context.Context, op Operator, id string) (riskmatrix.Assessment, error) {
	if err := op.check(); err != nil {
		return riskmatrix.Assessment{}, err
	}
	if s.matrix == nil {
		return riskmatrix.Assessment{}, fmt.Errorf("%w: no risk matrix", ErrNotConfigured)
	}
	prev, err := s.store.GetProfile(ctx, op.Tenant, id)
	if err != nil {
		return riskmatrix.Assessment{}, err
	}
	next, err := clone(prev)
	if err != nil {
		return riskmatrix.Assessment{}, err
	}
	now := s.now()
	a := s.matrix.Assess(next, now)
	a.Apply(next)
	if tp, err := s.matrix.TransactionalProfile(next, now); err == nil {
		tp.Apply(next)
	}
	// A risk assessment is never refused for re-verification: it changes
	// no field of the seed 000 table.
	_, err = s.save(ctx, op, prev, next, Flag, EventRiskAssessed, "risk assessed: "+a.Level)
	return a, err
}

// Transactional assesses the transactional profile alone and records it.
func (s *Service) Transactional(ctx context.Context, op Operator, id string) (riskmatrix.TransactionalProfile, error) {
	if err := op.check(); err != nil {
		return riskmatrix.TransactionalProfile{}, err
	}
	if s.matrix == nil {
		return riskmatrix.TransactionalProfile{}, fmt.Errorf("%w: no risk matrix", ErrNotConfigured)
	}
	prev, err := s.store.GetProfile(ctx, op.Tenant, id)
	if err != nil {
		return riskmatrix.TransactionalProfile{}, err
	}
	next, err := clone(prev)
	if err != nil {
		return riskmatrix.TransactionalProfile{}, err
	}
	tp, err := s.matrix.TransactionalProfile(next, s.now())
	if err != nil {
		return tp, err
	}
	tp.Apply(next)
	_, err = s.save(ctx, op, prev, next, Flag, EventUpdated, "transactional profile assessed")
	return tp, err
}

// edit loads a profile, lets fn change a copy, and saves the copy as the
// next version through the same pipeline as Update.
func (s *Service) edit(ctx context.Context, op Operator, id string, kind EventKind, reason string, fn func(*profile.Profile) error) (*profile.Profile, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	prev, err := s.store.GetProfile(ctx, op.Tenant, id)
	if err != nil {
		return nil, err
	}
	next, err := clone(prev)
	if err != nil {
		return nil, err
	}
	if err := fn(next); err != nil {
		return nil, err
	}
	return s.save(ctx, op, prev, next, Flag, kind, reason)
}

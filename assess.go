package kyc

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/riskmatrix"
)

// AssessRisk scores the stored profile with the configured risk matrix,
// records risk and risk_calculated_at as a new version, and returns the
// assessment, which says why (every factor's contribution, the overrides).
// When the matrix defines a transactional-profile table, the transactional
// profile is assessed in the same step; if that fails (ErrIncomeUnknown
// when the table has no amount for an unknown income), AssessRisk returns
// the error and records nothing. A matrix without such a table is not an
// error: the risk alone is recorded.
func (s *Service) AssessRisk(ctx context.Context, op Operator, id string) (riskmatrix.Assessment, error) {
	s = s.resolve(ctx, op)
	var a riskmatrix.Assessment
	_, err := s.recordAs(ctx, op, OpAssessRisk, s.needMatrix(), id, EventRiskAssessed, func(p *profile.Profile) (string, error) {
		now := s.now()
		a = s.matrix.Assess(p, now)
		a.Apply(p)
		tp, err := s.matrix.TransactionalProfile(p, now)
		switch {
		case err == nil:
			tp.Apply(p)
		case !errors.Is(err, riskmatrix.ErrNoTransactionalProfile):
			return "", err
		}
		return "risk assessed: " + a.Level, nil
	})
	return a, err
}

// InjectRisk records a risk level set by an outside system (seed 003,
// 3.1.1: risk "may be injected by an external system"; seed 002 accepts
// risk on create and update). It is recorded as injected, with the source,
// never as an assessment, and needs the risk_injection permission. level
// must be one of the configured risk levels.
func (s *Service) InjectRisk(ctx context.Context, op Operator, id, level, source string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	invalid := cmp.Or(requireText("risk level", level), requireText("risk source", source))
	return s.recordAs(ctx, op, OpInjectRisk, invalid, id, EventRiskInjected, func(p *profile.Profile) (string, error) {
		p.Risk = level
		p.RiskCalculatedAt = s.stamp()
		return "risk injected: " + level + " (source: " + source + ")", nil
	})
}

// Transactional assesses the transactional profile alone and records it.
func (s *Service) Transactional(ctx context.Context, op Operator, id string) (riskmatrix.TransactionalProfile, error) {
	s = s.resolve(ctx, op)
	var tp riskmatrix.TransactionalProfile
	_, err := s.recordAs(ctx, op, OpAssessRisk, s.needMatrix(), id, EventTransactionalAssessed, func(p *profile.Profile) (string, error) {
		var err error
		if tp, err = s.matrix.TransactionalProfile(p, s.now()); err != nil {
			return "", err
		}
		tp.Apply(p)
		return "transactional profile assessed", nil
	})
	return tp, err
}

// needMatrix refuses a risk assessment without a risk matrix.
func (s *Service) needMatrix() error {
	if s.matrix == nil {
		return fmt.Errorf("%w: no risk matrix", ErrNotConfigured)
	}
	return nil
}

package kyc

import "context"

// Authorize reports whether op may do every one of ops under the Service's
// policy: nil, or the *ForbiddenError (or *OperatorError) the operations
// themselves would return. It does no I/O. A front end that performs several
// operations for one request (the seed-002 client API creates a profile and
// then injects its risk) asks first, so that a refusal of the second
// operation leaves nothing half-done. With Options.Tenants, the policy is
// that of op's tenant, resolved with ctx.
func (s *Service) Authorize(ctx context.Context, op Operator, ops ...Operation) error {
	s = s.resolve(ctx, op)
	return s.authorize(op, ops...)
}

package kyc

import (
	"context"

	"github.com/kycsdk/kyc/review"
)

// DueFromHistory is the from-scratch computation of a profile's due work,
// the oracle the stored due work is checked against.
func (s *Service) DueFromHistory(ctx context.Context, op Operator, id string) (review.Work, error) {
	p, err := s.read(ctx, op, OpDueWork, id)
	if err != nil {
		return review.Work{}, err
	}
	return s.dueFromHistory(ctx, op, p)
}

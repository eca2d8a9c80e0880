package kyc

import (
	"context"
	"slices"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// The facts below are read from the history, never from fields of the
// profile a caller could have written.

// walkHistory calls fn on the profile's entries, newest first, until fn
// returns false or the history ends.
func (s *Service) walkHistory(ctx context.Context, op Operator, id string, fn func(history.Entry) bool) error {
	q := storage.HistoryQuery{NewestFirst: true, Size: storage.MaxPageSize}
	for {
		page, err := s.store.History(ctx, op.Tenant, id, q)
		if err != nil {
			return err
		}
		for _, e := range page.Entries {
			if !fn(e) {
				return nil
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
}

// stateSet returns the state an entry moved the profile into, if it did:
// a change of "state", or the state of a creation (an add at the root).
func stateSet(e history.Entry) (string, bool) {
	for _, c := range e.Changes {
		switch {
		case c.Op == history.OpChange && len(c.Path) == 1 && c.Path[0] == "state":
			st, ok := c.New.(string)
			return st, ok
		case c.Op == history.OpAdd && len(c.Path) == 0:
			for _, it := range c.Items {
				if k, ok := it.Key.(string); ok && k == "state" {
					st, ok := it.Value.(string)
					return st, ok
				}
			}
		}
	}
	return "", false
}

// isVerified reports whether the customer has been verified: it is in a
// verified state now, or reached one before (verified_at, which only
// Transition and Import set). Re-KYC rules are about changing data of a
// verified customer (seed 000's table); onboarding edits are free.
func (s *Service) isVerified(p *profile.Profile) bool {
	return p.VerifiedAt != 0 || s.verified[p.State]
}

// makers returns the users who moved p into its current state or changed
// it since: the people whose work a four-eyes transition approves.
func (s *Service) makers(ctx context.Context, op Operator, p *profile.Profile) ([]string, error) {
	var users []string
	err := s.walkHistory(ctx, op, p.ID, func(e history.Entry) bool {
		if !slices.Contains(users, e.CreatedBy) {
			users = append(users, e.CreatedBy)
		}
		st, ok := stateSet(e)
		return !ok || st != p.State
	})
	return users, err
}

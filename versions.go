package kyc

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// History returns one page of the profile's history entries.
func (s *Service) History(ctx context.Context, op Operator, id string, q storage.HistoryQuery) (*storage.HistoryPage, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpHistory); err != nil {
		return nil, err
	}
	return s.store.History(ctx, op.Tenant, id, q)
}

// Version rebuilds the profile as it was at version n from the current
// profile and its history.
func (s *Service) Version(ctx context.Context, op Operator, id string, n int) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	cur, err := s.read(ctx, op, OpVersion, id)
	if err != nil {
		return nil, err
	}
	return s.rebuild(ctx, op, cur, n)
}

func (s *Service) rebuild(ctx context.Context, op Operator, cur *profile.Profile, n int) (*profile.Profile, error) {
	if n < 1 || n > cur.Version {
		return nil, fmt.Errorf("%w: %d (current %d)", ErrNoSuchVersion, n, cur.Version)
	}
	if n == cur.Version {
		return cur.Clone(), nil
	}
	entries, err := s.entriesSince(ctx, op, cur.ID, n)
	if err != nil {
		return nil, err
	}
	doc, err := document(cur)
	if err != nil {
		return nil, err
	}
	old, err := history.Rebuild(doc, cur.Version, entries, n)
	if err != nil {
		return nil, fmt.Errorf("kyc: rebuild version %d: %w", n, err)
	}
	return profileOf(old, n)
}

// profileOf turns a document rebuilt from the history into the profile of
// version n.
func profileOf(doc any, n int) (*profile.Profile, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("kyc: encode version %d: %w", n, err)
	}
	p, err := profile.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("kyc: decode version %d: %w", n, err)
	}
	return p, nil
}

// entriesSince reads the entries from version n on, newest first.
func (s *Service) entriesSince(ctx context.Context, op Operator, id string, n int) ([]history.Entry, error) {
	var out []history.Entry
	err := s.walkHistory(ctx, op, id, func(e history.Entry) bool {
		if e.Version < n {
			return false
		}
		out = append(out, e)
		return true
	})
	return out, err
}

// Revert saves, as a new version, the customer data of version n,
// recorded with the reason "revert to version n". Only customer data is
// restored: every fact the library records (state, risk, screening,
// checks, cases, dates, the recipe; see SystemFields) keeps its current
// value, so a revert never brings back an old risk or drops a hit. It goes
// through the same validation, reference checks and field-change policy as
// Update, with the configured re-verification mode: reverting a verified
// customer's name is a name change. baseVersion is the version the caller
// read, as for Update.
func (s *Service) Revert(ctx context.Context, op Operator, id string, n, baseVersion int) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	// A revert shows an old version: it needs the history's read
	// permission as well as the profile's write.
	if err := s.authorize(op, OpVersion); err != nil {
		return nil, err
	}
	rec, err := s.readRecord(ctx, op, OpRevert, id)
	if err != nil {
		return nil, err
	}
	cur := rec.Profile
	if cur.Version != baseVersion {
		return nil, driver.Wrap("revert profile", id, storage.ErrConflict)
	}
	old, err := s.rebuild(ctx, op, cur, n)
	if err != nil {
		return nil, err
	}
	return s.saveCustomer(ctx, op, rec, old, s.mode, EventReverted, fmt.Sprintf("revert to version %d", n))
}

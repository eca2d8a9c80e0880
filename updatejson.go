package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// UpdateJSON is Update for a caller that edits the stored profile's JSON
// rather than sending a whole profile (an HTTP JSON Merge Patch): edit
// receives the JSON of the stored profile id, read once, and returns the
// new profile, which then goes through every rule of Update (read-only
// fields, validation, references, the field-change policy). base is the
// version the caller's edit is based on: a stored version other than base
// is storage.ErrConflict, as is a write that lands meanwhile. edit must not
// modify the bytes it receives, which are the store's, and must keep the
// id and version they hold: an edit that changes either is refused with a
// ReadOnlyError, as one that changes a system field is.
func (s *Service) UpdateJSON(ctx context.Context, op Operator, id string, base int, edit func(stored []byte) (*profile.Profile, error), opts UpdateOptions) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	ops := []Operation{OpUpdate}
	if opts.Reverification != nil {
		ops = append(ops, OpOverrideReverification)
	}
	if err := s.authorize(op, ops...); err != nil {
		return nil, err
	}
	if id == "" || edit == nil {
		return nil, fmt.Errorf("%w: profile id and edit are required", ErrInvalidInput)
	}
	prev, err := s.store.GetRecord(ctx, op.Tenant, id)
	if err != nil {
		return nil, err
	}
	if prev.Profile.Version != base {
		return nil, driver.Wrap("update profile", id, storage.ErrConflict)
	}
	next, err := edit(prev.JSON)
	if err != nil {
		return nil, err
	}
	// The id and version are system fields: an edit that changes them is
	// refused, not silently put back, so that a merge patch setting them
	// is told it was not applied.
	if fields := changedSystemFields(prev.Profile, next); len(fields) > 0 {
		return nil, &ReadOnlyError{Fields: fields}
	}
	mode := s.mode
	if opts.Reverification != nil {
		mode = *opts.Reverification
	}
	return s.saveCustomer(ctx, op, prev, next, mode, EventUpdated, opts.Reason)
}

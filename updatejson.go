package kyc

import (
	"context"
	"fmt"

	"github.com/kycsdk/kyc/profile"
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
	if err := s.authorizeUpdate(op, opts); err != nil {
		return nil, err
	}
	if id == "" || edit == nil {
		return nil, fmt.Errorf("%w: profile id and edit are required", ErrInvalidInput)
	}
	return s.update(ctx, op, id, base, edit, opts)
}

package driver

import (
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
)

// RedactEntry returns e without personal values, as a deletion leaves it:
// who made it, when, the version and the changed paths stay, so the audit
// trail survives; the old and new values and the free-text reason go.
func RedactEntry(e history.Entry) history.Entry {
	e.Changes = e.Changes.Redact()
	e.Reason = ""
	return e
}

// DeletionEntry returns the entry that records the deletion of the profile
// id at version, from o.Entry: no changes, OrigID id and Version the
// version the deletion starts from. It returns nil when o.Entry is nil,
// and ErrInvalid when the entry has no id.
func DeletionEntry(o storage.DeleteOptions, id string, version int) (*history.Entry, error) {
	if o.Entry == nil {
		return nil, nil
	}
	e := *o.Entry
	if e.ID == "" {
		return nil, fmt.Errorf("%w: deletion entry id is required", storage.ErrInvalid)
	}
	e.OrigID, e.Version, e.Changes = id, version, history.Changes{}
	return &e, nil
}

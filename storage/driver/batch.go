package driver

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kycsdk/kyc/storage"
)

// CheckBatch checks the arguments of BatchCreator.CreateBatch: the size,
// each creation as CheckCreate and CheckEvent check it, and ids and entry
// ids used once in the batch (ErrExists otherwise, as the second
// CreateProfile would fail). It returns the id of the creation at fault,
// for the error, and the error.
func CheckBatch(tenant string, batch []storage.Creation) (string, error) {
	if err := CheckID("tenant", tenant); err != nil {
		return "", err
	}
	if len(batch) > storage.MaxBatch {
		return "", fmt.Errorf("%w: %d creations in a batch, limit %d", storage.ErrInvalid, len(batch), storage.MaxBatch)
	}
	ids := make(map[string]bool, len(batch))
	entries := make(map[string]bool, len(batch))
	events := make(map[string]bool, len(batch))
	for _, c := range batch {
		p := c.Record.Profile
		if err := CheckCreate(tenant, p, c.Entry); err != nil {
			if p == nil {
				return "", err
			}
			return p.ID, err
		}
		if err := CheckEvent(c.Record.Event, p.ID, p.Version); err != nil {
			return p.ID, err
		}
		if ids[p.ID] {
			return p.ID, fmt.Errorf("%w: id twice in the batch", storage.ErrExists)
		}
		ids[p.ID] = true
		if c.Entry != nil {
			if entries[c.Entry.ID] {
				return p.ID, fmt.Errorf("%w: entry id twice in the batch", storage.ErrExists)
			}
			entries[c.Entry.ID] = true
		}
		if ev := c.Record.Event; ev != nil {
			if events[ev.ID] {
				return p.ID, fmt.Errorf("%w: event id twice in the batch", storage.ErrExists)
			}
			events[ev.ID] = true
		}
	}
	return "", nil
}

// CheckRefs checks the arguments of BatchCreator.ExternalRefs: at most
// storage.MaxBatch references, each UTF-8 without NUL (what no database
// can compare). The error never quotes a reference: it is personal data.
func CheckRefs(tenant string, refs []string) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	if len(refs) > storage.MaxBatch {
		return fmt.Errorf("%w: %d references, limit %d", storage.ErrInvalid, len(refs), storage.MaxBatch)
	}
	for i, r := range refs {
		if !utf8.ValidString(r) || strings.IndexByte(r, 0) >= 0 {
			return fmt.Errorf("%w: reference %d not UTF-8 or holding NUL", storage.ErrInvalid, i)
		}
	}
	return nil
}

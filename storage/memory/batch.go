package memory

import (
	"context"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

var _ storage.BatchCreator = (*Store)(nil)

// CreateBatch implements storage.BatchCreator: every creation is checked
// and encoded first, then checked against the tenant and stored under the
// store's lock, so a failure changes nothing and no reader sees half a
// batch.
func (s *Store) CreateBatch(ctx context.Context, tenantName string, batch []storage.Creation) error {
	const op = "create batch"
	if id, err := driver.CheckBatch(tenantName, batch); err != nil {
		return driver.Wrap(op, id, err)
	}
	type encoded struct {
		data []byte
		ent  *entry
	}
	enc := make([]encoded, len(batch))
	for i, c := range batch {
		data, ent, err := encode(c.Record, c.Entry)
		if err != nil {
			return driver.Wrap(op, c.Record.Profile.ID, err)
		}
		enc[i] = encoded{data, ent}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return err
	}
	if len(batch) == 0 {
		return nil
	}
	t := s.tenantFor(tenantName, true)
	for i, c := range batch {
		if err := t.canCreate(c.Record.Profile.ID, enc[i].ent, c.Record.Event); err != nil {
			return driver.Wrap(op, c.Record.Profile.ID, err)
		}
	}
	for i, c := range batch {
		t.create(c.Record, enc[i].data, enc[i].ent)
	}
	return nil
}

// ExternalRefs implements storage.BatchCreator. The memory store keeps no
// index of references: one pass over the tenant's profiles answers the
// whole batch.
func (s *Store) ExternalRefs(ctx context.Context, tenantName string, refs []string) (map[string]string, error) {
	const op = "external refs"
	if err := driver.CheckRefs(tenantName, refs); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	want := make(map[string]bool, len(refs))
	for _, r := range refs {
		if r != "" {
			want[r] = true
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return nil, err
	}
	out := make(map[string]string)
	t := s.tenants[tenantName]
	if t == nil || len(want) == 0 {
		return out, nil
	}
	for id, r := range t.profiles {
		if want[r.extRef] {
			// The smallest id, so that the answer does not depend on the
			// map's order.
			if have, ok := out[r.extRef]; !ok || id < have {
				out[r.extRef] = id
			}
		}
	}
	return out, nil
}

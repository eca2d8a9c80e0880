package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// WalkProfiles implements storage.Store: the batch is the Size smallest
// ids after the cursor, picked from the tenant's map under the read lock.
func (s *Store) WalkProfiles(ctx context.Context, tenantName string, w storage.Walk) (*storage.WalkPage, error) {
	const op = "walk profiles"
	req, err := driver.PrepareWalk(s.cursors, tenantName, w)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	if err := s.begin(ctx, op, ""); err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	var rows []*record
	total := req.Total
	if t := s.tenants[tenantName]; t != nil {
		if req.First {
			total = len(t.profiles)
		}
		for id, r := range t.profiles {
			if id > req.After {
				rows = append(rows, r)
			}
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(rows, func(a, b *record) int { return strings.Compare(a.id, b.id) })
	more := len(rows) > req.Size
	rows = rows[:min(len(rows), req.Size)]
	pg := &storage.WalkPage{Records: make([]storage.Record, 0, len(rows)), Walked: req.Walked + len(rows), Total: total}
	for _, r := range rows {
		p, err := driver.DecodeProfile(r.data)
		if err != nil {
			return nil, driver.Wrap(op, r.id, err)
		}
		pg.Records = append(pg.Records, storage.Record{Profile: p, Due: storage.DueOf(r.due), DueReasons: slices.Clone(r.dueReasons)})
	}
	if more {
		pg.NextCursor = req.NextCursor(rows[len(rows)-1].id, pg.Walked, total)
	}
	return pg, nil
}

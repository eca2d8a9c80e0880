package memory

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// feed is one tenant's change feed. Every write holds the store's lock, so
// positions are handed out and become visible in the same order.
type feed struct {
	events []storage.Event // by position; pruned from the front
	head   int64           // the last position handed out
	ids    map[string]bool // the ids of every event appended
}

// check reports whether ev can be appended: its id unused.
func (f *feed) check(ev *storage.Event) error {
	if ev != nil && f.ids[ev.ID] {
		return fmt.Errorf("%w: event id", storage.ErrExists)
	}
	return nil
}

// append adds a copy of ev at the next position; the caller has checked it.
func (f *feed) append(ev *storage.Event) {
	if ev == nil {
		return
	}
	e := *ev
	e.Paths = slices.Clone(ev.Paths)
	f.head++
	e.Position = f.head
	f.ids[e.ID] = true
	f.events = append(f.events, e)
}

// Changes implements storage.Store.
func (s *Store) Changes(ctx context.Context, tenantName string, after int64, limit int) ([]storage.Event, error) {
	const op = "changes"
	limit, err := driver.ChangesLimit(tenantName, after, limit)
	if err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return nil, err
	}
	out := []storage.Event{}
	t := s.tenantFor(tenantName, false)
	if t == nil {
		return out, nil
	}
	es := t.feed.events
	i := sort.Search(len(es), func(i int) bool { return es[i].Position > after })
	for _, e := range es[i:min(len(es), i+limit)] {
		e.Paths = slices.Clone(e.Paths)
		out = append(out, e)
	}
	return out, nil
}

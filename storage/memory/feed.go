package memory

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// feed is one tenant's change feed. Every write holds the store's lock, so
// positions are handed out and become visible in the same order.
type feed struct {
	events    []storage.Event // by position; pruned from the front
	head      int64           // the last position handed out
	ids       map[string]bool // the ids of every event appended
	consumers map[string]*storage.Consumer
	dead      map[string][]storage.DeadLetter // consumer -> dead letters by position
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

var _ storage.Consumers = (*Store)(nil)

// feedOf returns the tenant's feed for a consumer call, creating the
// tenant.
func (s *Store) feedOf(tenantName string) *feed {
	f := &s.tenantFor(tenantName, true).feed
	if f.consumers == nil {
		f.consumers = make(map[string]*storage.Consumer)
		f.dead = make(map[string][]storage.DeadLetter)
	}
	return f
}

// ClaimConsumer implements storage.Consumers.
func (s *Store) ClaimConsumer(ctx context.Context, tenantName, name, owner string, now, until time.Time) (storage.Consumer, error) {
	const op = "claim consumer"
	if err := driver.CheckConsumer(tenantName, name, owner); err != nil {
		return storage.Consumer{}, driver.Wrap(op, name, err)
	}
	if owner == "" {
		return storage.Consumer{}, driver.Wrap(op, name, fmt.Errorf("%w: empty owner", storage.ErrInvalid))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, name); err != nil {
		return storage.Consumer{}, err
	}
	f := s.feedOf(tenantName)
	c := f.consumers[name]
	if c == nil {
		c = &storage.Consumer{Name: name}
		f.consumers[name] = c
	}
	if c.Owner != "" && c.Owner != owner && c.LeaseUntil.After(now) {
		return storage.Consumer{}, driver.Wrap(op, name, fmt.Errorf("%w: lease held by another owner", storage.ErrConflict))
	}
	c.Owner, c.LeaseUntil = owner, until
	return *c, nil
}

// AdvanceConsumer implements storage.Consumers.
func (s *Store) AdvanceConsumer(ctx context.Context, tenantName, name, owner string, position int64, until time.Time, dead []storage.DeadLetter) error {
	const op = "advance consumer"
	if err := driver.CheckConsumer(tenantName, name, owner); err != nil {
		return driver.Wrap(op, name, err)
	}
	for _, d := range dead {
		if err := driver.CheckID("event id", d.Event.ID); err != nil {
			return driver.Wrap(op, name, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, name); err != nil {
		return err
	}
	f := s.feedOf(tenantName)
	c := f.consumers[name]
	if c == nil || c.Owner != owner || owner == "" {
		return driver.Wrap(op, name, fmt.Errorf("%w: lease not held", storage.ErrConflict))
	}
	c.Position, c.LeaseUntil = max(c.Position, position), until
	for _, d := range dead {
		d.Event.Paths = slices.Clone(d.Event.Paths)
		d.Reason = driver.Reason(d.Reason)
		list := f.dead[name]
		if !slices.ContainsFunc(list, func(x storage.DeadLetter) bool { return x.Event.ID == d.Event.ID }) {
			list = append(list, d)
			slices.SortFunc(list, func(a, b storage.DeadLetter) int { return int(a.Event.Position - b.Event.Position) })
			f.dead[name] = list
		}
	}
	return nil
}

// ReleaseConsumer implements storage.Consumers.
func (s *Store) ReleaseConsumer(ctx context.Context, tenantName, name, owner string) error {
	const op = "release consumer"
	if err := driver.CheckConsumer(tenantName, name, owner); err != nil {
		return driver.Wrap(op, name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, name); err != nil {
		return err
	}
	if c := s.feedOf(tenantName).consumers[name]; c != nil && c.Owner == owner {
		c.Owner, c.LeaseUntil = "", time.Time{}
	}
	return nil
}

// DeadLetters implements storage.Consumers.
func (s *Store) DeadLetters(ctx context.Context, tenantName, name string, after int64, limit int) ([]storage.DeadLetter, error) {
	const op = "dead letters"
	if err := driver.CheckConsumer(tenantName, name, ""); err != nil {
		return nil, driver.Wrap(op, name, err)
	}
	limit = driver.FeedLimit(limit)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, name); err != nil {
		return nil, err
	}
	out := []storage.DeadLetter{}
	t := s.tenantFor(tenantName, false)
	if t == nil {
		return out, nil
	}
	for _, d := range t.feed.dead[name] {
		if len(out) == limit {
			break
		}
		if d.Event.Position <= after {
			continue
		}
		d.Event.Paths = slices.Clone(d.Event.Paths)
		out = append(out, d)
	}
	return out, nil
}

// RemoveDeadLetter implements storage.Consumers.
func (s *Store) RemoveDeadLetter(ctx context.Context, tenantName, name, eventID string) error {
	const op = "remove dead letter"
	if err := driver.CheckConsumer(tenantName, name, ""); err != nil {
		return driver.Wrap(op, eventID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, eventID); err != nil {
		return err
	}
	t := s.tenantFor(tenantName, false)
	if t == nil {
		return driver.Wrap(op, eventID, storage.ErrNotFound)
	}
	list := t.feed.dead[name]
	i := slices.IndexFunc(list, func(d storage.DeadLetter) bool { return d.Event.ID == eventID })
	if i < 0 {
		return driver.Wrap(op, eventID, storage.ErrNotFound)
	}
	t.feed.dead[name] = slices.Delete(slices.Clone(list), i, i+1)
	return nil
}

// PruneFeed implements storage.Consumers.
func (s *Store) PruneFeed(ctx context.Context, tenantName string, before time.Time) (int, error) {
	const op = "prune feed"
	if err := driver.CheckID("tenant", tenantName); err != nil {
		return 0, driver.Wrap(op, "", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return 0, err
	}
	t := s.tenantFor(tenantName, false)
	if t == nil {
		return 0, nil
	}
	passed := int64(math.MaxInt64)
	for _, c := range t.feed.consumers {
		passed = min(passed, c.Position)
	}
	cut := profile.TimestampOf(before)
	kept := t.feed.events[:0:0]
	// The last event stays, as on the SQL stores (where SQLite takes
	// the next position from it).
	passed = min(passed, t.feed.head-1)
	for _, e := range t.feed.events {
		if e.Position <= passed && e.At < cut {
			delete(t.feed.ids, e.ID)
			continue
		}
		kept = append(kept, e)
	}
	n := len(t.feed.events) - len(kept)
	t.feed.events = kept
	return n, nil
}

package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

var (
	_ storage.Store      = (*Store)(nil)
	_ storage.JSONGetter = (*Store)(nil)
)

// Store is an in-memory storage.Store. The zero value is not usable; call
// New.
type Store struct {
	mu      sync.RWMutex
	closed  bool
	tenants map[string]*tenant
	cursors *storage.CursorKey // read-only after New
}

// Option configures a Store made by New.
type Option func(*Store)

// WithCursorKey seals the store's cursors with key instead of a random key
// of its own, so that its cursors open on every store given the same key.
func WithCursorKey(key *storage.CursorKey) Option {
	return func(s *Store) {
		if key != nil {
			s.cursors = key
		}
	}
}

// New returns an empty in-memory store. Its cursors are sealed with a
// random key unless an option gives one.
func New(opts ...Option) *Store {
	s := &Store{tenants: make(map[string]*tenant)}
	for _, o := range opts {
		o(s)
	}
	if s.cursors == nil {
		s.cursors = storage.RandomCursorKey()
	}
	return s
}

// tenant holds one tenant's records. Profiles and entries are kept as their
// JSON encoding, which makes every read a deep copy and gives the memory
// store the same round-trip behaviour as the SQL store.
type tenant struct {
	profiles map[string]*record
	spent    map[string]bool            // ids of deleted profiles, never reused
	entryIDs map[string]bool            // ids of every entry of the tenant
	history  map[string][]entry         // profile id -> entries by version
	comments map[string]storage.Comment // comment id -> comment
	// related is the reverse index of relations: profile id -> the
	// relations that point to it, each with the number of times its
	// holder lists it.
	related map[string]map[storage.RelationLink]int
	feed    feed // the change feed: feed.go
}

func newTenant() *tenant {
	return &tenant{
		profiles: make(map[string]*record),
		spent:    make(map[string]bool),
		entryIDs: make(map[string]bool),
		history:  make(map[string][]entry),
		comments: make(map[string]storage.Comment),
		related:  make(map[string]map[storage.RelationLink]int),
		feed:     feed{ids: make(map[string]bool)},
	}
}

// record is a stored profile with the fields queries read.
type record struct {
	id         string
	data       []byte
	version    int
	state      string
	risk       string
	personType profile.PersonType
	labels     []string
	created    int64
	modified   int64
	nameKey    string
	search     string
	extRef     string             // external_ref, for Query.ExternalRef
	taxID      string             // tax_payer_id, for Query.TaxPayerID
	relations  []profile.Relation // storedRelations
	due        int64              // storage.DueKey of the due moment
	dueReasons []byte
}

type entry struct {
	id      string
	version int
	data    []byte
}

func newRecord(rec storage.Record, data []byte) *record {
	p := rec.Profile
	return &record{
		id:         p.ID,
		data:       data,
		version:    p.Version,
		state:      p.State,
		risk:       p.Risk,
		personType: p.PersonType,
		labels:     slices.Clone(p.Labels),
		created:    int64(p.CreatedAt),
		modified:   int64(p.ModifiedAt),
		nameKey:    driver.NameKey(p),
		search:     driver.SearchText(p),
		extRef:     p.ExternalRef,
		taxID:      p.TaxPayerID,
		relations:  storedRelations(p),
		due:        storage.DueKey(rec.Due),
		dueReasons: slices.Clone(rec.DueReasons),
	}
}

// begin checks the context and that the store is open; it returns the
// error to report, already wrapped.
func (s *Store) begin(ctx context.Context, op, id string) error {
	if err := ctx.Err(); err != nil {
		return driver.Wrap(op, id, err)
	}
	if s.closed {
		return driver.Wrap(op, id, storage.ErrClosed)
	}
	return nil
}

// tenantFor returns the tenant's records, creating them when create is set;
// without create it may return nil.
func (s *Store) tenantFor(name string, create bool) *tenant {
	t := s.tenants[name]
	if t == nil && create {
		t = newTenant()
		s.tenants[name] = t
	}
	return t
}

// CreateProfile implements storage.Store.
func (s *Store) CreateProfile(ctx context.Context, tenantName string, rec storage.Record, e *history.Entry) error {
	const op = "create profile"
	p := rec.Profile
	id := idOf(p)
	if err := driver.CheckCreate(tenantName, p, e); err != nil {
		return driver.Wrap(op, id, err)
	}
	if err := driver.CheckEvent(rec.Event, id, p.Version); err != nil {
		return driver.Wrap(op, id, err)
	}
	data, ent, err := encode(rec, e)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, id); err != nil {
		return err
	}
	t := s.tenantFor(tenantName, true)
	if err := t.canCreate(id, ent, rec.Event); err != nil {
		return driver.Wrap(op, id, err)
	}
	t.create(rec, data, ent)
	return nil
}

// canCreate reports why profile id, with its entry and event, cannot be
// created in t: the id is or was taken, or the entry's or the event's is.
func (t *tenant) canCreate(id string, ent *entry, ev *storage.Event) error {
	switch {
	case t.profiles[id] != nil || t.spent[id]:
		return storage.ErrExists
	case ent != nil && t.entryIDs[ent.id]:
		return fmt.Errorf("%w: entry id", storage.ErrExists)
	}
	return t.feed.check(ev)
}

// create stores a creation canCreate accepted.
func (t *tenant) create(rec storage.Record, data []byte, ent *entry) {
	id := rec.Profile.ID
	t.feed.append(rec.Event)
	t.profiles[id] = newRecord(rec, data)
	t.index(id, nil, t.profiles[id].relations)
	if ent != nil {
		t.entryIDs[ent.id] = true
		t.history[id] = append(t.history[id], *ent)
	}
}

func encode(rec storage.Record, e *history.Entry) ([]byte, *entry, error) {
	data, err := driver.EncodeRecord(rec)
	if err != nil {
		return nil, nil, err
	}
	if rec.JSON != nil {
		data = slices.Clone(data) // the caller's bytes stay the caller's
	}
	if e == nil {
		return data, nil, nil
	}
	ed, err := driver.EncodeEntry(*e)
	if err != nil {
		return nil, nil, err
	}
	return data, &entry{id: e.ID, version: e.Version, data: ed}, nil
}

func idOf(p *profile.Profile) string {
	if p == nil {
		return ""
	}
	return p.ID
}

// GetProfile implements storage.Store.
func (s *Store) GetProfile(ctx context.Context, tenantName, id string) (*profile.Profile, error) {
	r, err := s.GetRecord(ctx, tenantName, id)
	return r.Profile, err
}

// GetRecord implements storage.Store. The JSON is a copy: a caller that
// changes it changes nothing stored.
func (s *Store) GetRecord(ctx context.Context, tenantName, id string) (storage.Record, error) {
	r, err := s.read(ctx, tenantName, id)
	if err != nil {
		return storage.Record{}, err
	}
	p, err := driver.DecodeProfile(r.data)
	if err != nil {
		return storage.Record{}, driver.Wrap("get profile", id, err)
	}
	return storage.Record{Profile: p, JSON: slices.Clone(r.data), Due: storage.DueOf(r.due), DueReasons: slices.Clone(r.dueReasons)}, nil
}

// GetJSON implements storage.JSONGetter: the stored bytes, copied, and the
// version kept beside them, without decoding the profile.
func (s *Store) GetJSON(ctx context.Context, tenantName, id string) ([]byte, int, error) {
	r, err := s.read(ctx, tenantName, id)
	if err != nil {
		return nil, 0, err
	}
	return slices.Clone(r.data), r.version, nil
}

// read returns the stored record of profile id; records are replaced,
// never changed, so the caller reads it outside the lock.
func (s *Store) read(ctx context.Context, tenantName, id string) (*record, error) {
	const op = "get profile"
	if err := driver.CheckIDs(tenantName, id); err != nil {
		return nil, driver.Wrap(op, id, err)
	}
	s.mu.RLock()
	r := s.lookup(tenantName, id)
	err := s.begin(ctx, op, id)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, driver.Wrap(op, id, storage.ErrNotFound)
	}
	return r, nil
}

func (s *Store) lookup(tenantName, id string) *record {
	t := s.tenants[tenantName]
	if t == nil {
		return nil
	}
	return t.profiles[id]
}

// UpdateProfile implements storage.Store.
func (s *Store) UpdateProfile(ctx context.Context, tenantName string, rec storage.Record, e history.Entry) error {
	const op = "update profile"
	p := rec.Profile
	id := idOf(p)
	if err := driver.CheckUpdate(tenantName, p, e); err != nil {
		return driver.Wrap(op, id, err)
	}
	if err := driver.CheckEvent(rec.Event, id, p.Version); err != nil {
		return driver.Wrap(op, id, err)
	}
	data, ent, err := encode(rec, &e)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, id); err != nil {
		return err
	}
	t := s.tenantFor(tenantName, false)
	r := s.lookup(tenantName, id)
	switch {
	case r == nil:
		return driver.Wrap(op, id, storage.ErrNotFound)
	case r.version != e.Version:
		return driver.Wrap(op, id, storage.ErrConflict)
	case t.entryIDs[e.ID]:
		return driver.Wrap(op, id, fmt.Errorf("%w: entry id", storage.ErrExists))
	}
	if err := t.feed.check(rec.Event); err != nil {
		return driver.Wrap(op, id, err)
	}
	t.feed.append(rec.Event)
	t.profiles[id] = newRecord(rec, data)
	t.index(id, r.relations, t.profiles[id].relations)
	t.entryIDs[e.ID] = true
	t.history[id] = append(t.history[id], *ent)
	return nil
}

// SetDue implements storage.Store.
func (s *Store) SetDue(ctx context.Context, tenantName string, updates []storage.DueUpdate) (int, error) {
	const op = "set due"
	if id, err := driver.CheckDue(tenantName, updates); err != nil {
		return 0, driver.Wrap(op, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, ""); err != nil {
		return 0, err
	}
	// Applied in order, so a profile named twice keeps its last update;
	// it counts once.
	changed := make(map[string]bool)
	for _, u := range updates {
		r := s.lookup(tenantName, u.ID)
		if r == nil || r.version != u.Version {
			continue
		}
		// A new record replaces the old rather than changing it, as every
		// write here does.
		next := *r
		next.due, next.dueReasons = storage.DueKey(u.Due), slices.Clone(u.Reasons)
		s.tenants[tenantName].profiles[u.ID] = &next
		changed[u.ID] = true
	}
	return len(changed), nil
}

// DeleteProfile implements storage.Store.
func (s *Store) DeleteProfile(ctx context.Context, tenantName, id string, opts storage.DeleteOptions) error {
	const op = "delete profile"
	if err := cmp.Or(driver.CheckIDs(tenantName, id), driver.CheckEvent(opts.Event, id, 0)); err != nil {
		return driver.Wrap(op, id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, id); err != nil {
		return err
	}
	r := s.lookup(tenantName, id)
	if r == nil {
		return driver.Wrap(op, id, storage.ErrNotFound)
	}
	p, err := driver.DecodeProfile(r.data)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	if err := opts.Check(p); err != nil {
		return driver.Wrap(op, id, err)
	}
	t := s.tenants[tenantName]
	redacted, err := redactAll(t.history[id])
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	deletion, err := driver.DeletionEntry(opts, id, r.version)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	if deletion != nil {
		if t.entryIDs[deletion.ID] {
			return driver.Wrap(op, id, fmt.Errorf("%w: entry id", storage.ErrExists))
		}
		data, err := driver.EncodeEntry(*deletion)
		if err != nil {
			return driver.Wrap(op, id, err)
		}
		if err := t.feed.check(opts.Event); err != nil {
			return driver.Wrap(op, id, err)
		}
		redacted = append(redacted, entry{id: deletion.ID, version: deletion.Version, data: data})
		t.entryIDs[deletion.ID] = true
	} else if err := t.feed.check(opts.Event); err != nil {
		return driver.Wrap(op, id, err)
	}
	t.feed.append(opts.Event)
	t.history[id] = redacted
	t.index(id, r.relations, nil)
	delete(t.profiles, id)
	t.spent[id] = true
	for cid, c := range t.comments {
		if c.ProfileID == id {
			delete(t.comments, cid)
		}
	}
	return nil
}

// redactAll returns the entries with their values removed; it builds a new
// slice so that a failure leaves the stored one untouched.
func redactAll(es []entry) ([]entry, error) {
	out := make([]entry, len(es))
	for i, en := range es {
		e, err := driver.DecodeEntry(en.data)
		if err != nil {
			return nil, err
		}
		data, err := driver.EncodeEntry(driver.RedactEntry(e))
		if err != nil {
			return nil, err
		}
		out[i] = entry{id: en.id, version: en.version, data: data}
	}
	return out, nil
}

// ListProfiles implements storage.Store.
func (s *Store) ListProfiles(ctx context.Context, tenantName string, q storage.Query) (*storage.Page, error) {
	req, err := driver.PrepareList(s.cursors, tenantName, q)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, "list profiles", ""); err != nil {
		return nil, err
	}
	rows := s.matching(tenantName, req)
	sortRecords(rows, req.Query.Sort)
	return page(rows, req)
}

func (s *Store) matching(tenantName string, req driver.ListRequest) []*record {
	t := s.tenants[tenantName]
	if t == nil || req.MatchesNothing {
		return nil
	}
	q := req.Query
	var out []*record
	for _, r := range t.profiles {
		if matches(r, q) {
			out = append(out, r)
		}
	}
	return out
}

func matches(r *record, q storage.Query) bool {
	switch {
	case len(q.States) > 0 && !inSet(q.States, r.state),
		len(q.Risks) > 0 && !inSet(q.Risks, r.risk),
		q.PersonType != "" && q.PersonType != r.personType,
		q.Label != "" && !slices.Contains(r.labels, q.Label),
		q.ExternalRef != "" && r.extRef != q.ExternalRef,
		q.TaxPayerID != "" && r.taxID != q.TaxPayerID,
		!inRange(r.created, q.CreatedFrom, q.CreatedUntil),
		!inRange(r.modified, q.ModifiedFrom, q.ModifiedUntil),
		q.Text != "" && !strings.Contains(r.search, q.Text),
		q.DueBy != 0 && r.due > int64(q.DueBy):
		return false
	}
	return true
}

// inSet reports whether v is in values, which PrepareList sorted: a
// binary search, so that a filter of MaxFilterValues states costs seven
// comparisons a profile rather than a hundred.
func inSet(values []string, v string) bool {
	_, ok := slices.BinarySearch(values, v)
	return ok
}

func inRange(v int64, from, until profile.Timestamp) bool {
	if from != 0 && v < int64(from) {
		return false
	}
	return until == 0 || v < int64(until)
}

// sortKey returns the record's key for the sort, as a cursor records it.
func sortKey(r *record, s storage.Sort) (str string, n int64) {
	switch s.Field() {
	case "name":
		return r.nameKey, 0
	case "created_at":
		return "", r.created
	case "due":
		return "", r.due
	}
	return "", r.modified
}

// compareKey orders a record against a (key, id) position ascending.
func compareKey(r *record, s storage.Sort, str string, n int64, id string) int {
	rs, rn := sortKey(r, s)
	if c := cmp.Compare(rs, str); c != 0 {
		return c
	}
	if c := cmp.Compare(rn, n); c != 0 {
		return c
	}
	return cmp.Compare(r.id, id)
}

func sortRecords(rows []*record, s storage.Sort) {
	sort.Slice(rows, func(i, j int) bool {
		str, n := sortKey(rows[j], s)
		c := compareKey(rows[i], s, str, n, rows[j].id)
		if s.Desc() {
			return c > 0
		}
		return c < 0
	})
}

// page cuts one page out of the sorted rows, after the cursor or at the
// page number.
func page(rows []*record, req driver.ListRequest) (*storage.Page, error) {
	q, cur := req.Query, req.Cursor
	number, start := q.Number, q.Number*q.Size // bounded by PrepareList
	if cur != nil {
		number = cur.Number
		start = sort.Search(len(rows), func(i int) bool {
			c := compareKey(rows[i], q.Sort, cur.Str, cur.Int, cur.ID)
			if q.Sort.Desc() {
				return c < 0
			}
			return c > 0
		})
	}
	start = min(start, len(rows))
	end := min(start+q.Size, len(rows))
	pg := &storage.Page{PageInfo: driver.NewPageInfo(q.Size, number, len(rows))}
	pg.Profiles = make([]*profile.Profile, 0, end-start)
	pg.Due = make([]storage.Due, 0, end-start)
	for _, r := range rows[start:end] {
		pg.Due = append(pg.Due, storage.Due{ID: r.id, At: storage.DueOf(r.due), Reasons: slices.Clone(r.dueReasons)})
		if q.OnlyDue {
			continue
		}
		p, err := driver.DecodeProfile(r.data)
		if err != nil {
			return nil, driver.Wrap("list profiles", r.id, err)
		}
		pg.Profiles = append(pg.Profiles, p)
	}
	if end < len(rows) && end > start {
		last := rows[end-1]
		str, n := sortKey(last, q.Sort)
		pg.NextCursor = req.NextCursor(driver.Cursor{Str: str, Int: n, ID: last.id, Number: number + 1})
	}
	return pg, nil
}

// History implements storage.Store.
func (s *Store) History(ctx context.Context, tenantName, id string, q storage.HistoryQuery) (*storage.HistoryPage, error) {
	const op = "history"
	req, err := driver.PrepareHistory(s.cursors, tenantName, id, q)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, id); err != nil {
		return nil, err
	}
	t := s.tenants[tenantName]
	if t == nil || (t.profiles[id] == nil && !t.spent[id]) {
		return nil, driver.Wrap(op, id, storage.ErrNotFound)
	}
	es := slices.Clone(t.history[id])
	if req.Query.NewestFirst {
		slices.Reverse(es)
	}
	return historyPage(es, req)
}

func historyPage(es []entry, req driver.HistoryRequest) (*storage.HistoryPage, error) {
	q, cur := req.Query, req.Cursor
	number, start := q.Number, q.Number*q.Size // bounded by PrepareHistory
	if cur != nil {
		number = cur.Number
		start = sort.Search(len(es), func(i int) bool {
			if q.NewestFirst {
				return int64(es[i].version) < cur.Int
			}
			return int64(es[i].version) > cur.Int
		})
	}
	start = min(start, len(es))
	end := min(start+q.Size, len(es))
	pg := &storage.HistoryPage{PageInfo: driver.NewPageInfo(q.Size, number, len(es))}
	pg.Entries = make([]history.Entry, 0, end-start)
	for _, en := range es[start:end] {
		e, err := driver.DecodeEntry(en.data)
		if err != nil {
			return nil, driver.Wrap("history", en.id, err)
		}
		pg.Entries = append(pg.Entries, e)
	}
	if end < len(es) && end > start {
		last := es[end-1]
		pg.NextCursor = req.NextCursor(driver.Cursor{Int: int64(last.version), ID: last.id, Number: number + 1})
	}
	return pg, nil
}

// AddComment implements storage.Store.
func (s *Store) AddComment(ctx context.Context, tenantName string, c *storage.Comment, ev *storage.Event) error {
	const op = "add comment"
	if err := driver.CheckComment(tenantName, c); err != nil {
		return driver.Wrap(op, commentID(c), err)
	}
	if err := driver.CheckEvent(ev, c.ProfileID, 0); err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, c.ID); err != nil {
		return err
	}
	if s.lookup(tenantName, c.ProfileID) == nil {
		return driver.Wrap(op, c.ID, fmt.Errorf("%w: profile", storage.ErrNotFound))
	}
	t := s.tenants[tenantName]
	if _, ok := t.comments[c.ID]; ok {
		return driver.Wrap(op, c.ID, storage.ErrExists)
	}
	if err := t.feed.check(ev); err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	t.feed.append(ev)
	t.comments[c.ID] = *c
	return nil
}

func commentID(c *storage.Comment) string {
	if c == nil {
		return ""
	}
	return c.ID
}

// UpdateComment implements storage.Store.
func (s *Store) UpdateComment(ctx context.Context, tenantName string, c *storage.Comment, ev *storage.Event) error {
	const op = "update comment"
	if err := driver.CheckComment(tenantName, c); err != nil {
		return driver.Wrap(op, commentID(c), err)
	}
	if err := driver.CheckEvent(ev, c.ProfileID, 0); err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, c.ID); err != nil {
		return err
	}
	t := s.tenants[tenantName]
	if t == nil {
		return driver.Wrap(op, c.ID, storage.ErrNotFound)
	}
	old, ok := t.comments[c.ID]
	if !ok || old.ProfileID != c.ProfileID {
		return driver.Wrap(op, c.ID, storage.ErrNotFound)
	}
	if err := t.feed.check(ev); err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	t.feed.append(ev)
	old.Body, old.ModifiedAt = c.Body, c.ModifiedAt
	t.comments[c.ID] = old
	return nil
}

// DeleteComment implements storage.Store.
func (s *Store) DeleteComment(ctx context.Context, tenantName, profileID, commentID string, ev *storage.Event) error {
	const op = "delete comment"
	if err := cmp.Or(driver.CheckIDs(tenantName, profileID), driver.CheckID("comment id", commentID), driver.CheckEvent(ev, profileID, 0)); err != nil {
		return driver.Wrap(op, commentID, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(ctx, op, commentID); err != nil {
		return err
	}
	t := s.tenants[tenantName]
	if t == nil {
		return driver.Wrap(op, commentID, storage.ErrNotFound)
	}
	old, ok := t.comments[commentID]
	if !ok || old.ProfileID != profileID {
		return driver.Wrap(op, commentID, storage.ErrNotFound)
	}
	if err := t.feed.check(ev); err != nil {
		return driver.Wrap(op, commentID, err)
	}
	t.feed.append(ev)
	delete(t.comments, commentID)
	return nil
}

// ListComments implements storage.Store.
func (s *Store) ListComments(ctx context.Context, tenantName, profileID string) ([]storage.Comment, error) {
	const op = "list comments"
	if err := driver.CheckIDs(tenantName, profileID); err != nil {
		return nil, driver.Wrap(op, profileID, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, op, profileID); err != nil {
		return nil, err
	}
	if s.lookup(tenantName, profileID) == nil {
		return nil, driver.Wrap(op, profileID, storage.ErrNotFound)
	}
	out := []storage.Comment{}
	for _, c := range s.tenants[tenantName].comments {
		if c.ProfileID == profileID {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b storage.Comment) int {
		return cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Close implements storage.Store. Later calls fail with storage.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.tenants = nil
	return nil
}

package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// Run checks every promise of storage.Store against the stores newStore
// returns, as subtests. newStore is called once per subtest; it may return
// stores sharing one database, because each subtest works in tenants of its
// own (fresh random names). Run closes every store it gets.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, h *harness)
	}{
		{"ProfileCRUD", testProfileCRUD},
		{"CopiesInAndOut", testCopies},
		{"Records", testRecords},
		{"GetJSON", testGetJSON},
		{"UpdateContract", testUpdateContract},
		{"Comments", testComments},
		{"TenantIsolation", testTenantIsolation},
		{"Atomicity", testAtomicity},
		{"Cancellation", testCancellation},
		{"CancelEveryStep", testCancelEveryStep},
		{"BadInput", testBadInput},
		{"NoPersonalDataInErrors", testNoPersonalData},
		{"Filters", testFilters},
		{"Sorts", testSorts},
		{"ListFollowsUpdates", testListFollowsUpdates},
		{"PaginationWalk", testPaginationWalk},
		{"CursorWalkWhileWriting", testCursorWalkWhileWriting},
		{"HistoryPages", testHistoryPages},
		{"PageBounds", testPageBounds},
		{"EmptyFoldingText", testEmptyFoldingText},
		{"FilterBounds", testFilterBounds},
		{"CursorOpacity", testCursorOpacity},
		{"CursorBinding", testCursorBinding},
		{"CursorTampering", testCursorTampering},
		{"LongNames", testLongNames},
		{"CursorAfterDeletion", testCursorAfterDeletion},
		{"Retention", testRetention},
		{"DeletionEntry", testDeletionEntry},
		{"DeleteWhileUpdating", testDeleteWhileUpdating},
		{"DeleteVersion", testDeleteVersion},
		{"NoLostUpdates", testNoLostUpdates},
		{"Relations", testRelations},
		{"ExactLookups", testExactLookups},
		{"CreateBatch", testCreateBatch},
		{"BatchesWhileWriting", testBatchesWhileWriting},
		{"Due", testDue},
		{"DueWalkWhileWriting", testDueWalkWhileWriting},
		{"FeedEveryWrite", testFeedEveryWrite},
		{"FeedNoEventOnFailure", testFeedNoEventOnFailure},
		{"FeedReads", testFeedReads},
		{"FeedWhileWriting", testFeedWhileWriting},
		{"ConsumerLeases", testConsumerLeases},
		{"DeadLetters", testDeadLetters},
		{"PruneFeed", testPruneFeed},
		{"Walk", testWalk},
		{"WalkWhileWriting", testWalkWhileWriting},
		{"Close", testClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			closed := false
			t.Cleanup(func() {
				if !closed {
					s.Close()
				}
			})
			h := &harness{s: s, ctx: context.Background(), closed: &closed}
			tc.fn(t, h)
		})
	}
}

// harness carries the store under test and small helpers.
type harness struct {
	s      storage.Store
	ctx    context.Context
	closed *bool
}

// tenant returns a fresh tenant name, unique across runs, so that stores
// sharing a database (a PostgreSQL given by DSN) never see earlier data.
func (h *harness) tenant(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "tenant-" + hex.EncodeToString(b[:])
}

// base is the moment fixtures are created at: fixed, so tests are
// deterministic.
var base = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func ts(d time.Duration) profile.Timestamp { return profile.TimestampOf(base.Add(d)) }

// newProfile returns a valid natural-person profile at version 1.
func newProfile(id string) *profile.Profile {
	income := int64(100)
	return &profile.Profile{
		ID:             id,
		CreatedAt:      ts(0),
		ModifiedAt:     ts(0),
		CreatedBy:      "admin",
		ModifiedBy:     "admin",
		Version:        1,
		TaxPayerID:     "20-30405060-7",
		Name:           "Ana María Núñez",
		PersonType:     profile.NaturalPerson,
		Risk:           "low",
		State:          "active",
		DeclaredIncome: &income,
		NaturalPerson: &profile.Natural{
			Name:      profile.Name{First: "Ana", Middle: "María", Last: "Núñez"},
			BirthDate: profile.DatePtr(profile.DateOf(1987, time.January, 1)),
		},
		Labels: []string{"vip", "retail"},
		// An integer above 2^53 must survive storage exactly.
		Metadata: profile.Object{"big": json.Number("9007199254740993"), "nested": map[string]any{"a": []any{"x", true}}},
	}
}

// creationEntry is the entry recording the creation of p.
func creationEntry(p *profile.Profile, id string) *history.Entry {
	return &history.Entry{
		ID:        id,
		OrigID:    p.ID,
		CreatedAt: int64(p.CreatedAt),
		CreatedBy: p.CreatedBy,
		Version:   p.Version - 1,
		Changes:   history.Changes{{Op: history.OpChange, Path: history.Path{"version"}, Old: 0, New: p.Version}},
	}
}

// bump changes p in place into its next version, increments its declared
// income and returns the entry recording it: top-level changes only, so
// that the suite can replay them without the history package.
func bump(p *profile.Profile, entryID, by string, at profile.Timestamp) history.Entry {
	e := history.Entry{
		ID: entryID, OrigID: p.ID, CreatedAt: int64(at), CreatedBy: by, Version: p.Version,
		Reason: "routine review", Config: "tenant-config-7",
	}
	income := *p.DeclaredIncome + 1
	e.Changes = history.Changes{
		{Op: history.OpChange, Path: history.Path{"declared_income"}, Old: *p.DeclaredIncome, New: income},
		{Op: history.OpChange, Path: history.Path{"modified_at"}, Old: int64(p.ModifiedAt), New: int64(at)},
		{Op: history.OpChange, Path: history.Path{"modified_by"}, Old: p.ModifiedBy, New: by},
		{Op: history.OpChange, Path: history.Path{"version"}, Old: p.Version, New: p.Version + 1},
	}
	p.DeclaredIncome = &income
	p.ModifiedAt, p.ModifiedBy = at, by
	p.Version++
	return e
}

// revert undoes one entry produced by bump on p, in place.
func revert(t *testing.T, p *profile.Profile, e history.Entry) {
	t.Helper()
	for _, c := range e.Changes {
		if c.Op != history.OpChange || len(c.Path) != 1 {
			t.Fatalf("entry %s: unexpected change %v at %v", e.ID, c.Op, c.Path)
		}
		switch c.Path[0] {
		case "declared_income":
			v := toInt(t, c.Old)
			p.DeclaredIncome = &v
		case "modified_at":
			p.ModifiedAt = profile.Timestamp(toInt(t, c.Old))
		case "modified_by":
			s, ok := c.Old.(string)
			if !ok {
				t.Fatalf("entry %s: modified_by old value is %T", e.ID, c.Old)
			}
			p.ModifiedBy = s
		case "version":
			p.Version = int(toInt(t, c.Old))
		default:
			t.Fatalf("entry %s: unexpected path %v", e.ID, c.Path)
		}
	}
}

// toInt reads a JSON number however the history package decoded it.
func toInt(t *testing.T, v any) int64 {
	t.Helper()
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			t.Fatalf("number %q: %v", n, err)
		}
		return i
	}
	t.Fatalf("not a number: %T", v)
	return 0
}

// profileOpts compares profiles as stored values: nil and empty collections
// are the same.
var profileOpts = cmp.Options{cmpopts.EquateEmpty()}

func (h *harness) create(t *testing.T, tenant string, p *profile.Profile) {
	t.Helper()
	if err := h.s.CreateProfile(h.ctx, tenant, storage.Record{Profile: p}, creationEntry(p, p.ID+"-created")); err != nil {
		t.Fatalf("CreateProfile(%s): %v", p.ID, err)
	}
}

// update stores the next version of the stored profile id (bump), made
// by "op" at at with the entry entryID.
func (h *harness) update(t *testing.T, tenant, id, entryID string, at profile.Timestamp) {
	t.Helper()
	p := h.get(t, tenant, id)
	if err := h.s.UpdateProfile(h.ctx, tenant, storage.Record{Profile: p}, bump(p, entryID, "op", at)); err != nil {
		t.Fatalf("UpdateProfile(%s): %v", id, err)
	}
}

// forceDelete deletes the stored profile id at once (Force).
func (h *harness) forceDelete(t *testing.T, tenant, id string) {
	t.Helper()
	if err := h.s.DeleteProfile(h.ctx, tenant, id, storage.DeleteOptions{Force: true}); err != nil {
		t.Fatalf("DeleteProfile(%s): %v", id, err)
	}
}

func (h *harness) get(t *testing.T, tenant, id string) *profile.Profile {
	t.Helper()
	p, err := h.s.GetProfile(h.ctx, tenant, id)
	if err != nil {
		t.Fatalf("GetProfile(%s): %v", id, err)
	}
	return p
}

func (h *harness) entries(t *testing.T, tenant, id string) []history.Entry {
	t.Helper()
	var all []history.Entry
	q := storage.HistoryQuery{Size: storage.MaxPageSize}
	for {
		pg, err := h.s.History(h.ctx, tenant, id, q)
		if err != nil {
			t.Fatalf("History(%s): %v", id, err)
		}
		all = append(all, pg.Entries...)
		if pg.NextCursor == "" {
			return all
		}
		q.Cursor = pg.NextCursor
	}
}

// wantErr fails unless err is target (errors.Is).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func ids(ps []*profile.Profile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func pid(i int) string { return fmt.Sprintf("p%04d", i) }

func containsAny(s string, words []string) string {
	for _, w := range words {
		if strings.Contains(s, w) {
			return w
		}
	}
	return ""
}

// clone returns a deep copy of p.
func clone(t *testing.T, p *profile.Profile) *profile.Profile {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	out := new(profile.Profile)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

package storagetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// lookupIDs lists the ids of the tenant's profiles matching q, sorted.
func (h *harness) lookupIDs(t *testing.T, tn string, q storage.Query) []string {
	t.Helper()
	q.Sort, q.Size = storage.SortCreatedAsc, storage.MaxPageSize
	pg, err := h.s.ListProfiles(h.ctx, tn, q)
	if err != nil {
		t.Fatalf("ListProfiles: %v", err)
	}
	return ids(pg.Profiles)
}

// testExactLookups checks Query.ExternalRef and Query.TaxPayerID: exact
// (no folding, no substring), following updates and deletes, per tenant,
// combined with other filters, and never quoting the value in an error.
func testExactLookups(t *testing.T, h *harness) {
	tn, other := h.tenant(t), h.tenant(t)
	mk := func(tenant, id, ref, tax string, at int) *profile.Profile {
		p := newProfile(id)
		p.ExternalRef, p.TaxPayerID = ref, tax
		p.CreatedAt = ts(timeStep(at))
		if err := h.s.CreateProfile(h.ctx, tenant, storage.Record{Profile: p}, nil); err != nil {
			t.Fatalf("CreateProfile(%s): %v", id, err)
		}
		return p
	}
	mk(tn, "a", "REF-1", "20-1", 1)
	mk(tn, "b", "ref-1", "20-1", 2)
	c := mk(tn, "c", "REF-10", "", 3)
	mk(tn, "d", "", "20-10", 4)
	mk(other, "a", "REF-1", "20-1", 1)
	mk(other, "z", "REF-1", "20-1", 2)

	check := func(step string, q storage.Query, want []string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		if d := cmp.Diff(want, h.lookupIDs(t, tn, q)); d != "" {
			t.Errorf("%s (-want +got):\n%s", step, d)
		}
	}
	check("external ref", storage.Query{ExternalRef: "REF-1"}, []string{"a"})
	check("external ref, other case", storage.Query{ExternalRef: "ref-1"}, []string{"b"})
	check("external ref, a prefix only", storage.Query{ExternalRef: "REF"}, nil)
	check("tax payer id", storage.Query{TaxPayerID: "20-1"}, []string{"a", "b"})
	check("tax payer id, a prefix of another", storage.Query{TaxPayerID: "20-10"}, []string{"d"})
	check("both", storage.Query{ExternalRef: "REF-1", TaxPayerID: "20-1"}, []string{"a"})
	check("with another filter", storage.Query{TaxPayerID: "20-1", States: []string{"closed"}}, nil)

	c2 := c.Clone()
	c2.Version, c2.ExternalRef, c2.TaxPayerID = 2, "REF-1", "20-1"
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: c2}, history.Entry{ID: "e-c", OrigID: "c", Version: 1}); err != nil {
		t.Fatal(err)
	}
	check("after an update sets them", storage.Query{ExternalRef: "REF-1"}, []string{"a", "c"})
	check("the old value after the update", storage.Query{ExternalRef: "REF-10"}, nil)
	check("tax payer id after the update", storage.Query{TaxPayerID: "20-1"}, []string{"a", "b", "c"})
	h.forceDelete(t, tn, "a")
	check("after a delete", storage.Query{ExternalRef: "REF-1"}, []string{"c"})

	// A value no database can compare is refused naming the filter, not
	// the value.
	secret := "SECRET-" + strings.Repeat("9", storage.MaxFilterValueBytes)
	_, err := h.s.ListProfiles(h.ctx, tn, storage.Query{TaxPayerID: secret})
	var qe *storage.QueryError
	if !errors.As(err, &qe) || qe.Field != "TaxPayerID" || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("an over-long tax payer id: %v; want a *QueryError for TaxPayerID without the value", err)
	}

	if bc, ok := h.s.(storage.BatchCreator); ok {
		got, err := bc.ExternalRefs(h.ctx, tn, []string{"REF-1", "ref-1", "REF-10", "REF-1", "", "none"})
		if err != nil {
			t.Fatalf("ExternalRefs: %v", err)
		}
		if d := cmp.Diff(map[string]string{"REF-1": "c", "ref-1": "b"}, got); d != "" {
			t.Errorf("ExternalRefs (-want +got):\n%s", d)
		}
		got, err = bc.ExternalRefs(h.ctx, other, []string{"REF-1", "ref-1"})
		if err != nil || len(got) != 1 || (got["REF-1"] != "a" && got["REF-1"] != "z") {
			t.Errorf("ExternalRefs in another tenant = %v, %v; want REF-1 only", got, err)
		}
		if _, err := bc.ExternalRefs(h.ctx, tn, make([]string, storage.MaxBatch+1)); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("ExternalRefs of %d refs: %v, want ErrInvalid", storage.MaxBatch+1, err)
		}
	}
}

// batchOf returns n creations of profiles prefix-0... with entries and
// events, the second relating to the first.
func batchOf(prefix string, n int) []storage.Creation {
	out := make([]storage.Creation, n)
	for i := range out {
		id := fmt.Sprintf("%s-%d", prefix, i)
		p := newProfile(id)
		p.ExternalRef = "ext-" + id
		p.CreatedAt = ts(timeStep(i))
		if i == 1 {
			p = legalProfile(id, partner(prefix+"-0", "60"))
			p.ExternalRef = "ext-" + id
		}
		out[i] = storage.Creation{
			Record: storage.Record{Profile: p, Due: dueAt(i), DueReasons: dueReasons(i), Event: event("ev-"+id, "created", id, 1)},
			Entry:  creationEntry(p, "en-"+id),
		}
	}
	return out
}

// testCreateBatch checks BatchCreator.CreateBatch on the stores that have
// it: each creation stored as CreateProfile stores it (record, entry,
// labels, relations, due work, event at consecutive positions after the
// events already there), and a batch with one bad creation stores
// nothing.
func testCreateBatch(t *testing.T, h *harness) {
	bc, ok := h.s.(storage.BatchCreator)
	if !ok {
		t.Skip("the store creates profiles one by one")
	}
	tn, other := h.tenant(t), h.tenant(t)
	first := newProfile("first")
	firstEv := event("ev-first", "created", "first", 1)
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: first, Event: firstEv}, creationEntry(first, "en-first")); err != nil {
		t.Fatal(err)
	}
	batch := batchOf("b", 5)
	if err := bc.CreateBatch(h.ctx, tn, batch); err != nil {
		t.Fatalf("CreateBatch: %v", err)
	}
	if err := bc.CreateBatch(h.ctx, tn, nil); err != nil {
		t.Fatalf("CreateBatch of nothing: %v", err)
	}
	want := []*storage.Event{firstEv}
	for _, c := range batch {
		want = append(want, c.Record.Event)
		r, err := h.s.GetRecord(h.ctx, tn, c.Record.Profile.ID)
		if err != nil {
			t.Fatalf("GetRecord: %v", err)
		}
		if d := cmp.Diff(c.Record.Profile, r.Profile); d != "" {
			t.Errorf("%s stored (-want +got):\n%s", c.Record.Profile.ID, d)
		}
		if r.Due != c.Record.Due || string(r.DueReasons) != string(c.Record.DueReasons) {
			t.Errorf("%s due = %d %s, want %d %s", c.Record.Profile.ID, r.Due, r.DueReasons, c.Record.Due, c.Record.DueReasons)
		}
		hp, err := h.s.History(h.ctx, tn, c.Record.Profile.ID, storage.HistoryQuery{})
		if err != nil || len(hp.Entries) != 1 || hp.Entries[0].ID != c.Entry.ID {
			t.Errorf("%s history = %v, %v; want its creation entry", c.Record.Profile.ID, hp, err)
		}
	}
	h.wantFeed(t, tn, "after the batch", want)
	wantLinks(t, "relations of the batch", []storage.RelationLink{{From: "b-1", To: "b-0", Relationship: profile.RelationBusinessPartner}},
		h.relatedTo(t, tn, []string{"b-0"}, nil))
	if got := h.lookupIDs(t, tn, storage.Query{Label: "vip", ExternalRef: "ext-b-3"}); len(got) != 1 || got[0] != "b-3" {
		t.Errorf("labels and external ref of the batch: %v", got)
	}
	if got := h.lookupIDs(t, tn, storage.Query{DueBy: dueAt(1)}); len(got) != 2 {
		t.Errorf("due work of the batch: %v due by the second, want 2", got)
	}
	if got := h.lookupIDs(t, other, storage.Query{}); len(got) != 0 {
		t.Errorf("another tenant sees %v", got)
	}

	// Each bad batch stores nothing: not its good creations, no event.
	taken := batchOf("c", 3)
	taken[2].Record.Profile = newProfile("b-4")
	taken[2].Record.Event = event("ev-c-2", "created", "b-4", 1)
	taken[2].Entry = creationEntry(taken[2].Record.Profile, "en-c-2")
	twice := batchOf("d", 3)
	twice[2] = batchOf("d", 1)[0]
	twice[2].Entry = creationEntry(twice[2].Record.Profile, "en-d-other")
	twice[2].Record.Event = event("ev-d-other", "created", "d-0", 1)
	usedEvent := batchOf("e", 2)
	usedEvent[1].Record.Event = event("ev-first", "created", "e-1", 1)
	badVersion := batchOf("f", 2)
	badVersion[1].Record.Profile.Version = 0
	h.forceDelete(t, tn, "first")
	spent := batchOf("g", 2)
	spent[0].Record.Profile = newProfile("first")
	spent[0].Record.Event = event("ev-g-0", "created", "first", 1)
	spent[0].Entry = creationEntry(spent[0].Record.Profile, "en-g-0")
	before := h.changes(t, tn, 0)
	for _, tc := range []struct {
		name  string
		batch []storage.Creation
		want  error
	}{
		{"an id taken", taken, storage.ErrExists},
		{"an id twice", twice, storage.ErrExists},
		{"an event id taken", usedEvent, storage.ErrExists},
		{"an invalid version", badVersion, storage.ErrInvalid},
		{"the id of a deleted profile", spent, storage.ErrExists},
		{"too many", make([]storage.Creation, storage.MaxBatch+1), storage.ErrInvalid},
	} {
		err := bc.CreateBatch(h.ctx, tn, tc.batch)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: CreateBatch = %v, want %v", tc.name, err, tc.want)
		}
		for _, c := range tc.batch[:min(len(tc.batch), 2)] {
			if c.Record.Profile == nil || c.Record.Profile.ID == "b-4" || c.Record.Profile.ID == "first" {
				continue
			}
			if _, err := h.s.GetProfile(h.ctx, tn, c.Record.Profile.ID); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("%s: %s after the failed batch: %v, want ErrNotFound", tc.name, c.Record.Profile.ID, err)
			}
		}
		if got := h.changes(t, tn, 0); len(got) != len(before) {
			t.Errorf("%s: the feed holds %d events after the failed batch, want %d", tc.name, len(got), len(before))
		}
	}
}

// timeStep is the i-th hour after base, for fixtures that order by
// creation.
func timeStep(i int) time.Duration { return time.Duration(i) * time.Hour }

// testBatchesWhileWriting runs batches and single creations at once in
// one tenant while a reader follows the feed: the reader never sees a gap
// (every position it reads is the one after the last), every event is
// read once, and each batch's events are consecutive.
func testBatchesWhileWriting(t *testing.T, h *harness) {
	bc, ok := h.s.(storage.BatchCreator)
	if !ok {
		t.Skip("the store creates profiles one by one")
	}
	tn := h.tenant(t)
	const writers, size = 4, 5
	rounds := 12 / raceScale
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				prefix := fmt.Sprintf("w%d-r%d", w, r)
				var err error
				if w%2 == 0 {
					err = bc.CreateBatch(h.ctx, tn, batchOf(prefix, size))
				} else {
					c := batchOf(prefix, 1)[0]
					err = h.s.CreateProfile(h.ctx, tn, c.Record, c.Entry)
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %w", prefix, err)
					return
				}
			}
		}()
	}
	seen := h.pollFeed(t, tn, wg.Wait)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := (writers/2)*rounds*size + (writers/2)*rounds
	if len(seen) != want {
		t.Fatalf("reader saw %d events, want %d", len(seen), want)
	}
	at := map[string]int64{}
	for _, ev := range seen {
		if _, dup := at[ev.ID]; dup {
			t.Errorf("event %s read twice", ev.ID)
		}
		at[ev.ID] = ev.Position
	}
	for w := 0; w < writers; w += 2 {
		for r := range rounds {
			first := at[fmt.Sprintf("ev-w%d-r%d-0", w, r)]
			for i := 1; i < size; i++ {
				if p := at[fmt.Sprintf("ev-w%d-r%d-%d", w, r, i)]; p != first+int64(i) {
					t.Errorf("batch w%d-r%d: event %d at position %d, want %d", w, r, i, p, first+int64(i))
				}
			}
		}
	}
}

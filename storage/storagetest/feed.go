package storagetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/storage"
)

// event is the feed event of a write on profile pid at version.
func event(id, kind, pid string, version int) *storage.Event {
	return &storage.Event{ID: id, Kind: kind, ProfileID: pid, Version: version, User: "ops-1", At: ts(time.Minute), Paths: []string{"declared_income"}}
}

// changes reads the tenant's whole feed after after, page by page.
func (h *harness) changes(t *testing.T, tn string, after int64) []storage.Event {
	t.Helper()
	var out []storage.Event
	for {
		page, err := h.s.Changes(h.ctx, tn, after, 7)
		if err != nil {
			t.Fatalf("Changes(after %d): %v", after, err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].Position
	}
}

// wantFeed fails unless the tenant's feed holds exactly the events of
// want, in order, at positions 1, 2, 3...
func (h *harness) wantFeed(t *testing.T, tn, step string, want []*storage.Event) {
	t.Helper()
	got := h.changes(t, tn, 0)
	var exp []storage.Event
	for i, e := range want {
		c := *e
		c.Position = int64(i + 1)
		exp = append(exp, c)
	}
	if diff := cmp.Diff(exp, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s: feed (-want +got):\n%s", step, diff)
	}
}

// testFeedEveryWrite: each kind of write appends its event with the
// change, and a write given no event appends none.
func testFeedEveryWrite(t *testing.T, h *harness) {
	tn := h.tenant(t)
	var want []*storage.Event
	p := newProfile("p1")
	created := event("e-created", "created", "p1", 1)
	created.Paths = nil
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p, Event: created}, creationEntry(p, "p1-created")); err != nil {
		t.Fatal(err)
	}
	want = append(want, created)
	h.wantFeed(t, tn, "create", want)

	// An update that keeps the labels (the one-statement path of the SQL
	// stores), then one that changes them (the transaction).
	e := bump(p, "p1-e1", "ops-1", ts(time.Minute))
	updated := event("e-updated", "updated", "p1", p.Version)
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Event: updated}, e); err != nil {
		t.Fatal(err)
	}
	want = append(want, updated)
	p.Labels = []string{"new-label"}
	e = bump(p, "p1-e2", "ops-1", ts(2*time.Minute))
	labelled := event("e-labelled", "updated", "p1", p.Version)
	labelled.Paths = []string{"declared_income", "labels[0]"}
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Event: labelled}, e); err != nil {
		t.Fatal(err)
	}
	want = append(want, labelled)
	h.wantFeed(t, tn, "update", want)

	// A write without an event appends none.
	e = bump(p, "p1-e3", "ops-1", ts(3*time.Minute))
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e); err != nil {
		t.Fatal(err)
	}
	h.wantFeed(t, tn, "update without event", want)

	c := storage.Comment{ID: "c1", ProfileID: "p1", Author: "ops-1", Body: "<p>called</p>", CreatedAt: ts(time.Hour)}
	for i, step := range []struct {
		kind string
		call func(ev *storage.Event) error
	}{
		{"comment_added", func(ev *storage.Event) error { cc := c; return h.s.AddComment(h.ctx, tn, &cc, ev) }},
		{"comment_edited", func(ev *storage.Event) error {
			cc := c
			cc.Body, cc.ModifiedAt = "<p>called twice</p>", ts(2*time.Hour)
			return h.s.UpdateComment(h.ctx, tn, &cc, ev)
		}},
		{"comment_deleted", func(ev *storage.Event) error { return h.s.DeleteComment(h.ctx, tn, "p1", "c1", ev) }},
	} {
		ev := event(fmt.Sprintf("e-comment-%d", i), step.kind, "p1", 0)
		ev.CommentID, ev.Paths = "c1", nil
		if err := step.call(ev); err != nil {
			t.Fatalf("%s: %v", step.kind, err)
		}
		want = append(want, ev)
		h.wantFeed(t, tn, step.kind, want)
	}

	deleted := event("e-deleted", "deleted", "p1", 0)
	deleted.Paths = nil
	if err := h.s.DeleteProfile(h.ctx, tn, "p1", storage.DeleteOptions{Force: true, Event: deleted}); err != nil {
		t.Fatal(err)
	}
	want = append(want, deleted)
	h.wantFeed(t, tn, "delete", want)
}

// testFeedNoEventOnFailure: a write that fails or is refused appends
// nothing, and an event whose id is taken fails the whole write.
func testFeedNoEventOnFailure(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("p1")
	first := event("e-1", "created", "p1", 1)
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p, Event: first}, creationEntry(p, "p1-created")); err != nil {
		t.Fatal(err)
	}
	want := []*storage.Event{first}
	dup := newProfile("p1")
	wantErr(t, "create taken id", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: dup, Event: event("e-2", "created", "p1", 1)}, nil), storage.ErrExists)

	stale := newProfile("p1")
	stale.Version = 5
	e := bump(stale, "p1-stale", "ops-1", ts(time.Minute))
	wantErr(t, "update moved", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: stale, Event: event("e-3", "updated", "p1", stale.Version)}, e), storage.ErrConflict)
	missing := newProfile("nobody")
	e = bump(missing, "nobody-e", "ops-1", ts(time.Minute))
	wantErr(t, "update missing", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: missing, Event: event("e-4", "updated", "nobody", missing.Version)}, e), storage.ErrNotFound)

	// The event id of the creation, again: the update fails as a whole.
	next := p.Clone()
	e = bump(next, "p1-e1", "ops-1", ts(time.Minute))
	wantErr(t, "taken event id", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("e-1", "updated", "p1", next.Version)}, e), storage.ErrExists)
	if got := h.get(t, tn, "p1"); got.Version != p.Version {
		t.Errorf("update with a taken event id stored version %d", got.Version)
	}
	// The same update with the labels changed takes the SQL stores'
	// transaction path.
	next.Labels = []string{"other"}
	wantErr(t, "taken event id, new labels", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("e-1", "updated", "p1", next.Version)}, e), storage.ErrExists)
	if got := h.get(t, tn, "p1"); got.Version != p.Version || slices.Contains(got.Labels, "other") {
		t.Errorf("update with a taken event id stored version %d, labels %v", got.Version, got.Labels)
	}

	wantErr(t, "event of another profile", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("e-5", "updated", "p2", next.Version)}, e), storage.ErrInvalid)
	wantErr(t, "event of another version", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("e-5", "updated", "p1", 9)}, e), storage.ErrInvalid)
	wantErr(t, "event without id", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("", "updated", "p1", next.Version)}, e), storage.ErrInvalid)
	wantErr(t, "event without kind", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, Event: event("e-5", "", "p1", next.Version)}, e), storage.ErrInvalid)

	wantErr(t, "comment on missing profile", h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c9", ProfileID: "nobody", Author: "x"}, event("e-6", "comment_added", "nobody", 0)), storage.ErrNotFound)
	wantErr(t, "edit missing comment", h.s.UpdateComment(h.ctx, tn, &storage.Comment{ID: "c9", ProfileID: "p1"}, event("e-7", "comment_edited", "p1", 0)), storage.ErrNotFound)
	wantErr(t, "delete missing comment", h.s.DeleteComment(h.ctx, tn, "p1", "c9", event("e-8", "comment_deleted", "p1", 0)), storage.ErrNotFound)
	wantErr(t, "comment with a taken event id", h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c1", ProfileID: "p1", Author: "x"}, event("e-1", "comment_added", "p1", 0)), storage.ErrExists)
	if cs, err := h.s.ListComments(h.ctx, tn, "p1"); err != nil || len(cs) != 0 {
		t.Errorf("comment with a taken event id stored: %v, %v", cs, err)
	}
	wantErr(t, "delete in retention", h.s.DeleteProfile(h.ctx, tn, "p1", storage.DeleteOptions{Event: event("e-9", "deleted", "p1", 0)}), storage.ErrRetention)
	wantErr(t, "delete missing", h.s.DeleteProfile(h.ctx, tn, "nobody", storage.DeleteOptions{Force: true, Event: event("e-10", "deleted", "nobody", 0)}), storage.ErrNotFound)
	wantErr(t, "delete with a taken event id", h.s.DeleteProfile(h.ctx, tn, "p1", storage.DeleteOptions{Force: true, Event: event("e-1", "deleted", "p1", 0)}), storage.ErrExists)
	h.get(t, tn, "p1")
	h.wantFeed(t, tn, "after failures", want)

	// The next event that commits takes the next position: failures
	// leave no gap.
	e = bump(p, "p1-e2", "ops-1", ts(time.Minute))
	ok := event("e-11", "updated", "p1", p.Version)
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Event: ok}, e); err != nil {
		t.Fatal(err)
	}
	h.wantFeed(t, tn, "after a success", append(want, ok))
}

// testFeedReads: tenants' feeds are apart, each numbered from 1; after
// and limit page through it; bad arguments are refused.
func testFeedReads(t *testing.T, h *harness) {
	a, b := h.tenant(t), h.tenant(t)
	var want []*storage.Event
	for i := range 5 {
		id := fmt.Sprintf("p%d", i)
		p := newProfile(id)
		ev := event("a-"+id, "created", id, 1)
		if err := h.s.CreateProfile(h.ctx, a, storage.Record{Profile: p, Event: ev}, nil); err != nil {
			t.Fatal(err)
		}
		want = append(want, ev)
	}
	// The same event ids in another tenant are another tenant's.
	bev := event("a-p0", "created", "p0", 1)
	if err := h.s.CreateProfile(h.ctx, b, storage.Record{Profile: newProfile("p0"), Event: bev}, nil); err != nil {
		t.Fatal(err)
	}
	h.wantFeed(t, a, "tenant a", want)
	h.wantFeed(t, b, "tenant b", []*storage.Event{bev})
	if got, err := h.s.Changes(h.ctx, h.tenant(t), 0, 10); err != nil || len(got) != 0 {
		t.Errorf("Changes of an unknown tenant = %v, %v; want none", got, err)
	}
	got, err := h.s.Changes(h.ctx, a, 2, 2)
	if err != nil || len(got) != 2 || got[0].Position != 3 || got[1].Position != 4 {
		t.Errorf("Changes(after 2, limit 2) = %v, %v; want positions 3 and 4", got, err)
	}
	if got, err := h.s.Changes(h.ctx, a, 5, 10); err != nil || len(got) != 0 {
		t.Errorf("Changes after the last = %v, %v; want none", got, err)
	}
	if got, err := h.s.Changes(h.ctx, a, 0, 0); err != nil || len(got) != 5 {
		t.Errorf("Changes with limit 0 = %d events, %v; want the default page", len(got), err)
	}
	wantErr(t, "negative after", func() error { _, err := h.s.Changes(h.ctx, a, -1, 10); return err }(), storage.ErrInvalid)
	wantErr(t, "empty tenant", func() error { _, err := h.s.Changes(h.ctx, "", 0, 10); return err }(), storage.ErrInvalid)
	// What comes back is a copy.
	got, _ = h.s.Changes(h.ctx, a, 0, 1)
	got[0].Paths[0] = "changed"
	if again, _ := h.s.Changes(h.ctx, a, 0, 1); again[0].Paths[0] != "declared_income" {
		t.Errorf("changing a read event changed the stored one: %q", again[0].Paths[0])
	}
}

// testFeedWhileWriting: writers commit updates while a reader polls the
// feed from the last position it saw; the reader gets every committed
// event exactly once, in position order, with no position skipped, and
// the feed holds one event per update.
func testFeedWhileWriting(t *testing.T, h *harness) {
	tn := h.tenant(t)
	const writers = 6
	updates := 60 / raceScale
	for w := range writers {
		h.create(t, tn, newProfile(fmt.Sprintf("w%d", w)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("w%d", w)
			p := newProfile(id)
			for i := range updates {
				e := bump(p, fmt.Sprintf("%s-e%d", id, i), "ops-1", ts(time.Duration(i)*time.Second))
				ev := event(fmt.Sprintf("%s-ev%d", id, i), "updated", id, p.Version)
				if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Event: ev}, e); err != nil {
					errs <- fmt.Errorf("%s update %d: %w", id, i, err)
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
	if len(seen) != writers*updates {
		t.Fatalf("reader saw %d events, want %d", len(seen), writers*updates)
	}
	got := map[string]int{}
	for _, ev := range seen {
		got[ev.ID]++
	}
	for w := range writers {
		for i := range updates {
			if id := fmt.Sprintf("w%d-ev%d", w, i); got[id] != 1 {
				t.Errorf("event %s read %d times", id, got[id])
			}
		}
	}
	// The events of one profile are in the order of its versions: 2, 3...
	next := map[string]int{}
	for _, ev := range seen {
		if want := max(next[ev.ProfileID], 2); ev.Version != want {
			t.Errorf("event %s: version %d, want %d", ev.ID, ev.Version, want)
		}
		next[ev.ProfileID] = ev.Version + 1
	}
}

// pollFeed reads the tenant's feed, 50 events at a time, while wait runs
// and once more after it returns, and fails the test at the first gap in
// the positions: what a consumer polling during concurrent writes sees.
func (h *harness) pollFeed(t *testing.T, tn string, wait func()) []storage.Event {
	t.Helper()
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	var seen []storage.Event
	var last int64
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true // one more read after the last commit
		default:
		}
		page, err := h.s.Changes(h.ctx, tn, last, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page {
			if ev.Position != last+1 {
				t.Fatalf("read position %d after %d: an event was skipped", ev.Position, last)
			}
			last = ev.Position
			seen = append(seen, ev)
		}
		if len(page) == 50 {
			finished = false
		}
	}
	return seen
}

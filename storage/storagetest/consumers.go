package storagetest

import (
	"testing"
	"time"

	"github.com/kycsdk/kyc/storage"
)

// consumers returns the store's storage.Consumers, or skips.
func (h *harness) consumers(t *testing.T) storage.Consumers {
	t.Helper()
	c, ok := h.s.(storage.Consumers)
	if !ok {
		t.Skip("the store keeps no feed consumers")
	}
	return c
}

// testConsumerLeases: one owner at a time holds a consumer's lease; an
// expired lease can be taken over, and the old owner then can no longer
// move the position; positions never go back.
func testConsumerLeases(t *testing.T, h *harness) {
	cs := h.consumers(t)
	tn := h.tenant(t)
	now := base
	c, err := cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-a", now, now.Add(time.Minute))
	if err != nil || c.Position != 0 || c.Owner != "relay-a" {
		t.Fatalf("first claim = %+v, %v", c, err)
	}
	_, err = cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-b", now.Add(time.Second), now.Add(time.Minute))
	wantErr(t, "claim of a held lease", err, storage.ErrConflict)
	if _, err := cs.ClaimConsumer(h.ctx, tn, "other", "relay-b", now, now.Add(time.Minute)); err != nil {
		t.Errorf("another consumer's lease: %v", err)
	}
	if err := cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-a", 5, now.Add(2*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if err := cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-a", 3, now.Add(2*time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "advance by a non-owner", cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-b", 9, now, nil), storage.ErrConflict)
	wantErr(t, "advance of an unknown consumer", cs.AdvanceConsumer(h.ctx, tn, "nobody", "relay-a", 9, now, nil), storage.ErrConflict)
	// The claim again by its owner renews it and reads the position.
	if c, err = cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-a", now, now.Add(2*time.Minute)); err != nil || c.Position != 5 {
		t.Fatalf("renewed claim = %+v, %v; want position 5 (never back)", c, err)
	}
	// After expiry another owner takes over; the old one is fenced off.
	later := now.Add(3 * time.Minute)
	if c, err = cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-b", later, later.Add(time.Minute)); err != nil || c.Position != 5 {
		t.Fatalf("claim after expiry = %+v, %v", c, err)
	}
	wantErr(t, "advance by the expired owner", cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-a", 9, later, nil), storage.ErrConflict)
	// Release frees it at once; a release by a non-owner does nothing.
	if err := cs.ReleaseConsumer(h.ctx, tn, "hooks", "relay-a"); err != nil {
		t.Fatal(err)
	}
	_, err = cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-c", later, later.Add(time.Minute))
	wantErr(t, "claim after a non-owner's release", err, storage.ErrConflict)
	if err := cs.ReleaseConsumer(h.ctx, tn, "hooks", "relay-b"); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-c", later, later.Add(time.Minute)); err != nil {
		t.Errorf("claim after release: %v", err)
	}
	_, err = cs.ClaimConsumer(h.ctx, tn, "hooks", "", later, later)
	wantErr(t, "claim without owner", err, storage.ErrInvalid)
	_, err = cs.ClaimConsumer(h.ctx, "", "hooks", "x", later, later)
	wantErr(t, "claim without tenant", err, storage.ErrInvalid)
}

// testDeadLetters: dead letters are written with the move past them,
// listed by position, kept once, and removed one by one; a refused move
// records none.
func testDeadLetters(t *testing.T, h *harness) {
	cs := h.consumers(t)
	tn := h.tenant(t)
	if _, err := cs.ClaimConsumer(h.ctx, tn, "hooks", "relay-a", base, base.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	d := func(pos int64, id string) storage.DeadLetter {
		return storage.DeadLetter{Event: storage.Event{ID: id, Position: pos, Kind: "updated", ProfileID: "p1", Version: 2, At: ts(0), Paths: []string{"name"}},
			Attempts: 8, Reason: "status 500", At: ts(time.Minute)}
	}
	wantErr(t, "dead letters by a non-owner", cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-b", 4, base, []storage.DeadLetter{d(4, "e4")}), storage.ErrConflict)
	if err := cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-a", 7, base.Add(time.Hour), []storage.DeadLetter{d(7, "e7"), d(2, "e2")}); err != nil {
		t.Fatal(err)
	}
	if err := cs.AdvanceConsumer(h.ctx, tn, "hooks", "relay-a", 7, base.Add(time.Hour), []storage.DeadLetter{d(7, "e7")}); err != nil {
		t.Fatal(err)
	}
	got, err := cs.DeadLetters(h.ctx, tn, "hooks", 0, 10)
	if err != nil || len(got) != 2 || got[0].Event.ID != "e2" || got[1].Event.ID != "e7" {
		t.Fatalf("DeadLetters = %+v, %v; want e2 then e7, once each", got, err)
	}
	if w := d(2, "e2"); got[0].Attempts != w.Attempts || got[0].Reason != w.Reason || got[0].At != w.At ||
		got[0].Event.Position != 2 || got[0].Event.Paths[0] != "name" {
		t.Errorf("dead letter read back as %+v", got[0])
	}
	if other, err := cs.DeadLetters(h.ctx, h.tenant(t), "hooks", 0, 10); err != nil || len(other) != 0 {
		t.Errorf("another tenant's dead letters: %v, %v", other, err)
	}
	if page, err := cs.DeadLetters(h.ctx, tn, "hooks", 0, 1); err != nil || len(page) != 1 || page[0].Event.ID != "e2" {
		t.Errorf("first page of one = %+v, %v; want e2", page, err)
	}
	if page, err := cs.DeadLetters(h.ctx, tn, "hooks", 2, 10); err != nil || len(page) != 1 || page[0].Event.ID != "e7" {
		t.Errorf("after position 2 = %+v, %v; want e7", page, err)
	}
	if page, err := cs.DeadLetters(h.ctx, tn, "hooks", 7, 10); err != nil || len(page) != 0 {
		t.Errorf("after the last = %+v, %v; want none", page, err)
	}
	if err := cs.RemoveDeadLetter(h.ctx, tn, "hooks", "e2"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "remove twice", cs.RemoveDeadLetter(h.ctx, tn, "hooks", "e2"), storage.ErrNotFound)
	if got, _ := cs.DeadLetters(h.ctx, tn, "hooks", 0, 10); len(got) != 1 || got[0].Event.ID != "e7" {
		t.Errorf("after removal: %+v", got)
	}
}

// testPruneFeed: events go once every consumer has passed them and they
// are older than the cut; positions are not reused after pruning.
func testPruneFeed(t *testing.T, h *harness) {
	cs := h.consumers(t)
	tn := h.tenant(t)
	for i := range 6 {
		id := string(rune('a' + i))
		ev := event("e-"+id, "created", id, 1)
		ev.At = ts(time.Duration(i) * time.Hour)
		if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile(id), Event: ev}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		pos  int64
	}{{"fast", 6}, {"slow", 3}} {
		if _, err := cs.ClaimConsumer(h.ctx, tn, c.name, "r", base, base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := cs.AdvanceConsumer(h.ctx, tn, c.name, "r", c.pos, base.Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Older than 2h: positions 1 and 2 (at 0h, 1h); the slow consumer
	// holds back nothing of those.
	n, err := cs.PruneFeed(h.ctx, tn, base.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneFeed(2h) = %d, %v; want 2", n, err)
	}
	// Everything is old enough now; the slow consumer keeps 4 to 6.
	if n, err = cs.PruneFeed(h.ctx, tn, base.Add(48*time.Hour)); err != nil || n != 1 {
		t.Fatalf("PruneFeed(48h) = %d, %v; want 1 (position 3)", n, err)
	}
	evs := h.changes(t, tn, 0)
	if len(evs) != 3 || evs[0].Position != 4 {
		t.Fatalf("after pruning: %d events from %v", len(evs), evs)
	}
	p := newProfile("g")
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p, Event: event("e-g", "created", "g", 1)}, nil); err != nil {
		t.Fatal(err)
	}
	if evs := h.changes(t, tn, 6); len(evs) != 1 || evs[0].Position != 7 {
		t.Errorf("the event after pruning: %+v; want position 7", evs)
	}
	if n, err := cs.PruneFeed(h.ctx, h.tenant(t), base.Add(48*time.Hour)); err != nil || n != 0 {
		t.Errorf("pruning an empty tenant: %d, %v", n, err)
	}
}

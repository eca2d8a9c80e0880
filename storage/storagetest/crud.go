package storagetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

func testProfileCRUD(t *testing.T, h *harness) {
	tn := h.tenant(t)
	want := newProfile("p1")
	h.create(t, tn, want)

	got := h.get(t, tn, "p1")
	if d := cmp.Diff(want, got, profileOpts); d != "" {
		t.Errorf("GetProfile after create (-want +got):\n%s", d)
	}
	wantErr(t, "second create", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("p1")}, nil), storage.ErrExists)
	_, err := h.s.GetProfile(h.ctx, tn, "missing")
	wantErr(t, "get missing", err, storage.ErrNotFound)

	e := bump(got, "p1-v2", "operator", ts(time.Hour))
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: got}, e); err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	if d := cmp.Diff(got, h.get(t, tn, "p1"), profileOpts); d != "" {
		t.Errorf("GetProfile after update (-want +got):\n%s", d)
	}
	entries := h.entries(t, tn, "p1")
	wantIDs := []string{"p1-created", "p1-v2"}
	var gotIDs []string
	for _, e := range entries {
		gotIDs = append(gotIDs, e.ID)
	}
	if d := cmp.Diff(wantIDs, gotIDs); d != "" {
		t.Fatalf("history ids (-want +got):\n%s", d)
	}
	if entries[1].CreatedBy != "operator" || entries[1].Version != 1 || entries[1].OrigID != "p1" || entries[1].Reason != e.Reason || entries[1].Config != e.Config {
		t.Errorf("stored entry = %+v, want who/version/orig_id/reason/config of %+v", entries[1], e)
	}
	// A profile created without a creation entry has an empty history.
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("p2")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := h.entries(t, tn, "p2"); len(got) != 0 {
		t.Errorf("history of p2 = %d entries, want 0", len(got))
	}
	_, err = h.s.History(h.ctx, tn, "missing", storage.HistoryQuery{})
	wantErr(t, "history of missing", err, storage.ErrNotFound)
}

func testCopies(t *testing.T, h *harness) {
	tn := h.tenant(t)
	in := newProfile("p1")
	want := newProfile("p1")
	h.create(t, tn, in)
	in.Labels[0] = "changed-in"
	in.Metadata["big"] = "changed-in"
	in.NaturalPerson.Name.First = "Changed"

	out := h.get(t, tn, "p1")
	out.Labels[0] = "changed-out"
	out.Metadata["nested"].(map[string]any)["a"] = nil
	out.DeclaredIncome = nil

	if d := cmp.Diff(want, h.get(t, tn, "p1"), profileOpts); d != "" {
		t.Errorf("stored profile changed through a caller's value (-want +got):\n%s", d)
	}
}

func testUpdateContract(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	stale := h.get(t, tn, "p1")
	fresh := h.get(t, tn, "p1")
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: fresh}, bump(fresh, "e2", "a", ts(time.Minute))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		build func() (p *historyProfile)
		want  error
	}{
		{"stale version", func() *historyProfile {
			p := clone(t, stale)
			return &historyProfile{p, bump(p, "e-stale", "b", ts(2*time.Minute))}
		}, storage.ErrConflict},
		{"version from the future", func() *historyProfile {
			p := h.get(t, tn, "p1")
			p.Version += 5
			return &historyProfile{p, bump(p, "e-future", "b", ts(2*time.Minute))}
		}, storage.ErrConflict},
		{"missing profile", func() *historyProfile {
			p := newProfile("nobody")
			return &historyProfile{p, bump(p, "e-nobody", "b", ts(2*time.Minute))}
		}, storage.ErrNotFound},
		{"entry version not profile version minus one", func() *historyProfile {
			p := h.get(t, tn, "p1")
			e := bump(p, "e-gap", "b", ts(2*time.Minute))
			p.Version++
			return &historyProfile{p, e}
		}, storage.ErrInvalid},
		{"entry of another profile", func() *historyProfile {
			p := h.get(t, tn, "p1")
			e := bump(p, "e-other", "b", ts(2*time.Minute))
			e.OrigID = "p9"
			return &historyProfile{p, e}
		}, storage.ErrInvalid},
		{"empty entry id", func() *historyProfile {
			p := h.get(t, tn, "p1")
			return &historyProfile{p, bump(p, "", "b", ts(2*time.Minute))}
		}, storage.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hp := tc.build()
			wantErr(t, "UpdateProfile", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: hp.p}, hp.e), tc.want)
			if got := h.get(t, tn, "p1").Version; got != 2 {
				t.Errorf("stored version = %d after a refused update, want 2", got)
			}
			if got := len(h.entries(t, tn, "p1")); got != 2 {
				t.Errorf("history has %d entries after a refused update, want 2", got)
			}
		})
	}
}

type historyProfile struct {
	p *profile.Profile
	e history.Entry
}

func testComments(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	h.create(t, tn, newProfile("p2"))
	c2 := storage.Comment{ID: "c2", ProfileID: "p1", Author: "bob", Body: "<p>second</p>", CreatedAt: ts(2 * time.Minute)}
	c1 := storage.Comment{ID: "c1", ProfileID: "p1", Author: "alice", Body: "<b>first</b>", CreatedAt: ts(time.Minute)}
	other := storage.Comment{ID: "c3", ProfileID: "p2", Author: "alice", Body: "elsewhere", CreatedAt: ts(0)}
	for _, c := range []storage.Comment{c2, c1, other} {
		if err := h.s.AddComment(h.ctx, tn, &c, nil); err != nil {
			t.Fatalf("AddComment(%s): %v", c.ID, err)
		}
	}
	h.wantComments(t, tn, "p1", []storage.Comment{c1, c2})

	wantErr(t, "duplicate comment", h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c1", ProfileID: "p2", Author: "x", CreatedAt: ts(0)}, nil), storage.ErrExists)
	wantErr(t, "comment on missing profile", h.s.AddComment(h.ctx, tn, &storage.Comment{ID: "c9", ProfileID: "nobody", Author: "x"}, nil), storage.ErrNotFound)

	edit := c1
	edit.Body, edit.ModifiedAt = "<b>edited</b>", ts(time.Hour)
	edit.Author, edit.CreatedAt = "mallory", ts(-time.Hour) // immutable: ignored
	if err := h.s.UpdateComment(h.ctx, tn, &edit, nil); err != nil {
		t.Fatalf("UpdateComment: %v", err)
	}
	c1.Body, c1.ModifiedAt = edit.Body, edit.ModifiedAt
	h.wantComments(t, tn, "p1", []storage.Comment{c1, c2})

	moved := c2
	moved.ProfileID = "p2"
	wantErr(t, "update through the wrong profile", h.s.UpdateComment(h.ctx, tn, &moved, nil), storage.ErrNotFound)
	wantErr(t, "update missing", h.s.UpdateComment(h.ctx, tn, &storage.Comment{ID: "c9", ProfileID: "p1"}, nil), storage.ErrNotFound)
	wantErr(t, "delete through the wrong profile", h.s.DeleteComment(h.ctx, tn, "p2", "c1", nil), storage.ErrNotFound)

	if err := h.s.DeleteComment(h.ctx, tn, "p1", "c1", nil); err != nil {
		t.Fatalf("DeleteComment: %v", err)
	}
	wantErr(t, "delete twice", h.s.DeleteComment(h.ctx, tn, "p1", "c1", nil), storage.ErrNotFound)
	h.wantComments(t, tn, "p1", []storage.Comment{c2})
	h.wantComments(t, tn, "p2", []storage.Comment{other})
	_, err := h.s.ListComments(h.ctx, tn, "nobody")
	wantErr(t, "list on missing profile", err, storage.ErrNotFound)
}

func (h *harness) wantComments(t *testing.T, tn, profileID string, want []storage.Comment) {
	t.Helper()
	got, err := h.s.ListComments(h.ctx, tn, profileID)
	if err != nil {
		t.Fatalf("ListComments(%s): %v", profileID, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ListComments(%s) (-want +got):\n%s", profileID, d)
	}
}

// testTenantIsolation tries every method of one tenant on another tenant's
// records: each must behave as if they did not exist, and change nothing.
func testTenantIsolation(t *testing.T, h *harness) {
	a, b := h.tenant(t), h.tenant(t)
	h.create(t, a, newProfile("p1"))
	c := storage.Comment{ID: "c1", ProfileID: "p1", Author: "alice", Body: "note", CreatedAt: ts(0)}
	if err := h.s.AddComment(h.ctx, a, &c, nil); err != nil {
		t.Fatal(err)
	}
	before := h.get(t, a, "p1")

	_, err := h.s.GetProfile(h.ctx, b, "p1")
	wantErr(t, "GetProfile", err, storage.ErrNotFound)
	p := clone(t, before)
	wantErr(t, "UpdateProfile", h.s.UpdateProfile(h.ctx, b, storage.Record{Profile: p}, bump(p, "x1", "eve", ts(time.Hour))), storage.ErrNotFound)
	wantErr(t, "DeleteProfile", h.s.DeleteProfile(h.ctx, b, "p1", storage.DeleteOptions{Force: true}), storage.ErrNotFound)
	_, err = h.s.History(h.ctx, b, "p1", storage.HistoryQuery{})
	wantErr(t, "History", err, storage.ErrNotFound)
	wantErr(t, "AddComment", h.s.AddComment(h.ctx, b, &storage.Comment{ID: "c2", ProfileID: "p1", Author: "eve"}, nil), storage.ErrNotFound)
	wantErr(t, "UpdateComment", h.s.UpdateComment(h.ctx, b, &storage.Comment{ID: "c1", ProfileID: "p1", Body: "defaced"}, nil), storage.ErrNotFound)
	wantErr(t, "DeleteComment", h.s.DeleteComment(h.ctx, b, "p1", "c1", nil), storage.ErrNotFound)
	_, err = h.s.ListComments(h.ctx, b, "p1")
	wantErr(t, "ListComments", err, storage.ErrNotFound)
	pg, err := h.s.ListProfiles(h.ctx, b, storage.Query{})
	if err != nil || len(pg.Profiles) != 0 || pg.TotalElements != 0 {
		t.Errorf("ListProfiles of another tenant = %v, %v; want an empty page", pg, err)
	}

	// The same ids are free in the other tenant, entry ids included.
	h.create(t, b, newProfile("p1"))
	if err := h.s.AddComment(h.ctx, b, &storage.Comment{ID: "c1", ProfileID: "p1", Author: "bob", Body: "mine"}, nil); err != nil {
		t.Errorf("AddComment with an id another tenant uses: %v", err)
	}
	pb := h.get(t, b, "p1")
	if err := h.s.UpdateProfile(h.ctx, b, storage.Record{Profile: pb}, bump(pb, "shared-entry", "bob", ts(time.Hour))); err != nil {
		t.Fatal(err)
	}
	pa := h.get(t, a, "p1")
	if err := h.s.UpdateProfile(h.ctx, a, storage.Record{Profile: pa}, bump(pa, "shared-entry", "alice", ts(time.Hour))); err != nil {
		t.Errorf("UpdateProfile with an entry id another tenant uses: %v", err)
	}
	h.forceDelete(t, b, "p1")

	if got := h.get(t, a, "p1"); got.Version != 2 || got.ModifiedBy != "alice" {
		t.Errorf("tenant a's profile = version %d by %q, want version 2 by alice", got.Version, got.ModifiedBy)
	}
	h.wantComments(t, a, "p1", []storage.Comment{c})
	if n := len(h.entries(t, a, "p1")); n != 2 {
		t.Errorf("tenant a's history has %d entries, want 2", n)
	}
}

// testAtomicity makes the history write fail after the profile write was
// accepted (a duplicate entry id): neither may change.
func testAtomicity(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	want := h.get(t, tn, "p1")

	p := clone(t, want)
	e := bump(p, "p1-created", "mallory", ts(time.Hour)) // the creation entry's id
	wantErr(t, "update with a duplicate entry id", h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e), storage.ErrExists)
	if d := cmp.Diff(want, h.get(t, tn, "p1"), profileOpts); d != "" {
		t.Errorf("profile changed by a failed update (-want +got):\n%s", d)
	}
	if n := len(h.entries(t, tn, "p1")); n != 1 {
		t.Errorf("history has %d entries after a failed update, want 1", n)
	}

	// A create whose entry fails stores no profile either.
	p2 := newProfile("p2")
	wantErr(t, "create with a duplicate entry id", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p2}, creationEntry(p2, "p1-created")), storage.ErrExists)
	_, err := h.s.GetProfile(h.ctx, tn, "p2")
	wantErr(t, "get after a failed create", err, storage.ErrNotFound)
	h.create(t, tn, p2) // and the id is still free
}

func testCancellation(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	want := h.get(t, tn, "p1")
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()

	p := clone(t, want)
	e := bump(p, "e2", "x", ts(time.Hour))
	np := newProfile("p2")
	c := storage.Comment{ID: "c1", ProfileID: "p1", Author: "x"}
	calls := []struct {
		name string
		call func() error
	}{
		{"CreateProfile", func() error { return h.s.CreateProfile(ctx, tn, storage.Record{Profile: np}, creationEntry(np, "e1")) }},
		{"UpdateProfile", func() error { return h.s.UpdateProfile(ctx, tn, storage.Record{Profile: p}, e) }},
		{"DeleteProfile", func() error { return h.s.DeleteProfile(ctx, tn, "p1", storage.DeleteOptions{Force: true}) }},
		{"GetProfile", func() error { _, err := h.s.GetProfile(ctx, tn, "p1"); return err }},
		{"ListProfiles", func() error { _, err := h.s.ListProfiles(ctx, tn, storage.Query{}); return err }},
		{"History", func() error { _, err := h.s.History(ctx, tn, "p1", storage.HistoryQuery{}); return err }},
		{"AddComment", func() error { return h.s.AddComment(ctx, tn, &c, nil) }},
		{"UpdateComment", func() error { return h.s.UpdateComment(ctx, tn, &c, nil) }},
		{"DeleteComment", func() error { return h.s.DeleteComment(ctx, tn, "p1", "c1", nil) }},
		{"ListComments", func() error { _, err := h.s.ListComments(ctx, tn, "p1"); return err }},
	}
	for _, tc := range calls {
		wantErr(t, tc.name+" with a cancelled context", tc.call(), context.Canceled)
	}
	if d := cmp.Diff(want, h.get(t, tn, "p1"), profileOpts); d != "" {
		t.Errorf("profile changed by cancelled calls (-want +got):\n%s", d)
	}
	_, err := h.s.GetProfile(h.ctx, tn, "p2")
	wantErr(t, "profile of a cancelled create", err, storage.ErrNotFound)
	h.wantComments(t, tn, "p1", []storage.Comment{})
	if n := len(h.entries(t, tn, "p1")); n != 1 {
		t.Errorf("history has %d entries after cancelled calls, want 1", n)
	}
}

func testClose(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	if err := h.s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	*h.closed = true
	_, err := h.s.GetProfile(h.ctx, tn, "p1")
	wantErr(t, "GetProfile after Close", err, storage.ErrClosed)
	wantErr(t, "CreateProfile after Close", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("p2")}, nil), storage.ErrClosed)
	if g, ok := h.s.(storage.JSONGetter); ok {
		_, _, err := g.GetJSON(h.ctx, tn, "p1")
		wantErr(t, "GetJSON after Close", err, storage.ErrClosed)
	}
}

package storagetest

import (
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
)

// testDeletionEntry checks DeleteOptions.Entry: the deletion itself is
// appended to the redacted history in the same step, with no changes, who,
// when and why; a deletion entry without an id, or whose id is taken,
// deletes nothing.
func testDeletionEntry(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("gone")
	h.create(t, tn, p)
	e := bump(p, "gone-e2", "officer", p.CreatedAt+1)
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e); err != nil {
		t.Fatal(err)
	}

	bad := storage.DeleteOptions{Force: true, Entry: &history.Entry{CreatedBy: "officer", Reason: "erasure"}}
	wantErr(t, "deletion entry without id", h.s.DeleteProfile(h.ctx, tn, p.ID, bad), storage.ErrInvalid)
	taken := storage.DeleteOptions{Force: true, Entry: &history.Entry{ID: "gone-e2", CreatedBy: "officer", Reason: "erasure"}}
	wantErr(t, "deletion entry with a taken id", h.s.DeleteProfile(h.ctx, tn, p.ID, taken), storage.ErrExists)
	h.get(t, tn, p.ID) // still there
	before := h.entries(t, tn, p.ID)

	opts := storage.DeleteOptions{Force: true, Entry: &history.Entry{
		ID: "gone-del", OrigID: "ignored", Version: 99, CreatedAt: int64(p.CreatedAt) + 2, CreatedBy: "officer", Reason: "forced delete: erasure request",
		Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"name"}, Old: "x", New: "y"}},
	}}
	if err := h.s.DeleteProfile(h.ctx, tn, p.ID, opts); err != nil {
		t.Fatalf("DeleteProfile: %v", err)
	}
	after := h.entries(t, tn, p.ID)
	if len(after) != len(before)+1 {
		t.Fatalf("history has %d entries, want %d with the deletion", len(after), len(before)+1)
	}
	h.wantDeleted(t, tn, p.ID, after)
	for i, b := range before {
		if a := after[i]; a.ID != b.ID || a.Version != b.Version || len(a.Changes) != len(b.Changes) {
			t.Errorf("entry %d changed by the deletion: %+v, was %+v", i, a, b)
		}
	}
	got := after[len(after)-1]
	if got.ID != "gone-del" || got.OrigID != p.ID || got.Version != p.Version || got.CreatedBy != "officer" ||
		got.CreatedAt != int64(p.CreatedAt)+2 || got.Reason != "forced delete: erasure request" || len(got.Changes) != 0 {
		t.Errorf("deletion entry = %+v", got)
	}
}

package storagetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testRetention checks the retention rule of storage.DeleteOptions and what
// a deletion leaves behind: no profile, no comments, and a history whose
// entries keep who, when, version and paths but no personal value.
func testRetention(t *testing.T, h *harness) {
	tn := h.tenant(t)
	ended := base.Add(time.Hour)
	for _, id := range []string{"active", "closed", "forced", "custom"} {
		p := newProfile(id)
		h.create(t, tn, p)
		if err := h.s.AddComment(h.ctx, tn, &storage.Comment{ID: id + "-c", ProfileID: id, Author: "a", Body: "Núñez called"}, nil); err != nil {
			t.Fatal(err)
		}
		e := bump(p, id+"-e2", "officer", profile.TimestampOf(ended))
		e.Changes = append(e.Changes,
			history.Change{Op: history.OpChange, Path: history.Path{"name"}, Old: p.Name, New: "Ana María Núñez de Pérez"},
			history.Change{Op: history.OpAdd, Path: history.Path{"metadata"}, Items: []history.Item{{Key: "passport", Value: "AB123456"}}})
		p.Name = "Ana María Núñez de Pérez"
		if id != "active" && id != "forced" {
			p.State = "inactive"
		}
		if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e); err != nil {
			t.Fatal(err)
		}
	}
	until := ended.AddDate(storage.DefaultRetentionYears, 0, 0)

	refusals := []struct {
		name      string
		id        string
		opts      storage.DeleteOptions
		wantUntil time.Time
	}{
		{"relationship not ended", "active", storage.DeleteOptions{EndStates: endStates(), Now: base.AddDate(50, 0, 0)}, time.Time{}},
		{"within five years of the end", "closed", storage.DeleteOptions{EndStates: endStates(), Now: until.Add(-time.Millisecond)}, until},
		{"custom period", "custom", storage.DeleteOptions{EndStates: endStates(), Now: ended.Add(time.Hour), Retention: 48 * time.Hour}, ended.Add(48 * time.Hour)},
		{"explicit end", "active", storage.DeleteOptions{EndStates: endStates(), Now: base.AddDate(1, 0, 0), RelationshipEndedAt: base}, base.AddDate(5, 0, 0)},
		{"custom end states", "closed", storage.DeleteOptions{Now: base.AddDate(50, 0, 0), EndStates: []string{"archived"}}, time.Time{}},
		{"no end states", "closed", storage.DeleteOptions{Now: base.AddDate(50, 0, 0)}, time.Time{}},
	}
	for _, tc := range refusals {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			err := h.s.DeleteProfile(h.ctx, tn, tc.id, tc.opts)
			var re *storage.RetentionError
			if !errors.As(err, &re) || !errors.Is(err, storage.ErrRetention) {
				t.Fatalf("DeleteProfile = %v, want a *storage.RetentionError", err)
			}
			if !re.Until.Equal(tc.wantUntil) || re.ProfileID != tc.id {
				t.Errorf("RetentionError = %s until %v, want %s until %v", re.ProfileID, re.Until, tc.id, tc.wantUntil)
			}
			h.get(t, tn, tc.id) // still there
		})
	}

	deletions := []struct {
		id   string
		opts storage.DeleteOptions
	}{
		{"closed", storage.DeleteOptions{EndStates: endStates(), Now: until}},
		{"custom", storage.DeleteOptions{EndStates: endStates(), Now: ended.Add(48 * time.Hour), Retention: 48 * time.Hour}},
		{"forced", storage.DeleteOptions{Force: true}},
	}
	for _, tc := range deletions {
		t.Run("deleted: "+tc.id, func(t *testing.T) {
			before := h.entries(t, tn, tc.id)
			if err := h.s.DeleteProfile(h.ctx, tn, tc.id, tc.opts); err != nil {
				t.Fatalf("DeleteProfile: %v", err)
			}
			h.wantDeleted(t, tn, tc.id, before)
		})
	}
	wantErr(t, "delete twice", h.s.DeleteProfile(h.ctx, tn, "closed", storage.DeleteOptions{Force: true}), storage.ErrNotFound)
	wantErr(t, "reuse a deleted id", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("closed")}, nil), storage.ErrExists)
	pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"active"}, ids(pg.Profiles)); d != "" {
		t.Errorf("profiles left (-want +got):\n%s", d)
	}
}

// endStates are the states the suite's profiles end their relationship
// in: those of seed 003's default workflow, which a store learns from its
// caller (kyc.DefaultEndStates), never on its own.
func endStates() []string { return []string{"inactive", "banned"} }

// wantDeleted checks what a deletion leaves: nothing but the redacted
// history.
func (h *harness) wantDeleted(t *testing.T, tn, id string, before []history.Entry) {
	t.Helper()
	_, err := h.s.GetProfile(h.ctx, tn, id)
	wantErr(t, "get deleted", err, storage.ErrNotFound)
	_, err = h.s.ListComments(h.ctx, tn, id)
	wantErr(t, "comments of deleted", err, storage.ErrNotFound)
	wantErr(t, "comment on deleted", h.s.AddComment(h.ctx, tn, &storage.Comment{ID: id + "-c2", ProfileID: id}, nil), storage.ErrNotFound)

	after := h.entries(t, tn, id)
	if len(after) != len(before) {
		t.Fatalf("history has %d entries after deletion, want %d", len(after), len(before))
	}
	for i := range after {
		b, a := before[i], after[i]
		if a.ID != b.ID || a.OrigID != b.OrigID || a.CreatedAt != b.CreatedAt || a.CreatedBy != b.CreatedBy || a.Version != b.Version {
			t.Errorf("entry %d: who, when or version changed: %+v, want those of %+v", i, a, b)
		}
		if d := cmp.Diff(paths(b.Changes), paths(a.Changes)); d != "" {
			t.Errorf("entry %d: paths (-want +got):\n%s", i, d)
		}
		text, _ := json.Marshal(a)
		if w := containsAny(string(text), []string{"Núñez", "Pérez", "AB123456", "routine review"}); w != "" {
			t.Errorf("entry %d keeps the personal value %q after deletion: %s", i, w, text)
		}
	}
}

// paths lists each change's operation, path and added or removed keys.
func paths(cs history.Changes) []string {
	var out []string
	for _, c := range cs {
		s := string(c.Op) + " " + jsonText(c.Path)
		for _, it := range c.Items {
			s += " " + jsonText(it.Key)
		}
		out = append(out, s)
	}
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

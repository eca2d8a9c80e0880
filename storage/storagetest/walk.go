package storagetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// walkAll walks tn in batches of size and returns the ids in the order
// returned, failing on an error, a batch out of order or progress that
// does not add up.
func walkAll(t *testing.T, h *harness, tn string, size int, between func()) []string {
	t.Helper()
	var (
		out    []string
		w      = storage.Walk{Size: size}
		batch  int
		total0 = -1
	)
	for {
		pg, err := h.s.WalkProfiles(h.ctx, tn, w)
		if err != nil {
			t.Fatalf("WalkProfiles (batch %d): %v", batch, err)
		}
		if len(pg.Records) > cmp.Or(size, storage.DefaultPageSize) {
			t.Fatalf("batch %d has %d profiles, size %d", batch, len(pg.Records), size)
		}
		for _, r := range pg.Records {
			if n := len(out); n > 0 && r.Profile.ID <= out[n-1] {
				t.Fatalf("walk went from %s to %s: not in id order", out[n-1], r.Profile.ID)
			}
			out = append(out, r.Profile.ID)
		}
		if pg.Walked != len(out) {
			t.Fatalf("batch %d: Walked = %d, %d returned so far", batch, pg.Walked, len(out))
		}
		if total0 < 0 {
			total0 = pg.Total
		} else if pg.Total != total0 {
			t.Fatalf("batch %d: Total = %d, the first batch said %d", batch, pg.Total, total0)
		}
		if pg.NextCursor == "" {
			return out
		}
		if len(pg.Records) == 0 {
			t.Fatalf("batch %d is empty but has a next cursor", batch)
		}
		w.Cursor = pg.NextCursor
		batch++
		if between != nil {
			between()
		}
	}
}

// testWalk checks WalkProfiles: every profile of the tenant once, in id
// order, in batches of the size asked, with its due work; progress
// counts; no other tenant's profile; bad sizes and foreign, tampered or
// list cursors refused; cursors that reveal nothing.
func testWalk(t *testing.T, h *harness) {
	tn, other, empty := h.tenant(t), h.tenant(t), h.tenant(t)
	const n = 23
	dueFixture(t, h, tn, n)
	dueFixture(t, h, other, 4)
	var want []string
	for i := range n {
		want = append(want, pid(i))
	}
	for _, size := range []int{1, 5, n, n + 1, 0} {
		got := walkAll(t, h, tn, size, nil)
		if !slices.Equal(got, want) {
			t.Errorf("walk by %d = %v, want %v", size, got, want)
		}
	}

	pg, err := h.s.WalkProfiles(h.ctx, tn, storage.Walk{Size: 10})
	if err != nil || len(pg.Records) != 10 || pg.Total != n || pg.Walked != 10 || pg.NextCursor == "" {
		t.Fatalf("first batch of 10: %d records, total %d, walked %d, %v", len(pg.Records), pg.Total, pg.Walked, err)
	}
	for i, r := range pg.Records {
		if r.Due != dueAt(i) || (r.Due != 0 && string(r.DueReasons) != string(dueReasons(i))) {
			t.Errorf("%s walked with due %d %q, want %d %q", r.Profile.ID, r.Due, r.DueReasons, dueAt(i), dueReasons(i))
		}
		if r.Profile.Name != newProfile(pid(i)).Name {
			t.Errorf("%s walked without its profile", r.Profile.ID)
		}
	}
	cursor := pg.NextCursor
	if w := revealed(cursor, []string{pid(9), "ana maría", "núñez", "nunez", "30405060"}); w != "" {
		t.Errorf("walk cursor %q reveals %q", cursor, w)
	}

	if pg, err := h.s.WalkProfiles(h.ctx, empty, storage.Walk{}); err != nil || len(pg.Records) != 0 || pg.Total != 0 || pg.NextCursor != "" {
		t.Errorf("walk of an empty tenant = %+v, %v", pg, err)
	}
	if got := walkAll(t, h, other, 2, nil); len(got) != 4 {
		t.Errorf("walk of the other tenant = %v, want its 4 profiles", got)
	}

	list, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Sort: storage.SortCreatedAsc, Size: 1})
	if err != nil || list.NextCursor == "" {
		t.Fatalf("list: %v", err)
	}
	tampered := []byte(cursor)
	tampered[len(tampered)/2] ^= 1
	bad := map[string]struct {
		tenant string
		w      storage.Walk
		field  string
	}{
		"size negative":        {tn, storage.Walk{Size: -1}, "Size"},
		"size over the limit":  {tn, storage.Walk{Size: storage.MaxPageSize + 1}, "Size"},
		"another tenant":       {other, storage.Walk{Cursor: cursor}, "Cursor"},
		"a tampered cursor":    {tn, storage.Walk{Cursor: string(tampered)}, "Cursor"},
		"a list cursor":        {tn, storage.Walk{Cursor: list.NextCursor}, "Cursor"},
		"not a cursor":         {tn, storage.Walk{Cursor: pid(9)}, "Cursor"},
		"an empty tenant name": {"", storage.Walk{}, ""},
	}
	for name, tc := range bad {
		pg, err := h.s.WalkProfiles(h.ctx, tc.tenant, tc.w)
		var qe *storage.QueryError
		switch {
		case err == nil:
			t.Errorf("%s: walk = %d profiles, want an error", name, len(pg.Records))
		case !errors.Is(err, storage.ErrInvalid):
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		case tc.field != "" && (!errors.As(err, &qe) || qe.Field != tc.field):
			t.Errorf("%s: %v, want a QueryError for %s", name, err, tc.field)
		}
	}
	if _, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Cursor: cursor}); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("a walk cursor given to ListProfiles: %v, want ErrInvalid", err)
	}

	// SetDue naming one profile twice keeps the last and counts it once.
	p := h.get(t, tn, pid(2))
	applied, err := h.s.SetDue(h.ctx, tn, []storage.DueUpdate{
		{ID: p.ID, Version: p.Version, Due: ts(-time.Hour), Reasons: []byte(`["first"]`)},
		{ID: p.ID, Version: p.Version, Due: ts(-2 * time.Hour), Reasons: []byte("last \xff\x00")},
	})
	if err != nil || applied != 1 {
		t.Errorf("SetDue naming a profile twice = %d, %v; want 1", applied, err)
	}
	if r, err := h.s.GetRecord(h.ctx, tn, p.ID); err != nil || r.Due != ts(-2*time.Hour) || string(r.DueReasons) != "last \xff\x00" {
		t.Errorf("after SetDue twice: due %d, reasons %q, %v; want the last, bytes as given", r.Due, r.DueReasons, err)
	}
}

// testWalkWhileWriting walks a tenant in small batches while another
// goroutine creates profiles and updates existing ones (each write a
// new version): every profile there before the walk is returned exactly
// once, and none twice.
func testWalkWhileWriting(t *testing.T, h *harness) {
	tn := h.tenant(t)
	n := 200 / raceScale
	dueFixture(t, h, tn, n)
	w := startWriter(20*n, walkedWrite(h, tn, n))
	got := walkAll(t, h, tn, 7, w.next)
	writes, err := w.finish()
	if err != nil {
		t.Fatalf("writer: %v", err)
	}
	if writes == 0 {
		t.Fatal("no write happened during the walk")
	}
	var want []string
	for i := range n {
		want = append(want, pid(i))
	}
	wantOnce(t, got, want)
}

// walkedWrite returns the i-th write of testWalkWhileWriting: it creates
// a profile whose id falls before or among the walked ones and updates an
// existing profile.
func walkedWrite(h *harness, tn string, n int) func(i int) error {
	prefixes := []string{"a", "p0"}
	return func(i int) error {
		p := newProfile(fmt.Sprintf("%s%05dnew", prefixes[i%len(prefixes)], i))
		if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, nil); err != nil {
			return err
		}
		old, err := h.s.GetProfile(h.ctx, tn, pid((i*7)%n))
		if err != nil {
			return err
		}
		e := bump(old, fmt.Sprintf("walk-upd%05d", i), "writer", ts(time.Duration(i)*time.Second))
		return h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: old, Due: profile.Timestamp(0)}, e)
	}
}

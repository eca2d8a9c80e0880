package storagetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// dueAt is the due moment of fixture i of dueFixture: every fifth profile
// has nothing due, the others fall due one day apart, in an order that is
// not the order of their ids, with ties.
func dueAt(i int) profile.Timestamp {
	if i%5 == 0 {
		return 0
	}
	return ts(time.Duration(i*7%23) * 24 * time.Hour)
}

func dueReasons(i int) []byte { return []byte(fmt.Sprintf(`[{"kind":"periodic_review","n":%d}]`, i)) }

// dueFixture creates n profiles with the due work of dueAt.
func dueFixture(t *testing.T, h *harness, tn string, n int) {
	t.Helper()
	for i := range n {
		r := storage.Record{Profile: newProfile(pid(i)), Due: dueAt(i)}
		if r.Due != 0 {
			r.DueReasons = dueReasons(i)
		}
		if err := h.s.CreateProfile(h.ctx, tn, r, nil); err != nil {
			t.Fatalf("CreateProfile(%s): %v", pid(i), err)
		}
	}
}

// wantDue lists the fixture profiles due by `by`, oldest due first, then by
// id: what a due list must return.
func wantDue(n int, by profile.Timestamp) []string {
	var out []string
	for day := range 23 {
		at := ts(time.Duration(day) * 24 * time.Hour)
		if at > by {
			break
		}
		for i := range n {
			if dueAt(i) == at {
				out = append(out, pid(i))
			}
		}
	}
	return out
}

// testDue checks the due work a store keeps with a profile: returned by
// GetRecord and with every listed profile, selected by Query.DueBy,
// ordered by SortDue (nothing due last) through cursor and number pages,
// per tenant, moved by an update and gone with a delete.
func testDue(t *testing.T, h *harness) {
	tn, other := h.tenant(t), h.tenant(t)
	const n = 60
	dueFixture(t, h, tn, n)
	dueFixture(t, h, other, 3)

	r, err := h.s.GetRecord(h.ctx, tn, pid(3))
	if err != nil || r.Due != dueAt(3) || string(r.DueReasons) != string(dueReasons(3)) {
		t.Errorf("GetRecord = due %d, reasons %q, %v; want %d, %q", r.Due, r.DueReasons, err, dueAt(3), dueReasons(3))
	}
	if r, err := h.s.GetRecord(h.ctx, tn, pid(5)); err != nil || r.Due != 0 || len(r.DueReasons) != 0 {
		t.Errorf("GetRecord of a profile with nothing due = due %d, reasons %q, %v", r.Due, r.DueReasons, err)
	}

	by := ts(10 * 24 * time.Hour)
	want := wantDue(n, by)
	q := storage.Query{DueBy: by, Sort: storage.SortDue, Size: 7}
	if d := cmp.Diff(want, walkByNumber(t, h, tn, q, len(want))); d != "" {
		t.Errorf("due by day 10, by number (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, walkByCursor(t, h, tn, q, len(want))); d != "" {
		t.Errorf("due by day 10, by cursor (-want +got):\n%s", d)
	}
	all := walkByCursor(t, h, tn, storage.Query{Sort: storage.SortDue, Size: 11}, n)
	if d := cmp.Diff(wantDue(n, ts(30*24*time.Hour)), all[:len(all)-n/5]); d != "" {
		t.Errorf("sort by due without a filter (-want +got):\n%s", d)
	}
	for _, id := range all[len(all)-n/5:] {
		if r, _ := h.s.GetRecord(h.ctx, tn, id); r.Due != 0 {
			t.Errorf("profile %s (due %d) listed after those with nothing due", id, r.Due)
		}
	}

	pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 3})
	if err == nil && len(pg.Due) != len(pg.Profiles) {
		t.Fatalf("page of %d profiles has %d due works", len(pg.Profiles), len(pg.Due))
	}
	if err != nil {
		t.Fatal(err)
	}
	var gotDue []storage.Due
	for _, p := range pg.Profiles {
		i := 0
		fmt.Sscanf(p.ID, "p%04d", &i)
		gotDue = append(gotDue, storage.Due{ID: p.ID, At: dueAt(i), Reasons: dueReasons(i)})
	}
	if d := cmp.Diff(gotDue, pg.Due); d != "" {
		t.Errorf("Page.Due (-want +got):\n%s", d)
	}
	only, err := h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 3, OnlyDue: true})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(gotDue, only.Due); d != "" || len(only.Profiles) != 0 || only.NextCursor == "" {
		t.Errorf("OnlyDue page: %d profiles, next cursor %q, due work (-want +got):\n%s", len(only.Profiles), only.NextCursor, d)
	}
	next, err := h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 3, OnlyDue: true, Cursor: only.NextCursor})
	if err != nil || len(next.Due) != 3 || next.Due[0].ID != want[3] {
		t.Errorf("OnlyDue second page = %+v, %v; want it to start at %s", next, err, want[3])
	}

	if pg, err := h.s.ListProfiles(h.ctx, other, storage.Query{DueBy: by, Sort: storage.SortDue}); err != nil || len(pg.Profiles) != len(wantDue(3, by)) {
		t.Errorf("other tenant's due list = %v, %v; want %v", ids(pageProfiles(pg)), err, wantDue(3, by))
	}

	// A due moment that moves later drops the profile out of the filter;
	// one that moves earlier brings it in.
	first := want[0]
	p := h.get(t, tn, first)
	e := bump(p, "later", "admin", ts(time.Hour))
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Due: ts(400 * 24 * time.Hour), DueReasons: []byte(`[]`)}, e); err != nil {
		t.Fatal(err)
	}
	pg, err = h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 1})
	if err != nil || len(pg.Profiles) != 1 || pg.Profiles[0].ID != want[1] || pg.TotalElements != len(want)-1 {
		t.Errorf("after moving %s later, due list starts %v of %d, %v; want %s of %d", first, ids(pageProfiles(pg)), pg.TotalElements, err, want[1], len(want)-1)
	}
	late := pid(5)
	p = h.get(t, tn, late)
	e = bump(p, "earlier", "admin", ts(time.Hour))
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p, Due: ts(-time.Hour)}, e); err != nil {
		t.Fatal(err)
	}
	pg, err = h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 1})
	if err != nil || len(pg.Profiles) != 1 || pg.Profiles[0].ID != late || pg.Due[0].At != ts(-time.Hour) || pg.Due[0].Reasons != nil {
		t.Errorf("after moving %s earlier, first due = %v %+v, %v", late, ids(pageProfiles(pg)), pg.Due, err)
	}

	// SetDue replaces the due work of the versions it names, nothing else,
	// and skips a moved version, a missing profile, another tenant's.
	p = h.get(t, tn, pid(7))
	applied, err := h.s.SetDue(h.ctx, tn, []storage.DueUpdate{
		{ID: p.ID, Version: p.Version, Due: ts(-2 * time.Hour), Reasons: []byte(`["swept"]`)},
		{ID: pid(8), Version: 2, Due: ts(-3 * time.Hour)},
		{ID: "no-such", Version: 1, Due: ts(-3 * time.Hour)},
	})
	if err != nil || applied != 1 {
		t.Fatalf("SetDue = %d, %v; want 1 applied", applied, err)
	}
	r, err = h.s.GetRecord(h.ctx, tn, p.ID)
	if err != nil || r.Due != ts(-2*time.Hour) || string(r.DueReasons) != `["swept"]` || r.Profile.Version != p.Version {
		t.Errorf("after SetDue: due %d, reasons %q, version %d, %v", r.Due, r.DueReasons, r.Profile.Version, err)
	}
	if len(h.entries(t, tn, p.ID)) != 0 {
		t.Error("SetDue wrote a history entry")
	}
	if r, _ := h.s.GetRecord(h.ctx, tn, pid(8)); r.Due != dueAt(8) {
		t.Errorf("SetDue of a moved version changed it: due %d", r.Due)
	}
	if applied, err := h.s.SetDue(h.ctx, other, []storage.DueUpdate{{ID: p.ID, Version: p.Version}}); err != nil || applied != 0 {
		t.Errorf("SetDue in a tenant without the profile = %d, %v; want 0", applied, err)
	}
	pg, err = h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 1, OnlyDue: true})
	if err != nil || len(pg.Due) != 1 || pg.Due[0].ID != p.ID {
		t.Errorf("after SetDue, first due = %+v, %v; want %s", pg.Due, err, p.ID)
	}

	h.forceDelete(t, tn, late)
	pg, err = h.s.ListProfiles(h.ctx, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: storage.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids(pg.Profiles) {
		if id == late || id == first {
			t.Errorf("due list holds %s after its delete or its move", id)
		}
	}
}

// testDueWalkWhileWriting walks the due list by cursor while another
// goroutine creates profiles due anywhere and rewrites existing ones
// keeping their due moment: every profile due before the walk is listed
// exactly once.
func testDueWalkWhileWriting(t *testing.T, h *harness) {
	tn := h.tenant(t)
	n := 200 / raceScale
	dueFixture(t, h, tn, n)
	by := ts(30 * 24 * time.Hour)
	want := wantDue(n, by)

	w := startWriter(20*n, dueWrite(h, tn, n))
	seen := listAll(t, h, tn, storage.Query{DueBy: by, Sort: storage.SortDue, Size: 13}, w.next)
	if _, err := w.finish(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	wantOnce(t, seen, want)
}

// dueWrite returns the i-th write of testDueWalkWhileWriting: it creates
// a profile due anywhere and rewrites one of the n fixture profiles
// keeping its due moment.
func dueWrite(h *harness, tn string, n int) func(i int) error {
	return func(i int) error {
		p := newProfile(fmt.Sprintf("new%05d", i))
		if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p, Due: dueAt(i)}, nil); err != nil {
			return err
		}
		j := i % n
		old, err := h.s.GetProfile(h.ctx, tn, pid(j))
		if err != nil {
			return err
		}
		e := bump(old, fmt.Sprintf("upd%05d", i), "writer", ts(time.Duration(i)*time.Second))
		return h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: old, Due: dueAt(j), DueReasons: dueReasons(j)}, e)
	}
}

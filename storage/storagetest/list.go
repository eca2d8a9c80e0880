package storagetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// listFixture creates four profiles that differ in every filtered field.
func listFixture(t *testing.T, h *harness, tn string) {
	t.Helper()
	type spec struct {
		id, name, tax, ext, state, risk string
		pt                              profile.PersonType
		labels                          []string
		created, modified               time.Duration
	}
	specs := []spec{
		{"f1", "Ana María Núñez", "20-30405060-7", "ext-001", "active", "low", profile.NaturalPerson, []string{"vip"}, 0, time.Hour},
		{"f2", "ÖZEL Holdings", "30-11111111-1", "ERP-77", "active", "high", profile.LegalPerson, []string{"corp"}, time.Hour, 2 * time.Hour},
		{"f3", "John O'Brien", "27-22222222-2", "ext_100%", "banned", "high", profile.NaturalPerson, []string{"vip", "pep"}, 2 * time.Hour, 3 * time.Hour},
		{"f4", "Zoë Smith", "", "", "pending", "medium", profile.NaturalPerson, nil, 3 * time.Hour, 30 * time.Minute},
	}
	for _, s := range specs {
		p := newProfile(s.id)
		p.Name, p.TaxPayerID, p.ExternalRef, p.State, p.Risk = s.name, s.tax, s.ext, s.state, s.risk
		p.PersonType, p.Labels, p.CreatedAt, p.ModifiedAt = s.pt, s.labels, ts(s.created), ts(s.modified)
		if s.pt == profile.LegalPerson {
			p.NaturalPerson, p.LegalPerson = nil, &profile.Legal{Constitution: "sa"}
		}
		h.create(t, tn, p)
	}
}

func testFilters(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	tests := []struct {
		name string
		q    storage.Query
		want []string // in name order
	}{
		{"no filter", storage.Query{}, []string{"f1", "f3", "f2", "f4"}},
		{"one state", storage.Query{States: []string{"active"}}, []string{"f1", "f2"}},
		{"two states", storage.Query{States: []string{"banned", "pending"}}, []string{"f3", "f4"}},
		{"unknown state", storage.Query{States: []string{"archived"}}, nil},
		{"risk", storage.Query{Risks: []string{"high"}}, []string{"f3", "f2"}},
		{"person type", storage.Query{PersonType: profile.LegalPerson}, []string{"f2"}},
		{"label", storage.Query{Label: "vip"}, []string{"f1", "f3"}},
		{"label is matched whole", storage.Query{Label: "vi"}, nil},
		{"created range", storage.Query{CreatedFrom: ts(time.Hour), CreatedUntil: ts(3 * time.Hour)}, []string{"f3", "f2"}},
		{"modified from", storage.Query{ModifiedFrom: ts(2 * time.Hour)}, []string{"f3", "f2"}},
		{"modified until", storage.Query{ModifiedUntil: ts(time.Hour)}, []string{"f4"}},
		{"text without accents finds accents", storage.Query{Text: "ozel"}, []string{"f2"}},
		{"text in capitals", storage.Query{Text: "NUNEZ"}, []string{"f1"}},
		{"text with accents", storage.Query{Text: "Zoë"}, []string{"f4"}},
		{"text on tax payer id", storage.Query{Text: "30-1111"}, []string{"f2"}},
		{"text on external ref", storage.Query{Text: "erp-7"}, []string{"f2"}},
		{"percent is literal", storage.Query{Text: "%"}, []string{"f3"}},
		{"underscore is literal", storage.Query{Text: "t_1"}, []string{"f3"}},
		{"text matches no field boundary", storage.Query{Text: "nunez20"}, nil},
		{"filters combine", storage.Query{Text: "a", States: []string{"active"}, Risks: []string{"low"}}, []string{"f1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Sort = storage.SortNameAsc
			pg, err := h.s.ListProfiles(h.ctx, tn, tc.q)
			if err != nil {
				t.Fatalf("ListProfiles: %v", err)
			}
			if d := cmp.Diff(tc.want, ids(pg.Profiles), profileOpts); d != "" {
				t.Errorf("ids (-want +got):\n%s", d)
			}
			if pg.TotalElements != len(tc.want) {
				t.Errorf("totalElements = %d, want %d", pg.TotalElements, len(tc.want))
			}
		})
	}
}

func testSorts(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	tests := []struct {
		sort storage.Sort
		want []string
	}{
		{"", []string{"f3", "f2", "f1", "f4"}}, // default: most recently modified first
		{storage.SortModifiedDesc, []string{"f3", "f2", "f1", "f4"}},
		{storage.SortModifiedAsc, []string{"f4", "f1", "f2", "f3"}},
		{storage.SortNameAsc, []string{"f1", "f3", "f2", "f4"}},
		{storage.SortNameDesc, []string{"f4", "f2", "f3", "f1"}},
		{storage.SortCreatedAsc, []string{"f1", "f2", "f3", "f4"}},
		{storage.SortCreatedDesc, []string{"f4", "f3", "f2", "f1"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.sort), func(t *testing.T) {
			pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Sort: tc.sort})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, ids(pg.Profiles)); d != "" {
				t.Errorf("order (-want +got):\n%s", d)
			}
		})
	}
}

// createMany creates n profiles whose sort keys collide often, so that the
// id tie breaker matters; even ones are active, odd ones pending.
func createMany(t *testing.T, h *harness, tn, prefix string, n int) {
	t.Helper()
	for i := range n {
		p := newProfile(fmt.Sprintf("%s%04d", prefix, i))
		p.Name = fmt.Sprintf("Person %02d", i%50)
		p.CreatedAt, p.ModifiedAt = ts(time.Duration(i%7)*time.Minute), ts(time.Duration(i%13)*time.Minute)
		p.State = []string{"active", "pending"}[i%2]
		if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, nil); err != nil {
			t.Fatalf("CreateProfile(%s): %v", p.ID, err)
		}
	}
}

// testPaginationWalk lists 1,000 profiles 37 at a time, by page number and
// by cursor, in several orders: every profile exactly once, the same order
// both ways, correct page metadata.
func testPaginationWalk(t *testing.T, h *harness) {
	tn := h.tenant(t)
	const n, size = 1000, 37
	createMany(t, h, tn, "p", n)
	for _, tc := range []struct {
		name  string
		q     storage.Query
		total int
	}{
		{"modified desc", storage.Query{Sort: storage.SortModifiedDesc}, n},
		{"name asc", storage.Query{Sort: storage.SortNameAsc}, n},
		{"created desc, active only", storage.Query{Sort: storage.SortCreatedDesc, States: []string{"active"}}, n / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Size = size
			byNumber := walkByNumber(t, h, tn, tc.q, tc.total)
			byCursor := walkByCursor(t, h, tn, tc.q, tc.total)
			if d := cmp.Diff(byNumber, byCursor); d != "" {
				t.Errorf("cursor walk differs from number walk (-number +cursor):\n%s", d)
			}
			wantEachOnce(t, byNumber, tc.total)
		})
	}
}

func walkByNumber(t *testing.T, h *harness, tn string, q storage.Query, total int) []string {
	t.Helper()
	pages := (total + q.Size - 1) / q.Size
	var seen []string
	for number := 0; number <= pages; number++ { // one past the end
		q.Number = number
		pg, err := h.s.ListProfiles(h.ctx, tn, q)
		if err != nil {
			t.Fatalf("page %d: %v", number, err)
		}
		wantLen := min(q.Size, max(0, total-number*q.Size))
		want := storage.PageInfo{Size: q.Size, TotalElements: total, TotalPages: pages, Number: number}
		got := pg.PageInfo
		got.NextCursor = ""
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("page %d metadata (-want +got):\n%s", number, d)
		}
		if len(pg.Profiles) != wantLen {
			t.Errorf("page %d has %d profiles, want %d", number, len(pg.Profiles), wantLen)
		}
		if (pg.NextCursor != "") != (number < pages-1) {
			t.Errorf("page %d: next cursor %q, want one only before the last page", number, pg.NextCursor)
		}
		seen = append(seen, ids(pg.Profiles)...)
	}
	return seen
}

func walkByCursor(t *testing.T, h *harness, tn string, q storage.Query, total int) []string {
	t.Helper()
	var seen []string
	for number := 0; ; number++ {
		pg, err := h.s.ListProfiles(h.ctx, tn, q)
		if err != nil {
			t.Fatalf("cursor page %d: %v", number, err)
		}
		if pg.Number != number || pg.Size != q.Size || pg.TotalElements < total {
			t.Errorf("cursor page %d metadata = %+v", number, pg.PageInfo)
		}
		seen = append(seen, ids(pg.Profiles)...)
		if pg.NextCursor == "" {
			return seen
		}
		if number > total {
			t.Fatal("cursor walk does not end")
		}
		q.Cursor = pg.NextCursor
	}
}

func wantEachOnce(t *testing.T, seen []string, total int) {
	t.Helper()
	wantOnce(t, seen, nil)
	if n := len(slices.Compact(slices.Sorted(slices.Values(seen)))); n != total {
		t.Errorf("walk saw %d distinct profiles, want %d", n, total)
	}
}

// testCursorWalkWhileWriting walks 400 profiles (400/raceScale under
// -race, still several pages of 37) by cursor while another goroutine
// creates profiles and updates existing ones: every profile that existed
// before the walk is listed exactly once, none twice.
func testCursorWalkWhileWriting(t *testing.T, h *harness) {
	tn := h.tenant(t)
	n := 400 / raceScale
	createMany(t, h, tn, "w", n)

	w := startWriter(20*n, listedWrite(h, tn, n))
	seen := listAll(t, h, tn, storage.Query{Sort: storage.SortCreatedAsc, Size: 37}, w.next)
	if _, err := w.finish(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("w%04d", i))
	}
	wantOnce(t, seen, want)
}

// listAll lists every page of q by cursor and returns the ids in the order
// listed, calling between before each page after the first.
func listAll(t *testing.T, h *harness, tn string, q storage.Query, between func()) []string {
	t.Helper()
	var seen []string
	for {
		pg, err := h.s.ListProfiles(h.ctx, tn, q)
		if err != nil {
			t.Fatalf("ListProfiles: %v", err)
		}
		seen = append(seen, ids(pg.Profiles)...)
		if pg.NextCursor == "" {
			return seen
		}
		q.Cursor = pg.NextCursor
		between()
	}
}

// wantOnce fails for every id that seen holds more than once, and for
// every id of want that it does not hold exactly once.
func wantOnce(t *testing.T, seen, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range seen {
		count[id]++
	}
	for id, c := range count {
		if c > 1 {
			t.Errorf("profile %s returned %d times", id, c)
		}
	}
	for _, id := range want {
		if count[id] != 1 {
			t.Errorf("profile %s returned %d times, want once", id, count[id])
		}
	}
}

// listedWrite returns the i-th write of testCursorWalkWhileWriting: it
// creates a profile created anywhere in the walk and updates one of the
// n listed ones.
func listedWrite(h *harness, tn string, n int) func(i int) error {
	return func(i int) error {
		p := newProfile(fmt.Sprintf("new%05d", i))
		p.CreatedAt = ts(time.Duration(i%11) * time.Minute) // lands anywhere in the walk
		if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p}, nil); err != nil {
			return err
		}
		old, err := h.s.GetProfile(h.ctx, tn, fmt.Sprintf("w%04d", i%n))
		if err != nil {
			return err
		}
		e := bump(old, fmt.Sprintf("upd%05d", i), "writer", ts(24*time.Hour+time.Duration(i)*time.Second))
		return h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: old}, e)
	}
}

func testHistoryPages(t *testing.T, h *harness) {
	tn := h.tenant(t)
	h.create(t, tn, newProfile("p1"))
	const n, size = 50, 7
	for i := 1; i < n; i++ {
		h.update(t, tn, "p1", fmt.Sprintf("e%02d", i), ts(time.Duration(i)*time.Minute))
	}
	for _, newest := range []bool{false, true} {
		t.Run(fmt.Sprintf("newest first %v", newest), func(t *testing.T) {
			var want []int
			for v := range n {
				want = append(want, v)
			}
			if newest {
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
			}
			var byNumber, byCursor []int
			for number := 0; number*size < n; number++ {
				pg, err := h.s.History(h.ctx, tn, "p1", storage.HistoryQuery{NewestFirst: newest, Size: size, Number: number})
				if err != nil {
					t.Fatal(err)
				}
				if pg.TotalElements != n || pg.TotalPages != 8 || pg.Number != number || pg.Size != size {
					t.Errorf("page %d metadata = %+v", number, pg.PageInfo)
				}
				byNumber = append(byNumber, versions(pg.Entries)...)
			}
			q := storage.HistoryQuery{NewestFirst: newest, Size: size}
			for number := 0; ; number++ {
				pg, err := h.s.History(h.ctx, tn, "p1", q)
				if err != nil {
					t.Fatal(err)
				}
				if pg.Number != number {
					t.Errorf("cursor page number = %d, want %d", pg.Number, number)
				}
				byCursor = append(byCursor, versions(pg.Entries)...)
				if pg.NextCursor == "" || number > n {
					break
				}
				q.Cursor = pg.NextCursor
			}
			if d := cmp.Diff(want, byNumber); d != "" {
				t.Errorf("versions by number (-want +got):\n%s", d)
			}
			if d := cmp.Diff(want, byCursor); d != "" {
				t.Errorf("versions by cursor (-want +got):\n%s", d)
			}
		})
	}
}

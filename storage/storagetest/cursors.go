package storagetest

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testCursorOpacity walks lists in every order and a history by cursor,
// one row a page, over profiles full of distinctive personal values: no
// cursor may carry any of them (nor the record ids) in any encoding the
// test can undo: as is, base64, base32 or hex, each also inflated.
func testCursorOpacity(t *testing.T, h *harness) {
	tn := h.tenant(t)
	secrets := []string{"zyxwvut", "qwertyson", "nandu", "ñandú", "88776655", "31337", "opaque-7a", "opaque-9b", "opaque-entry"}
	for i, id := range []string{"opaque-7a", "opaque-9b"} {
		p := newProfile(id)
		p.Name = fmt.Sprintf("Zyxwvut%d Qwertyson-Ñandú", i)
		p.NaturalPerson.Name = profile.Name{First: fmt.Sprintf("Zyxwvut%d", i), Last: "Qwertyson-Ñandú"}
		p.TaxPayerID, p.ExternalRef = fmt.Sprintf("99-88776655-%d", i), fmt.Sprintf("ACC-31337-%d", i)
		p.CreatedAt, p.ModifiedAt = ts(time.Duration(i)*time.Hour), ts(time.Duration(i)*time.Hour)
		h.create(t, tn, p)
	}
	for i := range 3 {
		h.update(t, tn, "opaque-7a", fmt.Sprintf("opaque-entry-%d", i), ts(time.Duration(i+2)*time.Hour))
	}
	var cursors []string
	for _, sort := range []storage.Sort{storage.SortNameAsc, storage.SortNameDesc, storage.SortModifiedDesc, storage.SortCreatedAsc} {
		q := storage.Query{Sort: sort, Size: 1, Text: "qwertyson"}
		for range 3 {
			pg, err := h.s.ListProfiles(h.ctx, tn, q)
			if err != nil {
				t.Fatalf("%s: %v", sort, err)
			}
			if pg.NextCursor == "" {
				break
			}
			cursors = append(cursors, pg.NextCursor)
			q.Cursor = pg.NextCursor
		}
	}
	for _, newest := range []bool{false, true} {
		q := storage.HistoryQuery{Size: 1, NewestFirst: newest}
		for range 5 {
			pg, err := h.s.History(h.ctx, tn, "opaque-7a", q)
			if err != nil {
				t.Fatal(err)
			}
			if pg.NextCursor == "" {
				break
			}
			cursors = append(cursors, pg.NextCursor)
			q.Cursor = pg.NextCursor
		}
	}
	if len(cursors) < 8 {
		t.Fatalf("walks gave %d cursors, want at least 8", len(cursors))
	}
	for _, c := range cursors {
		if w := revealed(c, secrets); w != "" {
			t.Errorf("cursor %q reveals %q", c, w)
		}
	}
}

// revealed returns the first secret found in s or in any decoding of it
// the test knows, or "".
func revealed(s string, secrets []string) string {
	forms := [][]byte{[]byte(s)}
	for _, d := range decodings(s) {
		forms = append(forms, d, inflate(d))
	}
	for _, f := range forms {
		low := bytes.ToLower(f)
		for _, w := range secrets {
			if bytes.Contains(low, []byte(strings.ToLower(w))) {
				return w
			}
		}
	}
	return ""
}

// decodings returns s decoded by every base64, base32 and hex alphabet
// that accepts it, with the padding it may have dropped restored.
func decodings(s string) [][]byte {
	var out [][]byte
	pad := func(s string, n int) string {
		for len(s)%n != 0 {
			s += "="
		}
		return s
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		if b, err := enc.DecodeString(pad(s, 4)); err == nil {
			out = append(out, b)
		}
	}
	for _, enc := range []*base32.Encoding{base32.StdEncoding, base32.HexEncoding} {
		if b, err := enc.DecodeString(pad(strings.ToUpper(s), 8)); err == nil {
			out = append(out, b)
		}
	}
	if b, err := hex.DecodeString(s); err == nil {
		out = append(out, b)
	}
	return out
}

// inflate undoes gzip, zlib or raw deflate on b, or returns nil.
func inflate(b []byte) []byte {
	readers := []func(io.Reader) (io.Reader, error){
		func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) },
		func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil },
	}
	for _, open := range readers {
		r, err := open(bytes.NewReader(b))
		if err != nil {
			continue
		}
		if out, err := io.ReadAll(io.LimitReader(r, 1<<20)); err == nil || len(out) > 0 {
			return out
		}
	}
	return nil
}

// cursorAfter returns the NextCursor of the first page of q.
func cursorAfter(t *testing.T, h *harness, tn string, q storage.Query) string {
	t.Helper()
	pg, err := h.s.ListProfiles(h.ctx, tn, q)
	if err != nil {
		t.Fatalf("ListProfiles: %v", err)
	}
	if pg.NextCursor == "" {
		t.Fatal("first page has no next cursor")
	}
	return pg.NextCursor
}

// historyCursorAfter returns the NextCursor of the first page of q on the
// history of id.
func historyCursorAfter(t *testing.T, h *harness, tn, id string, q storage.HistoryQuery) string {
	t.Helper()
	pg, err := h.s.History(h.ctx, tn, id, q)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if pg.NextCursor == "" {
		t.Fatal("first history page has no next cursor")
	}
	return pg.NextCursor
}

// testCursorBinding uses cursors where they do not belong: a cursor is
// bound to its tenant, its query's filters and order, and its kind (list or
// history of one profile); anywhere else it fails with ErrInvalid, even
// where the other tenant holds the same ids and names. Equivalent queries
// (states in another order, the same text in capitals, another page size)
// accept it.
func testCursorBinding(t *testing.T, h *harness) {
	a, b := h.tenant(t), h.tenant(t)
	for _, tn := range []string{a, b} {
		listFixture(t, h, tn)
		for i := range 2 {
			h.update(t, tn, "f1", fmt.Sprintf("f1-e%d", i), ts(time.Duration(i+5)*time.Hour))
		}
	}
	base := storage.Query{Sort: storage.SortNameAsc, States: []string{"active", "banned", "pending"}, Text: "N", Size: 1}
	cur := cursorAfter(t, h, a, base)
	with := func(q storage.Query, cursor string) storage.Query { q.Cursor = cursor; return q }

	want := walkFrom(t, h, a, with(base, cur))
	for name, q := range map[string]storage.Query{
		"the same query":        base,
		"states in other order": {Sort: storage.SortNameAsc, States: []string{"pending", "active", "banned"}, Text: "N", Size: 1},
		"a state twice":         {Sort: storage.SortNameAsc, States: []string{"banned", "active", "banned", "pending"}, Text: "N", Size: 1},
		"text in another case":  {Sort: storage.SortNameAsc, States: []string{"active", "banned", "pending"}, Text: "n", Size: 1},
	} {
		if got := walkFrom(t, h, a, with(q, cur)); !gocmp.Equal(want, got) {
			t.Errorf("%s: walk from the cursor = %v, want %v", name, got, want)
		}
	}
	if _, err := h.s.ListProfiles(h.ctx, a, with(storage.Query{Sort: storage.SortNameAsc, States: base.States, Text: "N", Size: 50}, cur)); err != nil {
		t.Errorf("cursor with another page size: %v", err)
	}

	_, err := h.s.ListProfiles(h.ctx, b, with(base, cur))
	wantQueryError(t, "list cursor of another tenant", err, "Cursor")
	for name, q := range map[string]storage.Query{
		"descending":       {Sort: storage.SortNameDesc, States: base.States, Text: "N"},
		"default sort":     {States: base.States, Text: "N"},
		"created sort":     {Sort: storage.SortCreatedAsc, States: base.States, Text: "N"},
		"fewer states":     {Sort: storage.SortNameAsc, States: base.States[:2], Text: "N"},
		"no states":        {Sort: storage.SortNameAsc, Text: "N"},
		"risks":            {Sort: storage.SortNameAsc, States: base.States, Text: "N", Risks: []string{"high"}},
		"label":            {Sort: storage.SortNameAsc, States: base.States, Text: "N", Label: "vip"},
		"person type":      {Sort: storage.SortNameAsc, States: base.States, Text: "N", PersonType: profile.NaturalPerson},
		"other text":       {Sort: storage.SortNameAsc, States: base.States, Text: "Nu"},
		"no text":          {Sort: storage.SortNameAsc, States: base.States},
		"created from":     {Sort: storage.SortNameAsc, States: base.States, Text: "N", CreatedFrom: 1},
		"created until":    {Sort: storage.SortNameAsc, States: base.States, Text: "N", CreatedUntil: ts(100 * time.Hour)},
		"modified from":    {Sort: storage.SortNameAsc, States: base.States, Text: "N", ModifiedFrom: 1},
		"modified until":   {Sort: storage.SortNameAsc, States: base.States, Text: "N", ModifiedUntil: ts(100 * time.Hour)},
		"a state replaced": {Sort: storage.SortNameAsc, States: []string{"active", "banned", "archived"}, Text: "N"},
	} {
		_, err := h.s.ListProfiles(h.ctx, a, with(q, cur))
		wantQueryError(t, "list cursor used with "+name, err, "Cursor")
	}

	hq := storage.HistoryQuery{Size: 1}
	hcur := historyCursorAfter(t, h, a, "f1", hq)
	if _, err := h.s.History(h.ctx, a, "f1", storage.HistoryQuery{Size: 2, Cursor: hcur}); err != nil {
		t.Errorf("history cursor with another page size: %v", err)
	}
	for name, call := range map[string]func() error{
		"history cursor of another tenant":      func() error { return historyErr(h, b, "f1", storage.HistoryQuery{Cursor: hcur}) },
		"history cursor of another profile":     func() error { return historyErr(h, a, "f2", storage.HistoryQuery{Cursor: hcur}) },
		"history cursor in the other direction": func() error { return historyErr(h, a, "f1", storage.HistoryQuery{Cursor: hcur, NewestFirst: true}) },
		"history cursor used in a list":         func() error { return list(h, a, storage.Query{Cursor: hcur}) },
		"history cursor used in a name list":    func() error { return list(h, a, with(base, hcur)) },
		"list cursor used in a history":         func() error { return historyErr(h, a, "f1", storage.HistoryQuery{Cursor: cur}) },
		"newest-first history cursor reversed": func() error {
			c := historyCursorAfter(t, h, a, "f1", storage.HistoryQuery{Size: 1, NewestFirst: true})
			return historyErr(h, a, "f1", storage.HistoryQuery{Cursor: c})
		},
	} {
		wantQueryError(t, name, call(), "Cursor")
	}
}

func historyErr(h *harness, tn, id string, q storage.HistoryQuery) error {
	_, err := h.s.History(h.ctx, tn, id, q)
	return err
}

// walkFrom lists every page from q (by cursor) and returns the ids seen;
// a walk of the small fixtures still going after ten pages never ends.
func walkFrom(t *testing.T, h *harness, tn string, q storage.Query) []string {
	t.Helper()
	pages := 0
	return listAll(t, h, tn, q, func() {
		if pages++; pages == 10 {
			t.Fatal("walk does not end")
		}
	})
}

// testCursorTampering alters valid cursors every way an attacker might:
// each character changed, every truncation, extensions, padding, case.
// Each altered cursor fails with ErrInvalid; none is read as another
// position.
func testCursorTampering(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	q := storage.Query{Sort: storage.SortNameAsc, Size: 1}
	cur := cursorAfter(t, h, tn, q)
	hq := storage.HistoryQuery{Size: 1}
	h.create(t, tn, newProfile("tamper"))
	h.update(t, tn, "tamper", "tamper-e1", ts(time.Hour))
	hcur := historyCursorAfter(t, h, tn, "tamper", hq)

	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	altered := func(c string) map[string]string {
		out := map[string]string{
			"truncated to nothing but one": c[:1],
			"one more character":           c + "A",
			"padded":                       c + "=",
			"padded twice":                 c + "==",
			"doubled":                      c + c,
			"leading space":                " " + c,
			"trailing newline":             c + "\n",
			"standard base64 alphabet":     strings.NewReplacer("-", "+", "_", "/").Replace(c),
		}
		if up := strings.ToUpper(c); up != c {
			out["in capitals"] = up
		}
		for n := 1; n < len(c); n++ {
			out[fmt.Sprintf("truncated to %d", n)] = c[:n]
		}
		for i := range len(c) {
			j := (strings.IndexByte(alphabet, c[i]) + 1) % len(alphabet)
			out[fmt.Sprintf("character %d changed", i)] = c[:i] + alphabet[j:j+1] + c[i+1:]
			out[fmt.Sprintf("character %d flipped", i)] = c[:i] + string(c[i]^1) + c[i+1:]
		}
		return out
	}
	for name, c := range altered(cur) {
		if c == cur {
			continue
		}
		q.Cursor = c
		wantQueryError(t, "list cursor "+name, list(h, tn, q), "Cursor")
	}
	for name, c := range altered(hcur) {
		if c == hcur {
			continue
		}
		hq.Cursor = c
		wantQueryError(t, "history cursor "+name, historyErr(h, tn, "tamper", hq), "Cursor")
	}
	q.Cursor = strings.Repeat("A", 1<<20)
	wantQueryError(t, "a 1 MB cursor", list(h, tn, q), "Cursor")
}

// testLongNames lists profiles whose names are far longer than any real
// name (up to 100 KB of text that does not compress) in name order, by
// number and by cursor: every store stores them, both walks see each
// profile once in the same order, and no cursor grows with the name.
func testLongNames(t *testing.T, h *harness) {
	tn := h.tenant(t)
	rng := rand.New(rand.NewPCG(16, 5))
	letters := []rune("abcdefghijklmnopqrstuvwxyzñéü ")
	name := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = letters[rng.IntN(len(letters))]
		}
		return string(r)
	}
	prefix := name(3000)
	names := map[string]string{
		"long-a": "M" + name(1000),
		"long-b": "M" + prefix + "a" + name(100_000),
		"long-c": "M" + prefix + "b" + name(10_000),
		"long-d": "M" + prefix + "a" + name(10_000),
		"short":  "Mary",
	}
	for id, n := range names {
		p := newProfile(id)
		p.Name, p.NaturalPerson.Name = n, profile.Name{First: n}
		h.create(t, tn, p)
	}
	q := storage.Query{Sort: storage.SortNameAsc, Size: 1}
	byNumber := walkByNumber(t, h, tn, q, len(names))
	byCursor := walkByCursor(t, h, tn, q, len(names))
	if d := gocmp.Diff(byNumber, byCursor); d != "" {
		t.Errorf("cursor walk differs from number walk (-number +cursor):\n%s", d)
	}
	wantEachOnce(t, byCursor, len(names))
	for ; ; q.Number++ {
		pg, err := h.s.ListProfiles(h.ctx, tn, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.NextCursor) > 4<<10 {
			t.Errorf("page %d: cursor of %d bytes", q.Number, len(pg.NextCursor))
		}
		if pg.NextCursor == "" {
			break
		}
	}
}

// testCursorAfterDeletion continues walks whose cursor follows a row that
// was deleted meanwhile: a cursor is a position, not a reference to the
// row, so the list goes on with the next profile and the history of the
// deleted profile with its next (redacted) entry.
func testCursorAfterDeletion(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	q := storage.Query{Sort: storage.SortNameAsc, Size: 1}
	pg, err := h.s.ListProfiles(h.ctx, tn, q)
	if err != nil || len(pg.Profiles) != 1 || pg.NextCursor == "" {
		t.Fatalf("first page: %v, %v", pg, err)
	}
	h.forceDelete(t, tn, pg.Profiles[0].ID)
	q.Cursor = pg.NextCursor
	if d := gocmp.Diff([]string{"f3", "f2", "f4"}, walkFrom(t, h, tn, q)); d != "" {
		t.Errorf("walk after deleting the row the cursor follows (-want +got):\n%s", d)
	}

	for i := range 2 {
		h.update(t, tn, "f2", fmt.Sprintf("f2-e%d", i), ts(time.Duration(i+5)*time.Hour))
	}
	hq := storage.HistoryQuery{Size: 1}
	hq.Cursor = historyCursorAfter(t, h, tn, "f2", hq)
	h.forceDelete(t, tn, "f2")
	var got []int
	for range 5 {
		hp, err := h.s.History(h.ctx, tn, "f2", hq)
		if err != nil {
			t.Fatalf("history after deletion: %v", err)
		}
		got = append(got, versions(hp.Entries)...)
		if hp.NextCursor == "" {
			break
		}
		hq.Cursor = hp.NextCursor
	}
	if d := gocmp.Diff([]int{1, 2}, got); d != "" {
		t.Errorf("history walk across the deletion (-want +got):\n%s", d)
	}
}

package driver_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

func TestSearchTextAndNameKey(t *testing.T) {
	p := &profile.Profile{Name: "Ana Núñez", TaxPayerID: "20-3040-7", ExternalRef: "REF-Ä"}
	if d := cmp.Diff("ana nunez\n20-3040-7\nref-a", driver.SearchText(p)); d != "" {
		t.Errorf("SearchText (-want +got):\n%s", d)
	}
	if d := cmp.Diff("ana nunez", driver.NameKey(p)); d != "" {
		t.Errorf("NameKey (-want +got):\n%s", d)
	}
	// A key over MaxNameKeyBytes is cut at a character boundary: 341
	// three-byte euro signs, not 1,024 bytes ending inside one.
	long := &profile.Profile{Name: strings.Repeat("€", 500)}
	if d := cmp.Diff(strings.Repeat("€", 341), driver.NameKey(long)); d != "" {
		t.Errorf("NameKey of a long name (-want +got):\n%s", d)
	}
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		wantErr bool
	}{
		{"plain", "p-123", false},
		{"unicode", "perfil-ñ", false},
		{"longest", strings.Repeat("x", storage.MaxIDBytes), false},
		{"empty", "", true},
		{"too long", strings.Repeat("x", storage.MaxIDBytes+1), true},
		{"not UTF-8", "p\xff", true},
		{"newline", "p\n1", true},
		{"NUL", "p\x001", true},
		{"C1 control", "p\u00851", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := driver.CheckID("profile id", tc.id)
			if (err != nil) != tc.wantErr {
				t.Fatalf("CheckID(%q) = %v, want error: %v", tc.id, err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, storage.ErrInvalid) {
				t.Errorf("CheckID(%q) = %v, want ErrInvalid", tc.id, err)
			}
			if err != nil && tc.id != "" && strings.Contains(err.Error(), tc.id) {
				t.Errorf("error %q quotes the id", err)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	key := storage.RandomCursorKey()
	q := storage.Query{Sort: storage.SortNameDesc, States: []string{"b", "a"}, Text: "Núñez"}
	for _, c := range []driver.Cursor{
		{Str: "núñez", ID: "p\"9", Number: 3},
		{Int: -1 << 63, ID: "x", Number: 1 << 40},
		{Str: strings.Repeat("ñ", 10000), ID: strings.Repeat("i", storage.MaxIDBytes), Number: 1},
	} {
		q.Cursor = sealList(t, key, "t1", q, c)
		req, err := driver.PrepareList(key, "t1", q)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(&c, req.Cursor); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
	}
	hq := storage.HistoryQuery{NewestFirst: true}
	hq.Cursor = sealHistory(t, key, "t1", "p1", hq, driver.Cursor{Int: 7, ID: "e7", Number: 2})
	req, err := driver.PrepareHistory(key, "t1", "p1", hq)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&driver.Cursor{Int: 7, ID: "e7", Number: 2}, req.Cursor); d != "" {
		t.Errorf("history round trip (-want +got):\n%s", d)
	}
}

// TestCursorRejects uses one good cursor everywhere it does not belong.
func TestCursorRejects(t *testing.T) {
	key := storage.RandomCursorKey()
	q := storage.Query{Sort: storage.SortCreatedAsc, Label: "vip"}
	good := sealList(t, key, "t1", q, driver.Cursor{Int: 5, ID: "p1", Number: 1})
	hist := sealHistory(t, key, "t1", "p1", storage.HistoryQuery{}, driver.Cursor{Int: 5, ID: "e5", Number: 1})
	tests := []struct {
		name   string
		key    *storage.CursorKey
		tenant string
		q      storage.Query
	}{
		{"another key", storage.RandomCursorKey(), "t1", q},
		{"another tenant", key, "t2", q},
		{"another sort", key, "t1", storage.Query{Sort: storage.SortCreatedDesc, Label: "vip"}},
		{"another filter", key, "t1", storage.Query{Sort: storage.SortCreatedAsc, Label: "vi"}},
		{"a filter moved", key, "t1", storage.Query{Sort: storage.SortCreatedAsc, States: []string{"vip"}}},
		{"padded", key, "t1", withCursor(q, good+"=")},
		{"standard base64", key, "t1", withCursor(q, strings.NewReplacer("-", "+", "_", "/").Replace(good)+"+")},
		{"truncated", key, "t1", withCursor(q, good[:len(good)-1])},
		{"not base64", key, "t1", withCursor(q, "%%%")},
		{"the old JSON form", key, "t1", withCursor(q, "eyJzIjoiY3JlYXRlZF9hdCIsIm4iOjUsImkiOiJwMSIsInAiOjEsImYiOjQyfQ")},
		{"huge", key, "t1", withCursor(q, strings.Repeat("A", 1<<20))},
		{"a history cursor", key, "t1", withCursor(q, hist)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.q.Cursor == "" {
				tc.q.Cursor = good
			}
			_, err := driver.PrepareList(tc.key, tc.tenant, tc.q)
			wantQueryError(t, err, "Cursor")
		})
	}
	for name, call := range map[string]func() error{
		"list cursor in a history":   func() error { return prepareHistory(key, "t1", "p1", storage.HistoryQuery{Cursor: good}) },
		"history of another profile": func() error { return prepareHistory(key, "t1", "p2", storage.HistoryQuery{Cursor: hist}) },
		"history in the other order": func() error {
			return prepareHistory(key, "t1", "p1", storage.HistoryQuery{Cursor: hist, NewestFirst: true})
		},
		"history of another tenant": func() error { return prepareHistory(key, "t2", "p1", storage.HistoryQuery{Cursor: hist}) },
		"history under another key": func() error {
			return prepareHistory(storage.RandomCursorKey(), "t1", "p1", storage.HistoryQuery{Cursor: hist})
		},
		"history id sharing the prefix": func() error { return prepareHistory(key, "t1", "p10", storage.HistoryQuery{Cursor: hist}) },
	} {
		t.Run(name, func(t *testing.T) { wantQueryError(t, call(), "Cursor") })
	}
}

func withCursor(q storage.Query, c string) storage.Query { q.Cursor = c; return q }

func prepareHistory(key *storage.CursorKey, tenant, id string, q storage.HistoryQuery) error {
	_, err := driver.PrepareHistory(key, tenant, id, q)
	return err
}

// TestCursorBindsQuery: a cursor belongs to the filters and order of its
// query, however they are spelled, and not to its page.
func TestCursorBindsQuery(t *testing.T) {
	key := storage.RandomCursorKey()
	base := storage.Query{States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ANA"}
	c := sealList(t, key, "t", base, driver.Cursor{Str: "ana", ID: "p1", Number: 1})
	for name, q := range map[string]storage.Query{
		"same":               base,
		"states reordered":   {States: []string{"b", "a"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ANA"},
		"state repeated":     {States: []string{"b", "a", "b"}, Risks: []string{"high", "high"}, Sort: storage.SortNameAsc, Text: "ANA"},
		"text folded":        {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ána"},
		"another page":       {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ANA", Size: 5, Number: 9},
		"default sort given": {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: "name", Text: "ana"},
	} {
		if _, err := driver.PrepareList(key, "t", withCursor(q, c)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, q := range map[string]storage.Query{
		"sort":           {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameDesc, Text: "ana"},
		"state moved":    {States: []string{"a"}, Risks: []string{"b", "high"}, Sort: storage.SortNameAsc, Text: "ana"},
		"states joined":  {States: []string{"ab"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana"},
		"text":           {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "an"},
		"label":          {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", Label: "x"},
		"person type":    {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", PersonType: "x"},
		"created from":   {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", CreatedFrom: 1},
		"created until":  {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", CreatedUntil: 1},
		"modified from":  {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", ModifiedFrom: 1},
		"modified until": {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "ana", ModifiedUntil: -1},
	} {
		wantCursorRefused(t, name, key, withCursor(q, c))
	}
	// A text that folds to nothing is not the absence of text.
	plain := sealList(t, key, "t", storage.Query{}, driver.Cursor{ID: "p1", Number: 1})
	wantCursorRefused(t, "text folding to nothing", key, storage.Query{Text: "\x00", Cursor: plain})
}

func wantCursorRefused(t *testing.T, name string, key *storage.CursorKey, q storage.Query) {
	t.Helper()
	_, err := driver.PrepareList(key, "t", q)
	var qe *storage.QueryError
	if !errors.As(err, &qe) || qe.Field != "Cursor" {
		t.Errorf("%s: %v, want a *QueryError for Cursor", name, err)
	}
}

// TestCursorLength: the length of a cursor says nothing of the name and id
// of the row it follows, within the usual lengths.
func TestCursorLength(t *testing.T) {
	key := storage.RandomCursorKey()
	want := len(sealList(t, key, "t", storage.Query{}, driver.Cursor{ID: "p", Number: 1}))
	for n := range 40 {
		c := driver.Cursor{Str: strings.Repeat("n", n), ID: strings.Repeat("i", 1+n/2), Number: 1 + n}
		if got := len(sealList(t, key, "t", storage.Query{}, c)); got != want {
			t.Errorf("name of %d bytes: cursor of %d characters, want %d", n, got, want)
		}
	}
}

func TestNewCursorKey(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	if _, err := storage.NewCursorKey(secret[:storage.CursorSecretBytes-1]); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("short secret: %v, want ErrInvalid", err)
	}
	a, err := storage.NewCursorKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	b, err := storage.NewCursorKey(slices.Clone(secret))
	if err != nil {
		t.Fatal(err)
	}
	c := sealList(t, a, "t", storage.Query{}, driver.Cursor{ID: "p1", Number: 1})
	if _, err := driver.PrepareList(b, "t", storage.Query{Cursor: c}); err != nil {
		t.Errorf("keys of one secret do not share cursors: %v", err)
	}
	other := slices.Clone(secret)
	other[0] ^= 1
	o, err := storage.NewCursorKey(other)
	if err != nil {
		t.Fatal(err)
	}
	_, err = driver.PrepareList(o, "t", storage.Query{Cursor: c})
	wantQueryError(t, err, "Cursor")
}

func TestPageBounds(t *testing.T) {
	tests := []struct {
		name         string
		size, number int
		field        string // "" when accepted
	}{
		{"default size", 0, 0, ""},
		{"largest number of size 1", 1, math.MaxInt - 2, ""},
		{"overflowing number of size 1", 1, math.MaxInt - 1, "Number"},
		{"largest number of the default size", 0, (math.MaxInt-1)/storage.DefaultPageSize - 1, ""},
		{"one more", 0, (math.MaxInt - 1) / storage.DefaultPageSize, "Number"},
		{"largest number of the largest size", storage.MaxPageSize, (math.MaxInt-1)/storage.MaxPageSize - 1, ""},
		{"one more of the largest size", storage.MaxPageSize, (math.MaxInt - 1) / storage.MaxPageSize, "Number"},
		{"max int", 7, math.MaxInt, "Number"},
		{"negative number", 1, -1, "Number"},
		{"min int number", 1, math.MinInt, "Number"},
		{"negative size", -1, 0, "Size"},
		{"min int size", math.MinInt, 0, "Size"},
		{"size over the maximum", storage.MaxPageSize + 1, 0, "Size"},
	}
	key := storage.RandomCursorKey()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := driver.PrepareList(key, "t", storage.Query{Size: tc.size, Number: tc.number})
			herr := prepareHistory(key, "t", "p", storage.HistoryQuery{Size: tc.size, Number: tc.number})
			if tc.field == "" {
				if err != nil || herr != nil {
					t.Fatalf("refused: %v, %v", err, herr)
				}
				return
			}
			wantQueryError(t, err, tc.field)
			wantQueryError(t, herr, tc.field)
		})
	}
}

func TestNewPageInfo(t *testing.T) {
	tests := []struct {
		name                string
		size, number, total int
		want                storage.PageInfo
	}{
		{"empty", 20, 0, 0, storage.PageInfo{Size: 20}},
		{"one partial page", 20, 0, 7, storage.PageInfo{Size: 20, TotalElements: 7, TotalPages: 1}},
		{"exact pages", 10, 1, 30, storage.PageInfo{Size: 10, TotalElements: 30, TotalPages: 3, Number: 1}},
		{"rounds up", 37, 26, 1000, storage.PageInfo{Size: 37, TotalElements: 1000, TotalPages: 28, Number: 26}},
		{"zero size", 0, 0, 5, storage.PageInfo{TotalElements: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, driver.NewPageInfo(tc.size, tc.number, tc.total)); d != "" {
				t.Errorf("NewPageInfo(%d, %d, %d) (-want +got):\n%s", tc.size, tc.number, tc.total, d)
			}
		})
	}
}

// TestMatchesNothing: a text filter that folds to nothing matches nothing;
// one that folds to something, or no text at all, is an ordinary query.
func TestMatchesNothing(t *testing.T) {
	key := storage.RandomCursorKey()
	for text, want := range map[string]bool{"": false, "\u0301": true, "\x00\n\t": true, "\u0085": true, " ": false, "a\u0301": false} {
		req, err := driver.PrepareList(key, "t", storage.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if req.MatchesNothing != want {
			t.Errorf("text %q: MatchesNothing = %v, want %v", text, req.MatchesNothing, want)
		}
	}
}

func TestQueryErrorText(t *testing.T) {
	_, err := driver.PrepareList(storage.RandomCursorKey(), "t", storage.Query{Text: "Qwertyson \xff"})
	if d := cmp.Diff("storage: list profiles: storage: invalid input: Text: not UTF-8", err.Error()); d != "" {
		t.Errorf("error text (-want +got):\n%s", d)
	}
}

func TestWrap(t *testing.T) {
	err := driver.Wrap("get profile", "p1", storage.ErrNotFound)
	var se *storage.Error
	if !errors.As(err, &se) || se.Op != "get profile" || se.ID != "p1" || !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Wrap = %#v, want a *storage.Error for get profile p1 wrapping ErrNotFound", err)
	}
	if driver.Wrap("x", "y", nil) != nil {
		t.Error("Wrap of nil is not nil")
	}
}

package storage_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"case", "ÖZEL", "ozel"},
		{"accents", "Núñez Gómez", "nunez gomez"},
		{"decomposed input", "Nu\u0303n\u0303ez", "nunez"},
		{"dotted capital I", "İstanbul", "istanbul"},
		{"sharp s folds to ss", "Straße", "strasse"},
		{"control characters dropped", "a\nb\tc\x00", "abc"},
		{"digits and punctuation kept", "20-30405060-7", "20-30405060-7"},
		{"Cherokee small letters fold to capitals", "ꮄᏸ", "ᎴᏰ"},
		{"Cherokee capitals stay", "ᎴᏰ", "ᎴᏰ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := storage.Fold(tc.in)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Fold(%q) (-want +got):\n%s", tc.in, d)
			}
			if again := storage.Fold(got); again != got {
				t.Errorf("Fold not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestSearchTextAndNameKey(t *testing.T) {
	p := &profile.Profile{Name: "Ana Núñez", TaxPayerID: "20-3040-7", ExternalRef: "REF-Ä"}
	if d := cmp.Diff("ana nunez\n20-3040-7\nref-a", storage.SearchText(p)); d != "" {
		t.Errorf("SearchText (-want +got):\n%s", d)
	}
	if d := cmp.Diff("ana nunez", storage.NameKey(p)); d != "" {
		t.Errorf("NameKey (-want +got):\n%s", d)
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
			err := storage.CheckID("profile id", tc.id)
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
	c := storage.Cursor{Sort: storage.SortNameDesc, Str: "núñez", ID: "p\"9", Number: 3, Filter: 1 << 63}
	got, err := storage.DecodeCursor(c.Encode(), storage.SortNameDesc, 1<<63)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(c, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	good := storage.Cursor{Sort: storage.SortCreatedAsc, Int: 5, ID: "p1", Number: 1, Filter: 42}
	tests := []struct {
		name   string
		cursor string
		sort   storage.Sort
		fp     uint64
	}{
		{"other sort", good.Encode(), storage.SortCreatedDesc, 42},
		{"other filters", good.Encode(), storage.SortCreatedAsc, 43},
		{"not base64", "%%%", storage.SortCreatedAsc, 42},
		{"padded base64", good.Encode() + "=", storage.SortCreatedAsc, 42},
		{"not JSON", "bm90IGpzb24", storage.SortCreatedAsc, 42},
		{"not canonical", b64(`{"s":"created_at","n":5,"i":"p1","p":1,"f":42} `), storage.SortCreatedAsc, 42},
		{"no id", storage.Cursor{Sort: storage.SortCreatedAsc, Number: 1, Filter: 42}.Encode(), storage.SortCreatedAsc, 42},
		{"page zero", storage.Cursor{Sort: storage.SortCreatedAsc, ID: "p1", Filter: 42}.Encode(), storage.SortCreatedAsc, 42},
		{"huge", strings.Repeat("A", 1<<20), storage.SortCreatedAsc, 42},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := storage.DecodeCursor(tc.cursor, tc.sort, tc.fp)
			if !errors.Is(err, storage.ErrInvalid) {
				t.Errorf("DecodeCursor = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	base := storage.Query{States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc}
	same := storage.Query{States: []string{"b", "a"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Size: 5, Number: 9}
	if base.Fingerprint() != same.Fingerprint() {
		t.Error("fingerprint depends on the order of states or on the page")
	}
	for name, other := range map[string]storage.Query{
		"sort":           {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameDesc},
		"state moved":    {States: []string{"a"}, Risks: []string{"b", "high"}, Sort: storage.SortNameAsc},
		"text":           {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, Text: "x"},
		"modified range": {States: []string{"a", "b"}, Risks: []string{"high"}, Sort: storage.SortNameAsc, ModifiedFrom: 1},
	} {
		if other.Fingerprint() == base.Fingerprint() {
			t.Errorf("%s: fingerprint unchanged", name)
		}
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
			if d := cmp.Diff(tc.want, storage.NewPageInfo(tc.size, tc.number, tc.total)); d != "" {
				t.Errorf("NewPageInfo(%d, %d, %d) (-want +got):\n%s", tc.size, tc.number, tc.total, d)
			}
		})
	}
}

func TestQueryNormalize(t *testing.T) {
	got, err := storage.Query{Text: "  ÖZEL "}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Query{Text: "  ozel ", Sort: storage.SortModifiedDesc, Size: storage.DefaultPageSize}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Normalize (-want +got):\n%s", d)
	}
	for name, q := range map[string]storage.Query{
		"unknown sort":    {Sort: "risk"},
		"negative size":   {Size: -1},
		"size over max":   {Size: storage.MaxPageSize + 1},
		"negative number": {Number: -1},
		"long text":       {Text: strings.Repeat("a", storage.MaxTextBytes+1)},
		"invalid text":    {Text: "\xff"},
		"empty state":     {States: []string{""}},
		"empty risk":      {Risks: []string{"low", ""}},
	} {
		if _, err := q.Normalize(); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("%s: Normalize = %v, want ErrInvalid", name, err)
		}
	}
}

func TestRetainUntil(t *testing.T) {
	ended := time.Date(2020, 2, 29, 10, 0, 0, 0, time.UTC)
	inactive := &profile.Profile{ID: "p1", State: "inactive", ModifiedAt: profile.TimestampOf(ended)}
	tests := []struct {
		name   string
		opts   storage.DeleteOptions
		p      *profile.Profile
		want   time.Time
		wantOK bool
	}{
		{"five calendar years after the last change in an end state", storage.DeleteOptions{}, inactive,
			time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), true},
		{"creation time when never modified", storage.DeleteOptions{},
			&profile.Profile{State: "banned", CreatedAt: profile.TimestampOf(ended)}, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), true},
		{"explicit end of relationship wins", storage.DeleteOptions{RelationshipEndedAt: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)},
			&profile.Profile{State: "active"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"custom period", storage.DeleteOptions{Retention: 24 * time.Hour}, inactive, ended.Add(24 * time.Hour), true},
		{"active relationship", storage.DeleteOptions{}, &profile.Profile{State: "active", ModifiedAt: profile.TimestampOf(ended)}, time.Time{}, false},
		{"custom end states", storage.DeleteOptions{EndStates: []string{"closed"}}, inactive, time.Time{}, false},
		{"no time known", storage.DeleteOptions{}, &profile.Profile{State: "inactive"}, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.opts.RetainUntil(tc.p)
			if ok != tc.wantOK || !got.Equal(tc.want) {
				t.Errorf("RetainUntil = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestDeleteOptionsCheck(t *testing.T) {
	ended := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &profile.Profile{ID: "p1", State: "inactive", ModifiedAt: profile.TimestampOf(ended)}
	tests := []struct {
		name      string
		opts      storage.DeleteOptions
		wantUntil time.Time
		wantErr   bool
	}{
		{"within the period", storage.DeleteOptions{Now: ended.AddDate(4, 11, 0)}, ended.AddDate(5, 0, 0), true},
		{"at the end of the period", storage.DeleteOptions{Now: ended.AddDate(5, 0, 0)}, time.Time{}, false},
		{"forced", storage.DeleteOptions{Now: ended, Force: true}, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Check(p)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Check = %v, want error: %v", err, tc.wantErr)
			}
			if err == nil {
				return
			}
			var re *storage.RetentionError
			if !errors.As(err, &re) || !errors.Is(err, storage.ErrRetention) {
				t.Fatalf("Check = %v, want a *RetentionError", err)
			}
			if !re.Until.Equal(tc.wantUntil) || re.ProfileID != "p1" {
				t.Errorf("RetentionError = %+v, want until %v", re, tc.wantUntil)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"op and id", storage.Wrap("get profile", "p1", storage.ErrNotFound), `storage: get profile "p1": storage: not found`},
		{"no id", storage.Wrap("list profiles", "", storage.ErrInvalid), "storage: list profiles: storage: invalid input"},
		{"hostile id escaped", storage.Wrap("get profile", "p\n\"x", storage.ErrNotFound), `storage: get profile "p\x0a\x22x": storage: not found`},
		{"retention without end", &storage.RetentionError{ProfileID: "p1"}, `storage: profile "p1" must be kept: relationship not ended`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, tc.err.Error()); d != "" {
				t.Errorf("Error() (-want +got):\n%s", d)
			}
		})
	}
	if storage.Wrap("x", "y", nil) != nil {
		t.Error("Wrap of nil is not nil")
	}
}

package storagetest

import (
	"fmt"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testEmptyFoldingText lists with text filters that storage.Fold reduces to
// nothing (a lone combining mark, control characters): a filter the caller
// gave matches nothing, on every store, instead of silently becoming no
// filter and listing every profile.
func testEmptyFoldingText(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	for _, text := range []string{"\u0301", "\u0301\u0308\u0327", "\x00", "\n", "\t\r\n", "\x7f", "\u0085", "\x00\u0301\n"} {
		for _, sort := range []storage.Sort{"", storage.SortNameAsc} {
			t.Run(fmt.Sprintf("%q %s", text, sort), func(t *testing.T) {
				pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Text: text, Sort: sort, Size: 1})
				if err != nil {
					t.Fatalf("ListProfiles: %v", err)
				}
				want := storage.PageInfo{Size: 1}
				if d := gocmp.Diff(want, pg.PageInfo); d != "" || len(pg.Profiles) != 0 {
					t.Errorf("text %q folding to nothing listed %v; metadata (-want +got):\n%s", text, ids(pg.Profiles), d)
				}
			})
		}
	}
	// What folds away around real text is ignored: the filter is the rest.
	pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Text: "\u0301o\x00z\nel\u0308"})
	if err != nil {
		t.Fatal(err)
	}
	if d := gocmp.Diff([]string{"f2"}, ids(pg.Profiles)); d != "" {
		t.Errorf("text around ignorable characters (-want +got):\n%s", d)
	}
}

// testFilterBounds checks every list filter is bounded identically on
// every store: at the limit a filter works (one statement, no driver
// limit hit), beyond it the query fails with ErrInvalid naming the filter,
// and so does a value no database can compare (NUL, invalid UTF-8: the
// PostgreSQL driver refuses them with an error of its own).
func testFilterBounds(t *testing.T, h *harness) {
	tn := h.tenant(t)
	listFixture(t, h, tn)
	values := func(n int, real ...string) []string {
		out := append([]string{}, real...)
		for i := len(out); i < n; i++ {
			out = append(out, fmt.Sprintf("no-such-value-%05d", i))
		}
		return out
	}
	long := strings.Repeat("s", storage.MaxFilterValueBytes)

	t.Run("at the limits", func(t *testing.T) {
		q := storage.Query{
			States:     values(storage.MaxFilterValues, "active", long),
			Risks:      values(storage.MaxFilterValues, "high", long),
			Label:      long,
			PersonType: "legal_person",
			Text:       strings.Repeat("o", storage.MaxTextBytes),
			Sort:       storage.SortNameAsc,
		}
		pg, err := h.s.ListProfiles(h.ctx, tn, q)
		if err != nil || len(pg.Profiles) != 0 {
			t.Fatalf("filters at their limits: %v, %v; want an empty page", ids(pageProfiles(pg)), err)
		}
		q.Label, q.Text = "", "z"
		pg, err = h.s.ListProfiles(h.ctx, tn, q)
		if err != nil {
			t.Fatalf("filters at their limits: %v", err)
		}
		if d := gocmp.Diff([]string{"f2"}, ids(pg.Profiles)); d != "" {
			t.Errorf("filters at their limits (-want +got):\n%s", d)
		}
	})

	tests := []struct {
		name  string
		q     storage.Query
		field string
	}{
		{"one state too many", storage.Query{States: values(storage.MaxFilterValues+1, "active")}, "States"},
		{"40,000 states", storage.Query{States: values(40000, "active")}, "States"},
		{"70,000 states", storage.Query{States: values(70000, "active")}, "States"},
		{"duplicates count", storage.Query{States: strings.Split(strings.Repeat("active,", storage.MaxFilterValues)+"active", ",")}, "States"},
		{"one risk too many", storage.Query{Risks: values(storage.MaxFilterValues + 1)}, "Risks"},
		{"70,000 risks", storage.Query{Risks: values(70000)}, "Risks"},
		{"state too long", storage.Query{States: []string{long + "s"}}, "States"},
		{"risk too long", storage.Query{Risks: []string{"high", long + "s"}}, "Risks"},
		{"label too long", storage.Query{Label: long + "s"}, "Label"},
		{"person type too long", storage.Query{PersonType: profile.PersonType(long + "s")}, "PersonType"},
		{"empty state", storage.Query{States: []string{"active", ""}}, "States"},
		{"empty risk", storage.Query{Risks: []string{""}}, "Risks"},
		{"NUL in a state", storage.Query{States: []string{"act\x00ive"}}, "States"},
		{"NUL in a risk", storage.Query{Risks: []string{"\x00"}}, "Risks"},
		{"NUL in the label", storage.Query{Label: "vip\x00"}, "Label"},
		{"NUL in the person type", storage.Query{PersonType: "natural_person\x00"}, "PersonType"},
		{"state not UTF-8", storage.Query{States: []string{"activ\xe9"}}, "States"},
		{"risk not UTF-8", storage.Query{Risks: []string{"\xff"}}, "Risks"},
		{"label not UTF-8", storage.Query{Label: "v\xc3"}, "Label"},
		{"person type not UTF-8", storage.Query{PersonType: "\xc0\x80"}, "PersonType"},
		{"text one byte too long", storage.Query{Text: strings.Repeat("o", storage.MaxTextBytes+1)}, "Text"},
		{"text 1 MB", storage.Query{Text: strings.Repeat("o", 1<<20)}, "Text"},
		{"text not UTF-8", storage.Query{Text: "ana\xff"}, "Text"},
		{"unknown sort", storage.Query{Sort: "name; DROP TABLE profiles"}, "Sort"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.s.ListProfiles(h.ctx, tn, tc.q)
			wantQueryError(t, tc.name, err, tc.field)
		})
	}
}

func pageProfiles(pg *storage.Page) []*profile.Profile {
	if pg == nil {
		return nil
	}
	return pg.Profiles
}

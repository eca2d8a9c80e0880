package storagetest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/storage"
)

// wantQueryError fails unless err is ErrInvalid carried by a
// *storage.QueryError naming field: the caller learns which parameter to
// fix, and every adapter refuses with the same kind, never a raw driver
// error.
func wantQueryError(t *testing.T, what string, err error, field string) {
	t.Helper()
	var qe *storage.QueryError
	switch {
	case !errors.Is(err, storage.ErrInvalid):
		t.Errorf("%s: got error %v, want storage.ErrInvalid", what, err)
	case !errors.As(err, &qe):
		t.Errorf("%s: error %v is not a *storage.QueryError", what, err)
	case qe.Field != field:
		t.Errorf("%s: error names field %q, want %q", what, qe.Field, field)
	}
}

// lastPageNumber is the largest page number a store accepts for a page
// size: the end of the page, plus the one row adapters read ahead to know
// whether a next page exists, stays within an int (see Query.Number).
func lastPageNumber(size int) int { return (math.MaxInt-1)/size - 1 }

// testPageBounds asks for pages by number at and beyond the ends of the
// int range, for lists and histories: a page past the last one is empty and
// labelled with its number; a number whose page would end beyond an int is
// refused with ErrInvalid (it used to overflow: a panic in memory, page 0
// labelled 2^62 in SQLite, a driver error in PostgreSQL); so are negative
// and oversized sizes and numbers.
func testPageBounds(t *testing.T, h *harness) {
	tn := h.tenant(t)
	const rows = 5
	createMany(t, h, tn, "b", rows)
	h.create(t, tn, newProfile("hist"))
	for i := range rows - 1 {
		h.update(t, tn, "hist", fmt.Sprintf("hist-%d", i), ts(time.Duration(i+1)*time.Minute))
	}
	total := rows + 1 // the list also holds "hist", whose history has rows entries

	for _, size := range []int{0, 1, 2, 7, storage.MaxPageSize} {
		eff := cmp.Or(size, storage.DefaultPageSize)
		pages := (total + eff - 1) / eff
		last := lastPageNumber(eff)
		for _, number := range []int{pages, pages + 1, 1 << 31, last / 2, last} {
			name := fmt.Sprintf("size %d number %d", size, number)
			t.Run(name, func(t *testing.T) {
				pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Size: size, Number: number})
				if err != nil {
					t.Fatalf("ListProfiles: %v", err)
				}
				want := storage.PageInfo{Size: eff, TotalElements: total, TotalPages: pages, Number: number}
				if d := gocmp.Diff(want, pg.PageInfo); d != "" || len(pg.Profiles) != 0 {
					t.Errorf("list page beyond the end: %d profiles, metadata (-want +got):\n%s", len(pg.Profiles), d)
				}
				hp, err := h.s.History(h.ctx, tn, "hist", storage.HistoryQuery{Size: size, Number: number, NewestFirst: number%2 == 0})
				if err != nil {
					t.Fatalf("History: %v", err)
				}
				want = storage.PageInfo{Size: eff, TotalElements: rows, TotalPages: (rows + eff - 1) / eff, Number: number}
				if d := gocmp.Diff(want, hp.PageInfo); d != "" || len(hp.Entries) != 0 {
					t.Errorf("history page beyond the end: %d entries, metadata (-want +got):\n%s", len(hp.Entries), d)
				}
			})
		}
		for _, number := range []int{last + 1, last + 2, math.MaxInt / eff, math.MaxInt/eff + 1, math.MaxInt - 1, math.MaxInt} {
			what := fmt.Sprintf("size %d number %d", size, number)
			_, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Size: size, Number: number})
			wantQueryError(t, "list "+what, err, "Number")
			_, err = h.s.History(h.ctx, tn, "hist", storage.HistoryQuery{Size: size, Number: number})
			wantQueryError(t, "history "+what, err, "Number")
		}
	}
	for _, number := range []int{-1, math.MinInt} {
		_, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Number: number})
		wantQueryError(t, fmt.Sprintf("list number %d", number), err, "Number")
		_, err = h.s.History(h.ctx, tn, "hist", storage.HistoryQuery{Number: number})
		wantQueryError(t, fmt.Sprintf("history number %d", number), err, "Number")
	}
	for _, size := range []int{-1, math.MinInt, storage.MaxPageSize + 1, math.MaxInt} {
		_, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Size: size})
		wantQueryError(t, fmt.Sprintf("list size %d", size), err, "Size")
		_, err = h.s.History(h.ctx, tn, "hist", storage.HistoryQuery{Size: size})
		wantQueryError(t, fmt.Sprintf("history size %d", size), err, "Size")
	}
	// A cursor walk ignores Number, but a Number out of range is still
	// refused rather than trusted later.
	pg, err := h.s.ListProfiles(h.ctx, tn, storage.Query{Size: 1})
	if err != nil || pg.NextCursor == "" {
		t.Fatalf("first page of one: %v, cursor %q", err, pg.NextCursor)
	}
	_, err = h.s.ListProfiles(h.ctx, tn, storage.Query{Size: 1, Cursor: pg.NextCursor, Number: math.MaxInt})
	wantQueryError(t, "cursor with an overflowing number", err, "Number")
}

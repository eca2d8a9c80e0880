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

func TestQueryNormalize(t *testing.T) {
	states := []string{"b", "a", "b"}
	got, err := storage.Query{Text: "  ÖZEL ", States: states}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Query{Text: "  ozel ", States: []string{"a", "b"}, Sort: storage.SortModifiedDesc, Size: storage.DefaultPageSize}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Normalize (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"b", "a", "b"}, states); d != "" {
		t.Errorf("Normalize changed the caller's states (-want +got):\n%s", d)
	}
	for name, tc := range map[string]struct {
		q     storage.Query
		field string
	}{
		"unknown sort":       {storage.Query{Sort: "risk"}, "Sort"},
		"negative size":      {storage.Query{Size: -1}, "Size"},
		"size over max":      {storage.Query{Size: storage.MaxPageSize + 1}, "Size"},
		"negative number":    {storage.Query{Number: -1}, "Number"},
		"long text":          {storage.Query{Text: strings.Repeat("a", storage.MaxTextBytes+1)}, "Text"},
		"invalid text":       {storage.Query{Text: "\xff"}, "Text"},
		"empty state":        {storage.Query{States: []string{""}}, "States"},
		"empty risk":         {storage.Query{Risks: []string{"low", ""}}, "Risks"},
		"too many states":    {storage.Query{States: make([]string, storage.MaxFilterValues+1)}, "States"},
		"long label":         {storage.Query{Label: strings.Repeat("l", storage.MaxFilterValueBytes+1)}, "Label"},
		"NUL in person type": {storage.Query{PersonType: "\x00"}, "PersonType"},
	} {
		_, err := tc.q.Normalize()
		var qe *storage.QueryError
		if !errors.Is(err, storage.ErrInvalid) || !errors.As(err, &qe) || qe.Field != tc.field {
			t.Errorf("%s: Normalize = %v, want a *QueryError for %s", name, err, tc.field)
		}
	}
}

// ends are the end states of seed 003's default workflow, which callers
// of DeleteProfile name (kyc.DefaultEndStates).
var ends = []string{"inactive", "banned"}

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
		{"five calendar years after the last change in an end state", storage.DeleteOptions{EndStates: ends}, inactive,
			time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), true},
		{"creation time when never modified", storage.DeleteOptions{EndStates: ends},
			&profile.Profile{State: "banned", CreatedAt: profile.TimestampOf(ended)}, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), true},
		{"explicit end of relationship wins", storage.DeleteOptions{EndStates: ends, RelationshipEndedAt: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)},
			&profile.Profile{State: "active"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"custom period", storage.DeleteOptions{EndStates: ends, Retention: 24 * time.Hour}, inactive, ended.Add(24 * time.Hour), true},
		{"active relationship", storage.DeleteOptions{EndStates: ends}, &profile.Profile{State: "active", ModifiedAt: profile.TimestampOf(ended)}, time.Time{}, false},
		{"custom end states", storage.DeleteOptions{EndStates: []string{"closed"}}, inactive, time.Time{}, false},
		{"no end states: only an explicit end counts", storage.DeleteOptions{}, inactive, time.Time{}, false},
		{"no time known", storage.DeleteOptions{EndStates: ends}, &profile.Profile{State: "inactive"}, time.Time{}, false},
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
		{"within the period", storage.DeleteOptions{EndStates: ends, Now: ended.AddDate(4, 11, 0)}, ended.AddDate(5, 0, 0), true},
		{"at the end of the period", storage.DeleteOptions{EndStates: ends, Now: ended.AddDate(5, 0, 0)}, time.Time{}, false},
		{"forced", storage.DeleteOptions{EndStates: ends, Now: ended, Force: true}, time.Time{}, false},
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
		{"op and id", &storage.Error{Op: "get profile", ID: "p1", Err: storage.ErrNotFound}, `storage: get profile "p1": storage: not found`},
		{"no id", &storage.Error{Op: "list profiles", ID: "", Err: storage.ErrInvalid}, "storage: list profiles: storage: invalid input"},
		{"hostile id escaped", &storage.Error{Op: "get profile", ID: "p\n\"x", Err: storage.ErrNotFound}, `storage: get profile "p\n\"x": storage: not found`},
		{"retention without end", &storage.RetentionError{ProfileID: "p1"}, `storage: profile "p1" must be kept: relationship not ended`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, tc.err.Error()); d != "" {
				t.Errorf("Error() (-want +got):\n%s", d)
			}
		})
	}
}

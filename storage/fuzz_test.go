package storage_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/storage"
)

// fuzzKey is the key of the fuzz targets: fixed, so that a failing input
// replays.
func fuzzKey(t testing.TB) *storage.CursorKey {
	t.Helper()
	k, err := storage.NewCursorKey([]byte("fuzz-secret-0123456789abcdefghijklmnop"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// FuzzOpenCursor feeds arbitrary strings as cursors to lists and
// histories: nothing panics, and no string the store did not seal is ever
// accepted; each fails with a *QueryError for Cursor.
func FuzzOpenCursor(f *testing.F) {
	key := fuzzKey(f)
	valid := sealList(f, storage.RandomCursorKey(), "t", storage.Query{}, storage.Cursor{Str: "ana", ID: "p1", Number: 2})
	f.Add(valid)
	f.Add("eyJzIjoibmFtZSIsImsiOiJhbmEiLCJpIjoicDEiLCJwIjoyLCJmIjo3fQ") // the old, unsealed form
	f.Add("!!!")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		_, err := storage.PrepareList(key, "t", storage.Query{Cursor: s})
		wantQueryError(t, err, "Cursor")
		_, err = storage.PrepareHistory(key, "t", "p1", storage.HistoryQuery{Cursor: s})
		wantQueryError(t, err, "Cursor")
	})
}

// FuzzCursorRoundTrip seals arbitrary positions: each opens to itself for
// its tenant and query, and to nothing for another tenant or query.
func FuzzCursorRoundTrip(f *testing.F) {
	key := fuzzKey(f)
	f.Add("ana maría", int64(0), "p1", 1, "t1", "an")
	f.Add("", int64(-1)<<63, "e\x00", 1<<40, "tenant-ñ", "")
	f.Fuzz(func(t *testing.T, str string, n int64, id string, number int, tenant, text string) {
		pos := storage.Cursor{Str: str, Int: n, ID: id, Number: number}
		q := storage.Query{Text: text, Sort: storage.SortNameDesc}
		req, err := storage.PrepareList(key, tenant, q)
		if err != nil || id == "" || number < 1 {
			return
		}
		q.Cursor = req.NextCursor(pos)
		got, err := storage.PrepareList(key, tenant, q)
		if err != nil {
			t.Fatalf("own cursor refused: %v", err)
		}
		if d := cmp.Diff(&pos, got.Cursor); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
		_, err = storage.PrepareList(key, otherTenant(key, tenant), q)
		wantQueryError(t, err, "Cursor")
		q.Sort = storage.SortNameAsc
		_, err = storage.PrepareList(key, tenant, q)
		wantQueryError(t, err, "Cursor")
	})
}

// otherTenant is a valid tenant other than tenant: tenant+"x" where that is
// still within the tenant limit, so that a prefix of a tenant is proved
// distinct, and a one-letter tenant otherwise.
func otherTenant(key *storage.CursorKey, tenant string) string {
	if other := tenant + "x"; validTenant(key, other) {
		return other
	}
	if tenant == "x" {
		return "y"
	}
	return "x"
}

func validTenant(key *storage.CursorKey, tenant string) bool {
	_, err := storage.PrepareList(key, tenant, storage.Query{})
	return err == nil
}

// FuzzQueryNormalize feeds arbitrary field values to Query.Normalize: it
// never panics, fails only with a *QueryError, and what it returns is in
// range and normalizes to itself (Fold is idempotent).
func FuzzQueryNormalize(f *testing.F) {
	f.Add("active", "high", "natural_person", "vip", "Núñez", "-modified_at", 20, 0, int64(0), int64(0))
	f.Add("", "", "", "", "", "", 0, 0, int64(-1), int64(1))
	f.Add("x", "y", "", "", "İSTANBUL ǅ ß ﬁ", "name", 1000, 3, int64(1), int64(2))
	f.Add("a", "b", "", "", "\xff", "bogus", -1, -1, int64(0), int64(0))
	f.Add("a", "a\x00", "", "", "\u0301", "name", 1, 1<<62, int64(0), int64(0))
	f.Fuzz(func(t *testing.T, state, risk, personType, label, text, sort string, size, number int, from, until int64) {
		q := storage.Query{
			States: []string{state, state}, Risks: []string{risk}, PersonType: storageType(personType), Label: label,
			Text: text, Sort: storage.Sort(sort), Size: size, Number: number,
			CreatedFrom: ts(from), ModifiedUntil: ts(until),
		}
		n, err := q.Normalize()
		if err != nil {
			var qe *storage.QueryError
			if !errors.Is(err, storage.ErrInvalid) || !errors.As(err, &qe) {
				t.Fatalf("Normalize error %v is not a *QueryError", err)
			}
			return
		}
		if n.Size < 1 || n.Size > storage.MaxPageSize || n.Number < 0 || n.Number > (1<<63-2)/n.Size-1 {
			t.Fatalf("size %d, number %d out of range", n.Size, n.Number)
		}
		if !utf8.ValidString(n.Text) || len(n.States) != 1 {
			t.Fatalf("text %q, states %q", n.Text, n.States)
		}
		again, err := n.Normalize()
		if err != nil {
			t.Fatalf("normalized query rejected: %v", err)
		}
		if d := cmp.Diff(n, again); d != "" {
			t.Fatalf("Normalize not idempotent (-once +twice):\n%s", d)
		}
	})
}

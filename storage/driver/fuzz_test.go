package driver_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
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
	valid := sealList(f, storage.RandomCursorKey(), "t", storage.Query{}, driver.Cursor{Str: "ana", ID: "p1", Number: 2})
	f.Add(valid)
	f.Add("eyJzIjoibmFtZSIsImsiOiJhbmEiLCJpIjoicDEiLCJwIjoyLCJmIjo3fQ") // the old, unsealed form
	f.Add("!!!")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		_, err := driver.PrepareList(key, "t", storage.Query{Cursor: s})
		wantQueryError(t, err, "Cursor")
		_, err = driver.PrepareHistory(key, "t", "p1", storage.HistoryQuery{Cursor: s})
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
		pos := driver.Cursor{Str: str, Int: n, ID: id, Number: number}
		q := storage.Query{Text: text, Sort: storage.SortNameDesc}
		req, err := driver.PrepareList(key, tenant, q)
		if err != nil || id == "" || number < 1 {
			return
		}
		q.Cursor = req.NextCursor(pos)
		got, err := driver.PrepareList(key, tenant, q)
		if err != nil {
			t.Fatalf("own cursor refused: %v", err)
		}
		if d := cmp.Diff(&pos, got.Cursor); d != "" {
			t.Fatalf("round trip (-want +got):\n%s", d)
		}
		_, err = driver.PrepareList(key, otherTenant(key, tenant), q)
		wantQueryError(t, err, "Cursor")
		q.Sort = storage.SortNameAsc
		_, err = driver.PrepareList(key, tenant, q)
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
	_, err := driver.PrepareList(key, tenant, storage.Query{})
	return err == nil
}

package driver_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// sealList returns the cursor a list of q in tenant would hand out for
// position c.
func sealList(t testing.TB, key *storage.CursorKey, tenant string, q storage.Query, c driver.Cursor) string {
	t.Helper()
	req, err := driver.PrepareList(key, tenant, q)
	if err != nil {
		t.Fatal(err)
	}
	return req.NextCursor(c)
}

// sealHistory is sealList for the history of profile id.
func sealHistory(t testing.TB, key *storage.CursorKey, tenant, id string, q storage.HistoryQuery, c driver.Cursor) string {
	t.Helper()
	req, err := driver.PrepareHistory(key, tenant, id, q)
	if err != nil {
		t.Fatal(err)
	}
	return req.NextCursor(c)
}

// wantQueryError fails unless err is a *storage.QueryError for field.
func wantQueryError(t testing.TB, err error, field string) {
	t.Helper()
	var qe *storage.QueryError
	if !errors.Is(err, storage.ErrInvalid) || !errors.As(err, &qe) || qe.Field != field {
		t.Fatalf("got error %v, want a *storage.QueryError for %s", err, field)
	}
}

package storage_test

import (
	"errors"
	"testing"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

func storageType(s string) profile.PersonType { return profile.PersonType(s) }

func ts(ms int64) profile.Timestamp { return profile.Timestamp(ms) }

// wantQueryError fails unless err is a *storage.QueryError for field.
func wantQueryError(t testing.TB, err error, field string) {
	t.Helper()
	var qe *storage.QueryError
	if !errors.Is(err, storage.ErrInvalid) || !errors.As(err, &qe) || qe.Field != field {
		t.Fatalf("got error %v, want a *storage.QueryError for %s", err, field)
	}
}

// sealList returns the cursor a list of q in tenant would hand out for
// position c.
func sealList(t testing.TB, key *storage.CursorKey, tenant string, q storage.Query, c storage.Cursor) string {
	t.Helper()
	req, err := storage.PrepareList(key, tenant, q)
	if err != nil {
		t.Fatal(err)
	}
	return req.NextCursor(c)
}

// sealHistory is sealList for the history of profile id.
func sealHistory(t testing.TB, key *storage.CursorKey, tenant, id string, q storage.HistoryQuery, c storage.Cursor) string {
	t.Helper()
	req, err := storage.PrepareHistory(key, tenant, id, q)
	if err != nil {
		t.Fatal(err)
	}
	return req.NextCursor(c)
}

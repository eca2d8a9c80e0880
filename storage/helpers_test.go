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
